using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>A stored record with what the audit view needs of its batch (one query, no tracking).</summary>
/// <param name="Record">The row.</param>
/// <param name="BatchState">Its batch's state; null while unbatched.</param>
/// <param name="BatchFirstSequence">Its batch's first sequence; null while unbatched.</param>
/// <param name="Batch">Its whole batch, when the query asked for it (the export's evidence).</param>
internal sealed record RecordRow(StoredRecord Record, AnchorBatchState? BatchState, long? BatchFirstSequence, AnchorBatch? Batch = null);

/// <summary>Storage rows to the API's views (audit records, batches and their states).</summary>
internal static class AuditMapping
{
    public static AuditRecord ToAudit(this RecordRow row)
    {
        var r = row.Record;
        return new AuditRecord(
            r.Id, r.Digest, r.ContentHash, r.PerceptualHash, r.ModelHash, r.Node, r.Creator, r.CreatorCommitment,
            r.PromptCommitment, r.ParametersHash, r.Timestamp, r.WatermarkId, r.NodeSequence,
            "0x" + Convert.ToHexStringLower(r.Signature), r.ReceivedAt, StateOf(r, row.BatchState), r.BatchId,
            row.BatchFirstSequence + r.LeafIndex, r.RevokedAt, r.RevocationReason)
        {
            PdqHash = r.PdqHash,
            PdqQuality = r.PdqQuality,
        };
    }

    public static LedgerBatch ToApi(this AnchorBatch b) => new(
        b.Id, b.Root, b.FirstSequence, b.RecordCount, ToApi(b.State), b.CreatedAt, b.TransactionHash, b.BlockNumber,
        b.BlockHash, b.GasUsed, b.ChainBatchId, b.AnchoredAt, b.LedgerContract);

    public static BatchState ToApi(this AnchorBatchState state) => state switch
    {
        AnchorBatchState.Planned => BatchState.Planned,
        AnchorBatchState.Submitted => BatchState.Submitted,
        AnchorBatchState.Anchored => BatchState.Anchored,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown batch state."),
    };

    public static AnchorBatchState ToStored(this BatchState state) => state switch
    {
        BatchState.Planned => AnchorBatchState.Planned,
        BatchState.Submitted => AnchorBatchState.Submitted,
        BatchState.Anchored => AnchorBatchState.Anchored,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown batch state."),
    };

    // Revocation wins over the anchoring state: an auditor asking for revoked records wants them
    // whether or not their batch is on chain (the same precedence as RecordQuery's filter).
    private static AuditRecordState StateOf(StoredRecord record, AnchorBatchState? batchState) =>
        record.RevokedAt is not null ? AuditRecordState.Revoked
        : record.BatchId is null ? AuditRecordState.Pending
        : batchState == AnchorBatchState.Anchored ? AuditRecordState.Anchored
        : AuditRecordState.Anchoring;
}
