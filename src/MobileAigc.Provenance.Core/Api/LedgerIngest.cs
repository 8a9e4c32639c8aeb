using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's ingest endpoint, as edge nodes call it.</summary>
public static class LedgerIngest
{
    /// <summary>The route, relative to the ledger's base address: <c>POST api/records</c>.</summary>
    public const string RecordsPath = "api/records";

    /// <summary>The most records one request may carry.</summary>
    public const int MaxRecordsPerRequest = 1_000;
}

/// <summary>Body of <c>POST api/records</c>: one or many signed records.</summary>
/// <param name="Records">1 to <see cref="LedgerIngest.MaxRecordsPerRequest"/> signed records.</param>
public sealed record SubmitRecordsRequest(IReadOnlyList<SignedProvenanceRecord> Records);

/// <summary>What the ledger did with each submitted record, in request order.</summary>
/// <param name="Records">One entry per submitted record.</param>
public sealed record SubmitRecordsResponse(IReadOnlyList<SubmittedRecord> Records);

/// <summary>The ledger's answer for one record.</summary>
/// <param name="RecordDigest">The record's EIP-712 digest: its id.</param>
/// <param name="Accepted">True when stored now or already stored identically before (submission is idempotent).</param>
/// <param name="Problem">Why the record was refused; null when accepted.</param>
/// <param name="NotKept">
/// For an accepted record: what was sent with it (its <see cref="SignedProvenanceRecord.ManifestStore"/>, its
/// <see cref="SignedProvenanceRecord.DeliveredFile"/>) and not kept, with why (<see cref="RecordProblemTypes.InvalidManifestStore"/>,
/// <see cref="RecordProblemTypes.ManifestStoreConflict"/>, <see cref="RecordProblemTypes.InvalidDeliveredFile"/>,
/// <see cref="RecordProblemTypes.DeliveredFileConflict"/>). The record itself is stored all the same: an attachment never
/// refuses its record, and sending it again cannot change the answer. Null when everything sent was kept.
/// </param>
public sealed record SubmittedRecord(
    Bytes32 RecordDigest,
    bool Accepted,
    RecordProblem? Problem = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<RecordProblem>? NotKept = null);

/// <summary>Why the ledger refused one record of a request.</summary>
/// <param name="Type">The stable problem type URN (one of <see cref="RecordProblemTypes"/>); clients branch on it.</param>
/// <param name="Detail">A human-readable explanation with the values involved.</param>
public sealed record RecordProblem(string Type, string Detail);

/// <summary>Body of <c>GET api/records/{digest}</c>: a stored record and where it is on its way to the chain.</summary>
/// <param name="RecordDigest">The record's EIP-712 digest: its id.</param>
/// <param name="SignedRecord">The record as its node signed it.</param>
/// <param name="ReceivedAt">When the ledger accepted it.</param>
/// <param name="Anchoring">Its Merkle inclusion proof and batch (<see cref="RecordProof"/>, shared with verification and audit); null while it waits to be batched.</param>
/// <param name="Revocation">Its on-chain revocation (<see cref="RecordRevocation"/>, shared with verification); null when not revoked.</param>
/// <param name="Lineage">Its chain of derivations (<see cref="RecordLineage"/>); null when it names no parent.</param>
public sealed record LedgerRecord(
    Bytes32 RecordDigest, SignedProvenanceRecord SignedRecord, DateTimeOffset ReceivedAt, RecordProof? Anchoring, RecordRevocation? Revocation,
    RecordLineage? Lineage = null);
