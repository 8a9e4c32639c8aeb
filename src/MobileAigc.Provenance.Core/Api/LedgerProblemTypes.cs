namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The stable problem types (the <c>type</c> of the ProblemDetails) of the ledger's web API beyond a
/// refused record, whose types are <see cref="RecordProblemTypes"/>. The ledger reports them; clients
/// and tests branch on them, never on the human-readable detail.
/// </summary>
public static class LedgerProblemTypes
{
    /// <summary>400: the body, a query parameter or a form field is malformed or out of range.</summary>
    public const string InvalidRequest = ProblemTypePrefix.Value + "invalid-request";

    /// <summary>404: nothing with that id exists.</summary>
    public const string NotFound = ProblemTypePrefix.Value + "not-found";

    /// <summary>The record is stored but not yet in an anchor batch, so it has no Merkle proof yet.</summary>
    public const string RecordNotBatched = ProblemTypePrefix.Value + "record-not-batched";

    /// <summary>The uploaded file is not an image or text the ledger can read.</summary>
    public const string UnsupportedContent = ProblemTypePrefix.Value + "unsupported-content";

    /// <summary>503: the ledger's database did not answer. The request may be retried as is: what it stored (on ingest, the records may be stored without their manifest stores) is accepted again idempotently.</summary>
    public const string StorageUnavailable = ProblemTypePrefix.Value + "storage-unavailable";

    /// <summary>
    /// 503: the chain node does not answer (or refuses the query); retry later. An edge node reports
    /// the same type when it cannot read the chain (<see cref="PaymentProblemTypes.ChainUnavailable"/>).
    /// </summary>
    public const string ChainUnavailable = ProblemTypePrefix.Value + "chain-unavailable";

    /// <summary>
    /// 429: the client's address made more requests than the ledger allows per window (see
    /// <c>Retry-After</c>). The address is the connection's, or the one a configured proxy forwarded.
    /// </summary>
    public const string RateLimited = ProblemTypePrefix.Value + "rate-limited";

    /// <summary>
    /// 503: every slot for this kind of heavy work (verification uploads, ingest, exports, reconciliation)
    /// is taken and the queue is full; nothing was done, retry after <c>Retry-After</c> seconds.
    /// </summary>
    public const string ServiceBusy = ProblemTypePrefix.Value + "service-busy";

    /// <summary>404: the ledger is not configured with a <c>PaymentChannels</c> contract, so it indexes no settlements.</summary>
    public const string SettlementsNotIndexed = ProblemTypePrefix.Value + "settlements-not-indexed";
}
