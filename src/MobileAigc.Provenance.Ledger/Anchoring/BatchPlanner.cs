using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// Closes a batch when enough records wait or the oldest waited long enough: builds the Merkle tree over their digests
/// (in <see cref="StoredRecord.Id"/> order) and stores, in one transaction fenced by the lease, the batch
/// (<see cref="AnchorBatchState.Planned"/>) with its records' ids (<see cref="AnchorBatch.PendingRecordIds"/>): what the
/// root covers is durable before its transaction leaves, at the cost of one row. Every record's batch, leaf index and
/// proof (<see cref="RecordBatchAssignment"/>, the costly part) are written by <see cref="AssignRecordsAsync"/> after the
/// broadcast, in another fenced transaction, long before the batch has its confirmations. Either all of a step is
/// durable or none of it is. A batch may be planned while earlier batches' records are still pending: it takes only
/// records after the last of theirs, so no record is in two batches.
/// </summary>
/// <param name="options">Batch size and age.</param>
/// <param name="time">The clock.</param>
/// <param name="lease">The anchoring lease every write is fenced by.</param>
/// <param name="ledger">The current deployment's <c>ProvenanceLedger</c>: batches are planned for it.</param>
internal sealed class BatchPlanner(AnchoringOptions options, TimeProvider time, WorkerLeaseKeeper lease, EvmAddress ledger)
{
    /// <summary>
    /// The end of the ledger's batches on <paramref name="contract"/>: the sequence the next batch starts at. Each
    /// contract has its own sequence space, so after a contract upgrade the new one starts at 0.
    /// </summary>
    public static async Task<long> NextSequenceAsync(LedgerDbContext db, EvmAddress contract, CancellationToken cancellationToken) =>
        await db.Batches.Where(b => b.LedgerContract == contract)
            .OrderByDescending(b => b.FirstSequence).Select(b => (long?)(b.FirstSequence + b.RecordCount))
            .FirstOrDefaultAsync(cancellationToken) ?? 0;

    /// <summary>Whether a batch would close now.</summary>
    public async Task<bool> IsBatchDueAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        var after = await LastPendingRecordIdAsync(db, cancellationToken);
        var pending = db.Records.Where(r => r.BatchId == null && r.Id > after);
        var oldest = await pending.OrderBy(r => r.Id).Select(r => (DateTimeOffset?)r.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        if (oldest is null)
        {
            return false;
        }

        if (time.GetUtcNow() - oldest.Value >= options.MaxBatchAge)
        {
            return true;
        }

        // Counting stops at BatchSize: the backlog may be far larger.
        return await pending.OrderBy(r => r.Id).Skip(options.BatchSize - 1).AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Plans the next batch starting at <paramref name="firstSequence"/> over up to
    /// <see cref="AnchoringOptions.BatchSize"/> waiting records, or returns null when none wait. The records are
    /// written later, by <see cref="AssignRecordsAsync"/>. Records of batches planned earlier whose records are not
    /// written yet (<see cref="AnchorBatch.PendingRecordIds"/>) are never taken again: only records after the last of
    /// them are (record ids become visible in id order, so none before it can still arrive unseen).
    /// </summary>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease; nothing was written.</exception>
    public async Task<PlannedBatch?> PlanAsync(LedgerDbContext db, long firstSequence, CancellationToken cancellationToken)
    {
        var clock = new StepClock(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await lease.FenceAsync(db, cancellationToken);
        // Records of batches whose records are not written yet still look unbatched: only those after them are taken.
        var after = await LastPendingRecordIdAsync(db, cancellationToken);

        // Only what the tree needs, untracked: ids in ingest order and digests.
        var records = await db.Records.AsNoTracking().Where(r => r.BatchId == null && r.Id > after).OrderBy(r => r.Id).Take(options.BatchSize)
            .Select(r => new { r.Id, r.Digest })
            .ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return null;
        }

        var read = clock.Lap();
        var tree = MerkleTree.Build(records.Select(r => r.Digest).ToList());
        var built = clock.Lap();
        var batch = new AnchorBatch
        {
            FirstSequence = firstSequence,
            RecordCount = records.Count,
            Root = tree.Root,
            State = AnchorBatchState.Planned,
            CreatedAt = time.GetUtcNow(),
            LedgerContract = ledger,
            PendingRecordIds = RecordIdRanges.Pack(records.Select(r => r.Id).ToList()),
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        var written = clock.Lap();
        await transaction.CommitAsync(cancellationToken);
        return new PlannedBatch(batch, tree, new BatchPlanTimings(read, built, written, clock.Lap()));
    }

    /// <summary>
    /// Writes the batch, leaf index and proof of every record <paramref name="batch"/> (tracked by <paramref name="db"/>)
    /// covers and clears its <see cref="AnchorBatch.PendingRecordIds"/>, in one transaction fenced by the lease. Does
    /// nothing when they are written already. Without <paramref name="tree"/> (after a crash, or on another replica) the
    /// tree is built again from the records' digests and must give the batch's root.
    /// </summary>
    /// <returns>How long each step took; null when there was nothing to write.</returns>
    /// <exception cref="AnchoringInconsistencyException">When the stored ids do not give the batch's count and root; nothing was written.</exception>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease; nothing was written.</exception>
    public async Task<BatchAssignmentTimings?> AssignRecordsAsync(
        LedgerDbContext db, AnchorBatch batch, MerkleTree? tree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.PendingRecordIds is not { } packed)
        {
            return null;
        }

        var clock = new StepClock(time);
        var ids = RecordIdRanges.Unpack(packed);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        tree ??= await RebuildTreeAsync(db, batch, ids, cancellationToken);
        var rebuilt = clock.Lap();
        if (tree.Root != batch.Root || tree.LeafCount != ids.Count)
        {
            throw new AnchoringInconsistencyException(
                $"Batch {batch.Id} (root {batch.Root}) was given a tree of {tree.LeafCount} leaves with root {tree.Root} for its {ids.Count} records.");
        }

        var proofs = Enumerable.Range(0, ids.Count).Select(i => StoredRecord.PackProof(tree.GetProof(i))).ToList();
        var derived = clock.Lap();
        await RecordBatchAssignment.AssignAsync(db, batch.Id, ids, proofs, cancellationToken);

        // Fenced after the long update, not before: on PostgreSQL the fence locks the lease row until the commit, and the
        // worker's own fenced writes (planning, sending, recording confirmations) must not wait seconds behind it. The
        // lease row before the batch row, in the order the worker's writes take them, so the two never deadlock.
        await lease.FenceAsync(db, cancellationToken);
        batch.PendingRecordIds = null;
        await db.SaveChangesAsync(cancellationToken);
        var written = clock.Lap();
        await transaction.CommitAsync(cancellationToken);
        return new BatchAssignmentTimings(rebuilt, derived, written, clock.Lap());
    }

    /// <summary>
    /// The id of the last record covered by a batch whose records are not written yet, or 0 when there is none. Record
    /// ids become visible in id order and batches take waiting records in id order, so every record without a batch at
    /// or below it belongs to one of those batches: the waiting records are the ones after it.
    /// </summary>
    public static async Task<long> LastPendingRecordIdAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        var pending = await db.Batches.AsNoTracking().Where(b => b.PendingRecordIds != null).Select(b => b.PendingRecordIds!)
            .ToListAsync(cancellationToken);
        return pending.Select(p => RecordIdRanges.Unpack(p).LastOrDefault()).DefaultIfEmpty(0).Max();
    }

    private static async Task<MerkleTree> RebuildTreeAsync(LedgerDbContext db, AnchorBatch batch, List<long> ids, CancellationToken cancellationToken)
    {
        var digests = await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id) && r.BatchId == null).OrderBy(r => r.Id)
            .Select(r => r.Digest).ToListAsync(cancellationToken);
        if (digests.Count != batch.RecordCount || ids.Count != batch.RecordCount)
        {
            throw new AnchoringInconsistencyException(
                $"Batch {batch.Id} (root {batch.Root}) covers {batch.RecordCount} records; its stored ids name {ids.Count}, of which {digests.Count} " +
                "exist without a batch. Nothing is written; an operator must look.");
        }

        return MerkleTree.Build(digests);
    }
}
