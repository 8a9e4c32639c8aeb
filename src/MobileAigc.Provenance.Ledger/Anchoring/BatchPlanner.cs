using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// Closes a batch when enough records wait or the oldest waited long enough: builds the Merkle
/// tree over their digests (in <see cref="StoredRecord.Id"/> order) and stores, in one
/// transaction fenced by the lease, the batch (<see cref="AnchorBatchState.Planned"/>) and every
/// record's batch, leaf index and proof (<see cref="RecordBatchAssignment"/>: set-based, no change
/// tracking). Either all of that is durable or none of it is.
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
        var pending = db.Records.Where(r => r.BatchId == null);
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
    /// <see cref="AnchoringOptions.BatchSize"/> waiting records, or returns null when none wait.
    /// </summary>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease; nothing was written.</exception>
    public async Task<PlannedBatch?> PlanAsync(LedgerDbContext db, long firstSequence, CancellationToken cancellationToken)
    {
        var step = time.GetTimestamp();
        TimeSpan Lap()
        {
            var now = time.GetTimestamp();
            var elapsed = time.GetElapsedTime(step, now);
            step = now;
            return elapsed;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await lease.FenceAsync(db, cancellationToken);
        // Only what the tree and the update need, untracked: ids in ingest order and digests.
        var records = await db.Records.AsNoTracking().Where(r => r.BatchId == null).OrderBy(r => r.Id).Take(options.BatchSize)
            .Select(r => new { r.Id, r.Digest })
            .ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return null;
        }

        var read = Lap();
        var tree = MerkleTree.Build(records.Select(r => r.Digest).ToList());
        var built = Lap();
        var proofs = Enumerable.Range(0, records.Count).Select(i => StoredRecord.PackProof(tree.GetProof(i))).ToList();
        var derived = Lap();
        var batch = new AnchorBatch
        {
            FirstSequence = firstSequence,
            RecordCount = records.Count,
            Root = tree.Root,
            State = AnchorBatchState.Planned,
            CreatedAt = time.GetUtcNow(),
            LedgerContract = ledger,
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        await RecordBatchAssignment.AssignAsync(db, batch.Id, records.Select(r => r.Id).ToList(), proofs, cancellationToken);
        var written = Lap();
        await transaction.CommitAsync(cancellationToken);
        return new PlannedBatch(batch, new BatchPlanTimings(read, built, derived, written, Lap()));
    }
}
