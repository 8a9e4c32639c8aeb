using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>What happened to one submitted record.</summary>
public enum RecordIngestStatus
{
    /// <summary>Accepted and stored now.</summary>
    Stored,

    /// <summary>Accepted: an identical record (same digest) was already stored; nothing was added.</summary>
    AlreadyStored,

    /// <summary>Refused; see <see cref="RecordIngestOutcome.Refusal"/>.</summary>
    Refused,
}

/// <summary>Why a record was refused. Each has a stable problem type (<see cref="RecordRefusalReasons.ProblemType"/>).</summary>
public enum RecordRefusalReason
{
    /// <summary>The signature recovers to no key, or to a key other than the record's node.</summary>
    InvalidSignature,

    /// <summary>The record's model is not registered on chain (as far as the mirror has read).</summary>
    UnknownModel,

    /// <summary>The record's node is not registered, or does not serve the record's model.</summary>
    NodeNotAuthorized,

    /// <summary>Another record with the same node and sequence number is stored (or earlier in the same request).</summary>
    SequenceConflict,

    /// <summary>The record's timestamp is further in the future than <see cref="RecordIngestOptions.MaxFutureSkew"/>.</summary>
    InvalidTimestamp,

    /// <summary>The record's timestamp is further in the past than <see cref="RecordIngestOptions.MaxPastSkew"/>.</summary>
    TimestampTooOld,

    /// <summary>The record's format version is not one the ledger reads (<see cref="Core.Records.ProvenanceRecordVersions"/>).</summary>
    UnsupportedVersion,

    /// <summary>The record names a creator without a proof.</summary>
    CreatorNotAuthenticated,

    /// <summary>The record's creator proof does not prove its creator.</summary>
    InvalidCreatorProof,

    /// <summary>The record's creator proof already named the creator of another stored record.</summary>
    CreatorProofReplayed,

    /// <summary>The voucher proving the creator is on a channel the ledger has not read from the chain.</summary>
    UnknownChannel,

    /// <summary>A field is out of the range the ledger stores (a sequence number above 2^63 − 1).</summary>
    InvalidRecord,

    /// <summary>The node has submitted <see cref="RecordIngestOptions.NodeQuotaRecords"/> records in the current window; retry later.</summary>
    QuotaExceeded,
}

/// <summary>Why one record was refused.</summary>
/// <param name="Reason">The reason.</param>
/// <param name="Detail">A human-readable explanation with the values involved.</param>
/// <param name="ConflictsWith">For <see cref="RecordRefusalReason.SequenceConflict"/>: the digest of the record holding that node and sequence.</param>
public sealed record RecordRefusal(RecordRefusalReason Reason, string Detail, Bytes32? ConflictsWith = null)
{
    /// <summary>The stable problem type URN of <see cref="Reason"/>.</summary>
    public string ProblemType => RecordRefusalReasons.ProblemType(Reason);
}

/// <summary>The ledger's answer for one submitted record.</summary>
/// <param name="Digest">The record's EIP-712 digest in the ledger's domain: its id.</param>
/// <param name="Status">What happened.</param>
/// <param name="Refusal">Why, when refused.</param>
/// <param name="NotKept">
/// For an accepted record: what was sent with it and not kept, with why (<see cref="SubmittedRecord.NotKept"/>: here
/// <see cref="RecordProblemTypes.InvalidDeliveredFile"/> or <see cref="RecordProblemTypes.DeliveredFileConflict"/>);
/// null when everything sent with it was kept or was already kept identically.
/// </param>
public sealed record RecordIngestOutcome(
    Bytes32 Digest, RecordIngestStatus Status, RecordRefusal? Refusal = null, IReadOnlyList<RecordProblem>? NotKept = null)
{
    /// <summary>True when the record is stored (now or before).</summary>
    public bool Accepted => Status is not RecordIngestStatus.Refused;

    /// <summary>A refusal of the record <paramref name="digest"/>.</summary>
    internal static RecordIngestOutcome Refused(Bytes32 digest, RecordRefusalReason reason, string detail, Bytes32? conflictsWith = null) =>
        new(digest, RecordIngestStatus.Refused, new RecordRefusal(reason, detail, conflictsWith));

    /// <summary>The <see cref="NotKept"/> list of one problem, or null for none.</summary>
    internal static IReadOnlyList<RecordProblem>? NotKeptBecause(RecordProblem? problem) => problem is null ? null : [problem];
}

/// <summary>The stable problem types of refusals (<see cref="RecordProblemTypes"/>, shared with edge nodes).</summary>
public static class RecordRefusalReasons
{
    /// <summary>The problem type URN of <paramref name="reason"/>; stored in <c>RefusedRecord.Reason</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For an undefined reason.</exception>
    public static string ProblemType(RecordRefusalReason reason) => reason switch
    {
        RecordRefusalReason.InvalidSignature => RecordProblemTypes.InvalidSignature,
        RecordRefusalReason.UnknownModel => RecordProblemTypes.UnknownModel,
        RecordRefusalReason.NodeNotAuthorized => RecordProblemTypes.NodeNotAuthorized,
        RecordRefusalReason.SequenceConflict => RecordProblemTypes.SequenceConflict,
        RecordRefusalReason.InvalidTimestamp => RecordProblemTypes.InvalidTimestamp,
        RecordRefusalReason.InvalidRecord => RecordProblemTypes.InvalidRequest,
        RecordRefusalReason.TimestampTooOld => RecordProblemTypes.TimestampTooOld,
        RecordRefusalReason.UnsupportedVersion => RecordProblemTypes.UnsupportedRecordVersion,
        RecordRefusalReason.CreatorNotAuthenticated => RecordProblemTypes.CreatorNotAuthenticated,
        RecordRefusalReason.InvalidCreatorProof => RecordProblemTypes.InvalidCreatorProof,
        RecordRefusalReason.CreatorProofReplayed => RecordProblemTypes.CreatorProofReplayed,
        RecordRefusalReason.UnknownChannel => RecordProblemTypes.UnknownChannel,
        RecordRefusalReason.QuotaExceeded => RecordProblemTypes.IngestQuotaExceeded,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown refusal reason."),
    };
}
