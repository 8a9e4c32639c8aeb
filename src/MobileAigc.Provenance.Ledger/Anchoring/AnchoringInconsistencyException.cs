namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// The ledger's batches and the chain disagree in a way the worker must not paper over (the
/// chain's next sequence is not where the ledger's batches end, or a root is anchored with other
/// bounds). The worker stops anchoring, logs it as critical at every attempt, and never skips a
/// batch: an operator has to look (wrong contract address, a restored database, a deep
/// reorganisation, a second anchoring service on the same contract).
/// </summary>
public sealed class AnchoringInconsistencyException : Exception
{
    /// <summary>Creates the exception with a message that carries the disagreeing values.</summary>
    public AnchoringInconsistencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that carries the disagreeing values.</summary>
    public AnchoringInconsistencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public AnchoringInconsistencyException()
        : base("The ledger's batches and the chain disagree.")
    {
    }
}
