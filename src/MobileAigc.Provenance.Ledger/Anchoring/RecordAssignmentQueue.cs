using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// Writes planned batches' records (<see cref="BatchPlanner.AssignRecordsAsync"/>) one batch at a time, in planning
/// order, on a task of its own with a database context of its own, so that the anchoring worker plans and sends the
/// next batch, and records confirmations, meanwhile. Holds nothing durable: a batch whose write failed, or was never
/// started before a crash, still has its <see cref="AnchorBatch.PendingRecordIds"/>, and the worker's next pass hands
/// it over again.
/// </summary>
/// <remarks>Thread-safe: the worker enqueues from its passes while the queue's task writes.</remarks>
/// <param name="databases">The ledger database.</param>
/// <param name="assign">Writes one batch's records, tracked by the given context; returns when committed.</param>
/// <param name="failed">Told about a batch whose write failed (it stays pending and is handed over again).</param>
internal sealed class RecordAssignmentQueue(
    IDbContextFactory<LedgerDbContext> databases,
    Func<LedgerDbContext, AnchorBatch, MerkleTree?, CancellationToken, Task> assign,
    Action<long, Exception> failed)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long BatchId, MerkleTree? Tree)> _waiting = new();
    private readonly HashSet<long> _held = [];
    private Task _running = Task.CompletedTask;
    private bool _draining;

    /// <summary>How many batches are waiting or being written.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>
    /// Queues the write of batch <paramref name="batchId"/>'s records, with its tree when the planner still has it;
    /// does nothing when that batch is already waiting or being written.
    /// </summary>
    /// <param name="batchId">The batch.</param>
    /// <param name="tree">Its Merkle tree; null to build it again from the records' digests.</param>
    /// <param name="cancellationToken">Stops the writes (the worker is stopping); an interrupted write commits nothing.</param>
    public void Enqueue(long batchId, MerkleTree? tree, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_held.Add(batchId))
            {
                return;
            }

            _waiting.Enqueue((batchId, tree));
            if (!_draining)
            {
                // Decided under the lock the drain loop ends under, so no batch is left queued with nothing draining.
                _draining = true;
                _running = Task.Run(() => DrainAsync(cancellationToken), CancellationToken.None);
            }
        }
    }

    /// <summary>Waits until every queued write has finished (committed, failed or cancelled). Never throws.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _running;
        }
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            (long BatchId, MerkleTree? Tree) next;
            lock (_gate)
            {
                if (!_waiting.TryDequeue(out next))
                {
                    _draining = false;
                    return;
                }
            }

            try
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    await WriteAsync(next.BatchId, next.Tree, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    failed(next.BatchId, e);
                }
            }
            finally
            {
                lock (_gate)
                {
                    _held.Remove(next.BatchId);
                }
            }
        }
    }

    private async Task WriteAsync(long batchId, MerkleTree? tree, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var batch = await db.Batches.SingleOrDefaultAsync(b => b.Id == batchId, cancellationToken);
        if (batch?.PendingRecordIds is null)
        {
            return; // written already (another replica, or a pass before this one)
        }

        await assign(db, batch, tree, cancellationToken);
    }
}
