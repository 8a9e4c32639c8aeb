namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// An audit query's filter, cursor or page size is malformed. The API answers it with a 400
/// ProblemDetails naming <see cref="Parameter"/>.
/// </summary>
public sealed class AuditQueryException : Exception
{
    /// <summary>Creates the error for one parameter.</summary>
    /// <param name="parameter">The query parameter at fault.</param>
    /// <param name="message">What is wrong with it and what is expected.</param>
    public AuditQueryException(string parameter, string message)
        : base(message) => Parameter = parameter;

    /// <summary>The query parameter at fault (<c>cursor</c>, <c>model</c>, ...).</summary>
    public string Parameter { get; }
}
