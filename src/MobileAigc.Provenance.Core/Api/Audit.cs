using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's audit API, as auditors and the command line call it.</summary>
public static class LedgerAudit
{
    /// <summary>Records, filtered and paginated: <c>GET api/audit/records</c>.</summary>
    public const string RecordsPath = "api/audit/records";

    /// <summary>Batches, paginated: <c>GET api/audit/batches</c>.</summary>
    public const string BatchesPath = "api/audit/batches";

    /// <summary>Every matching record as one streamed CSV or JSON document: <c>GET api/audit/export</c>.</summary>
    public const string ExportPath = "api/audit/export";

    /// <summary>Rebuilds every batch root and checks it against the chain: <c>POST api/admin/reconcile</c> (admin key).</summary>
    public const string ReconcilePath = "api/admin/reconcile";

    /// <summary>The auditor dashboard's headline numbers (admin or auditor key).</summary>
    public const string DashboardSummaryPath = "api/dashboard/summary";

    /// <summary>The auditor dashboard's page.</summary>
    public const string DashboardPagePath = "audit/";

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The largest page size a request may ask for.</summary>
    public const int MaxPageSize = 1_000;
}

/// <summary>Where a record is on its way to the chain, as auditors filter on it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditRecordState>))]
public enum AuditRecordState
{
    /// <summary>Stored, waiting to be put in a batch.</summary>
    Pending,

    /// <summary>In a batch that is planned or sent but not yet confirmed on chain.</summary>
    Anchoring,

    /// <summary>In a batch anchored and confirmed on chain.</summary>
    Anchored,

    /// <summary>Revoked by its node's operator (whatever its batch's state).</summary>
    Revoked,
}

/// <summary>One page of results with the cursor of the next.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The page's items, in ascending id order.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to read the next page; null on the last page.</param>
public sealed record AuditPage<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A stored record as the audit API shows it.</summary>
/// <param name="Id">The ledger's ingest order (the export's and pages' order).</param>
/// <param name="Digest">The record's EIP-712 digest: its identity.</param>
/// <param name="ContentHash">SHA-256 of the content.</param>
/// <param name="PerceptualHash">The image's perceptual hash (zero for text).</param>
/// <param name="ModelHash">The generating model.</param>
/// <param name="Node">The signing edge node.</param>
/// <param name="Creator">The creator's address (zero when anonymous or committed).</param>
/// <param name="CreatorCommitment">The salted creator commitment.</param>
/// <param name="PromptCommitment">The salted prompt commitment.</param>
/// <param name="ParametersHash">The generation parameters' hash.</param>
/// <param name="Timestamp">The generation time signed by the node (Unix seconds).</param>
/// <param name="WatermarkId">The watermark id embedded in the content.</param>
/// <param name="NodeSequence">The node's own sequence number.</param>
/// <param name="Signature">The node's 65-byte signature, 0x-hex.</param>
/// <param name="ReceivedAt">When the ledger accepted the record.</param>
/// <param name="State">Where the record is.</param>
/// <param name="BatchId">The ledger's batch id, once batched.</param>
/// <param name="LedgerSequence">The record's sequence on chain (batch first sequence + leaf index), once batched.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="RevocationReason">The operator's reason, if revoked.</param>
public sealed record AuditRecord(
    long Id,
    Bytes32 Digest,
    Bytes32 ContentHash,
    Bytes32 PerceptualHash,
    Bytes32 ModelHash,
    EvmAddress Node,
    EvmAddress Creator,
    Bytes32 CreatorCommitment,
    Bytes32 PromptCommitment,
    Bytes32 ParametersHash,
    long Timestamp,
    Bytes32 WatermarkId,
    long NodeSequence,
    string Signature,
    DateTimeOffset ReceivedAt,
    AuditRecordState State,
    long? BatchId,
    long? LedgerSequence,
    DateTimeOffset? RevokedAt,
    string? RevocationReason)
{
    /// <summary>
    /// The record's self-sufficient evidence (signed record, proof, batch, deployment): in the JSON export for every
    /// anchored record, so that the export alone and a chain RPC verify it; null in pages and for unanchored records.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RecordEvidence? Evidence { get; init; }

    /// <summary>The picture's PDQ hash its version 3 record commits to (signed by the node); null for earlier versions and omitted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Bytes32? PdqHash { get; init; }

    /// <summary>The PDQ quality score (0 to 100) signed with <see cref="PdqHash"/>; null for earlier versions and omitted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PdqQuality { get; init; }
}

/// <summary>The verdict on one batch in a reconciliation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchReconciliationStatus>))]
public enum BatchReconciliationStatus
{
    /// <summary>The database rebuilds the stored root, every proof verifies, and the chain agrees.</summary>
    Ok,

    /// <summary>Planned or submitted, not yet confirmed: nothing to compare yet.</summary>
    Pending,

    /// <summary>The batch's records no longer rebuild its root: the database was altered.</summary>
    RootMismatch,

    /// <summary>The root matches but a record's stored proof does not lead to it.</summary>
    ProofMismatch,

    /// <summary>Anchored in the database, but no <c>BatchAnchored</c> event on chain holds it.</summary>
    MissingOnChain,

    /// <summary>On chain under another root, sequence, count, id or transaction than the database says.</summary>
    ChainDiffers,

    /// <summary>A <c>BatchAnchored</c> event whose batch the database does not know.</summary>
    ExtraOnChain,
}

/// <summary>One batch's reconciliation.</summary>
/// <param name="BatchId">The ledger's batch id; null for <see cref="BatchReconciliationStatus.ExtraOnChain"/>.</param>
/// <param name="ChainBatchId">The batch's number among its anchorer's batches on the contract, from the database or the event.</param>
/// <param name="Status">The most serious finding.</param>
/// <param name="StoredRoot">The root the database stores.</param>
/// <param name="RebuiltRoot">The root rebuilt from the database's records; null when they cannot build one.</param>
/// <param name="ChainRoot">The root in the chain's event; null when none was found.</param>
/// <param name="FirstSequence">The first sequence (database's, else chain's).</param>
/// <param name="RecordCount">The record count (database's, else chain's).</param>
/// <param name="TransactionHash">The anchoring transaction (chain's, else database's).</param>
/// <param name="InvalidProofs">How many of the batch's records carry a proof that does not lead to the stored root.</param>
/// <param name="Differences">Every difference found, in words.</param>
public sealed record BatchReconciliation(
    long? BatchId,
    long? ChainBatchId,
    BatchReconciliationStatus Status,
    Bytes32? StoredRoot,
    Bytes32? RebuiltRoot,
    Bytes32? ChainRoot,
    long? FirstSequence,
    int? RecordCount,
    Bytes32? TransactionHash,
    int InvalidProofs,
    IReadOnlyList<string> Differences);

/// <summary>The result of rebuilding every batch root and checking it against the chain.</summary>
/// <param name="CheckedAt">When the check ran.</param>
/// <param name="FromBlock">The first block searched for events.</param>
/// <param name="ToBlock">The last block searched for events.</param>
/// <param name="Batches">Every batch of the database, then every extra one from the chain.</param>
/// <param name="Ok">Batches that agree.</param>
/// <param name="Pending">Batches not yet confirmed.</param>
/// <param name="Differences">Batches with any other status.</param>
public sealed record ReconciliationReport(
    DateTimeOffset CheckedAt,
    long FromBlock,
    long ToBlock,
    IReadOnlyList<BatchReconciliation> Batches,
    int Ok,
    int Pending,
    int Differences)
{
    /// <summary>True when no batch differs (pending batches are not differences).</summary>
    public bool IsConsistent => Differences == 0;
}
