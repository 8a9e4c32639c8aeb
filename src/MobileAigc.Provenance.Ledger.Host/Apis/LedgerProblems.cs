using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The stable <c>type</c> of every problem the ledger's API reports. Clients branch on these,
/// never on the human-readable detail.
/// </summary>
public static class LedgerProblems
{
    private const string Prefix = "urn:mobileaigc:problem:";

    /// <summary>The body or a parameter is malformed.</summary>
    public const string InvalidRequest = RecordProblemTypes.InvalidRequest;

    /// <summary>The record's signature is malformed, malleable, or not by the record's node.</summary>
    public const string InvalidSignature = RecordProblemTypes.InvalidSignature;

    /// <summary>The record's node is not registered on chain for the record's model.</summary>
    public const string NodeNotAuthorized = RecordProblemTypes.NodeNotAuthorized;

    /// <summary>The record's model is not registered on chain.</summary>
    public const string UnknownModel = RecordProblemTypes.UnknownModel;

    /// <summary>Another record with the same node and sequence number is stored.</summary>
    public const string SequenceConflict = RecordProblemTypes.SequenceConflict;

    /// <summary>The record's timestamp is further in the future than the ledger tolerates (Ledger:Ingest:MaxFutureSkew).</summary>
    public const string InvalidTimestamp = RecordProblemTypes.InvalidTimestamp;

    /// <summary>The ledger's database did not answer; nothing was stored, the request may be retried as is.</summary>
    public const string StorageUnavailable = Prefix + "storage-unavailable";

    /// <summary>The uploaded file is not an image or text the ledger can read.</summary>
    public const string UnsupportedContent = Prefix + "unsupported-content";

    /// <summary>Nothing with that id exists.</summary>
    public const string NotFound = Prefix + "not-found";

    /// <summary>The record is stored but not yet in an anchor batch, so it has no Merkle proof yet.</summary>
    public const string RecordNotBatched = Prefix + "record-not-batched";

    /// <summary>The chain node does not answer (or refuses the query); retry later.</summary>
    public const string ChainUnavailable = Prefix + "chain-unavailable";

    /// <summary>A ProblemDetails result with a stable type.</summary>
    public static ProblemHttpResult Problem(string type, string title, string detail, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);
}
