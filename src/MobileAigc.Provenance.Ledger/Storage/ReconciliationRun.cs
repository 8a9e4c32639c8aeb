namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// The outcome of one reconciliation of the database against the chain (<c>POST api/admin/reconcile</c>),
/// kept so that auditors see what the last runs found without running one themselves.
/// </summary>
public sealed class ReconciliationRun
{
    /// <summary>Local id, in run order.</summary>
    public long Id { get; set; }

    /// <summary>When the run started (the report's <c>CheckedAt</c>).</summary>
    public DateTimeOffset CheckedAt { get; set; }

    /// <summary>The chain head the run read events up to.</summary>
    public long ChainHead { get; set; }

    /// <summary>How many batches it checked, those only on chain included.</summary>
    public int BatchesChecked { get; set; }

    /// <summary>How many matched.</summary>
    public int Ok { get; set; }

    /// <summary>How many were not anchored yet.</summary>
    public int Pending { get; set; }

    /// <summary>How many differed (in the database, from the chain, or on one side only).</summary>
    public int Differing { get; set; }

    /// <summary>The differing batches as JSON, at most <see cref="MaxKeptDifferences"/> of them.</summary>
    public string DifferencesJson { get; set; } = "[]";

    /// <summary>How many differing batches a run keeps in detail; the count in <see cref="Differing"/> is always whole.</summary>
    public const int MaxKeptDifferences = 100;
}
