using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>
/// A batch is planned with its records' ids and sent before its records are written (their batch, leaf index and
/// proof): a crash between the broadcast and that write, a second plan while it is pending, the background loop that
/// writes them while the next batches are planned, and ids that do not give the planned root, against a real anvil with manual mining. Every record still ends in exactly one anchored batch.
/// </summary>
public abstract class BatchAssignmentSpecification(LedgerChainFixture chain, LedgerDatabases databases)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static AnchoringOptions Options() => new() { BatchSize = 8, MaxBatchAge = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task RunOnce_CrashAfterBroadcastBeforeRecordsWritten_NextHolderWritesThemAndAnchorsOnce()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(8, time.GetUtcNow());
            var crashed = bed.NewWorker(time, Options());
            Assert.True(await crashed.Lease.TryHoldAsync(default));
            // The crashed worker's pass, cut after the broadcast: planned and sent, its records not written.
            await using (var db = await bed.Databases.CreateDbContextAsync())
            {
                var planner = new BatchPlanner(Options(), time, crashed.Lease, bed.Chain.Ledger.Address);
                var planned = await planner.PlanAsync(db, await BatchPlanner.NextSequenceAsync(db, bed.Chain.Ledger.Address, default), default);
                Assert.NotNull(planned);
                var tracker = new BatchTracker(bed.Chain, Options(), crashed.Lease, time, NullLogger.Instance);
                var pass = await AnchoringPass.ReadAsync(bed.Chain, -1);
                Assert.Equal(AnchoringStep.Sent, await tracker.AdvanceAsync(db, planned.Batch, pass, default));
            }

            Assert.All(await bed.RecordsAsync(), r => Assert.Null(r.BatchId));
            var sent = Assert.Single(await bed.BatchesAsync());
            Assert.NotNull(sent.PendingRecordIds);
            await bed.MineAsync(3);

            time.Advance(TimeSpan.FromSeconds(20)); // the crashed holder's lease expired
            var next = bed.NewWorker(time, Options());
            await AnchoringTestBed.DrainAsync(next);

            var anchored = Assert.Single(await bed.BatchesAsync());
            Assert.Equal(sent.TransactionHash, anchored.TransactionHash); // not sent again: the records were only written
            Assert.Equal(1, anchored.SubmitAttempts);
            await bed.AssertAllAnchoredExactlyOnceAsync(8);
        });
    }

    [Fact]
    public async Task PlanAsync_AnotherBatchsRecordsPending_TakesOnlyTheRecordsAfterThem()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            var records = await bed.AcceptRecordsAsync(12, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());
            Assert.True(await worker.Lease.TryHoldAsync(default));
            await using var db = await bed.Databases.CreateDbContextAsync();
            var planner = new BatchPlanner(Options(), time, worker.Lease, bed.Chain.Ledger.Address);
            var first = await planner.PlanAsync(db, 0, default);
            Assert.NotNull(first);

            var second = await planner.PlanAsync(db, 8, default);

            Assert.NotNull(second);
            Assert.Equal(records.Take(8).Select(r => r.Id), RecordIdRanges.Unpack(first.Batch.PendingRecordIds!));
            Assert.Equal(records.Skip(8).Select(r => r.Id), RecordIdRanges.Unpack(second.Batch.PendingRecordIds!));
            Assert.Null(await planner.PlanAsync(db, 12, default)); // nothing left that no batch covers
            // Written in the other order: each batch writes exactly its own records.
            await planner.AssignRecordsAsync(db, second.Batch, tree: null, default);
            await planner.AssignRecordsAsync(db, first.Batch, tree: null, default);
            var stored = await bed.RecordsAsync();
            Assert.Equal(Enumerable.Repeat(first.Batch.Id, 8).Concat(Enumerable.Repeat(second.Batch.Id, 4)), stored.OrderBy(r => r.Id).Select(r => r.BatchId!.Value));
            Assert.All(stored, r => Assert.Equal(r.Batch!.Root, MerkleTree.ComputeRoot(r.Digest, r.ProofHashes())));
        });
    }

    [Fact]
    public async Task BackgroundLoop_RecordsArriveWhileEarlierBatchesAreWritten_EveryRecordAnchoredExactlyOnce()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var worker = bed.NewWorker(TimeProvider.System, new AnchoringOptions { BatchSize = 8, MaxBatchAge = TimeSpan.FromMilliseconds(200) });
        await worker.StartAsync(CancellationToken.None);
        try
        {
            for (var round = 0; round < 5; round++)
            {
                await bed.AcceptRecordsAsync(13, TimeProvider.System.GetUtcNow());
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (!await AllAnchoredAsync(bed, 65))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }

        await bed.AssertAllAnchoredExactlyOnceAsync(65);
    }

    [Fact]
    public async Task RecordAssignmentQueue_BatchHandedOverTwiceAndAFailure_WritesOnceAndLetsAFailedBatchBeHandedOverAgain()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var worker = bed.NewWorker(time, Options());
        Assert.True(await worker.Lease.TryHoldAsync(default));
        long batchId;
        await using (var db = await bed.Databases.CreateDbContextAsync())
        {
            var planner = new BatchPlanner(Options(), time, worker.Lease, bed.Chain.Ledger.Address);
            batchId = (await planner.PlanAsync(db, 0, default))!.Batch.Id;
        }

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var failures = new List<long>();
        var queue = new RecordAssignmentQueue(
            bed.Databases,
            async (db, batch, tree, ct) =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await release.Task;
                    throw new InvalidOperationException("the database went away");
                }

                await worker.AssignRecordsAsync(db, batch, tree, ct);
            },
            (id, _) => failures.Add(id));

        queue.Enqueue(batchId, tree: null, default);
        queue.Enqueue(batchId, tree: null, default); // held already: ignored
        Assert.Equal(1, queue.Count);
        release.SetResult();
        await queue.WhenIdleAsync();
        Assert.Equal([batchId], failures);
        Assert.Equal(0, queue.Count);
        Assert.All(await bed.RecordsAsync(), r => Assert.Null(r.BatchId));

        queue.Enqueue(batchId, tree: null, default);
        await queue.WhenIdleAsync();
        Assert.Equal(2, calls);
        Assert.All(await bed.RecordsAsync(), r => Assert.Equal(batchId, r.BatchId));
        Assert.Null(Assert.Single(await bed.BatchesAsync()).PendingRecordIds);
    }

    private static async Task<bool> AllAnchoredAsync(AnchoringTestBed bed, int expected)
    {
        var records = await bed.RecordsAsync();
        var batches = await bed.BatchesAsync();
        return records.Count == expected && records.All(r => r.BatchId is not null) && batches.All(b => b.State == AnchorBatchState.Anchored);
    }

    [Fact]
    public async Task AssignRecordsAsync_StoredIdsMissAPlannedRecord_ThrowsAndWritesNothing()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            var records = await bed.AcceptRecordsAsync(8, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());
            Assert.True(await worker.Lease.TryHoldAsync(default));
            await using var db = await bed.Databases.CreateDbContextAsync();
            var planner = new BatchPlanner(Options(), time, worker.Lease, bed.Chain.Ledger.Address);
            var planned = await planner.PlanAsync(db, 0, default);
            Assert.NotNull(planned);
            // A damaged row: its first record left out of the stored ids.
            planned.Batch.PendingRecordIds = RecordIdRanges.Pack(records.Skip(1).Select(r => r.Id).ToList());
            await db.SaveChangesAsync();

            await Assert.ThrowsAsync<AnchoringInconsistencyException>(() => planner.AssignRecordsAsync(db, planned.Batch, tree: null, default));
            Assert.All(await bed.RecordsAsync(), r => Assert.Null(r.BatchId));
            Assert.NotNull(Assert.Single(await bed.BatchesAsync()).PendingRecordIds);
        });
    }

    [Fact]
    public async Task RunOnce_PlanningOutlastsThePollInterval_PlansOneBatchAPassSoConfirmationsAreReadBetween()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new SlowPassClock(Start);
            await bed.AcceptRecordsAsync(24, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());

            for (var pass = 1; pass <= 3; pass++)
            {
                Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
                Assert.Equal(pass, (await bed.BatchesAsync()).Count); // three batches due by size, one a pass
            }

            var sent = await bed.BatchesAsync();
            Assert.Equal([sent[0].Nonce, sent[0].Nonce + 1, sent[0].Nonce + 2], sent.Select(b => b.Nonce));
            Assert.All(sent, b => Assert.Null(b.PendingRecordIds));
        });
    }

    // The collection's anvil is shared by its tests one after another: mining goes back on whatever happens.
    private async Task WithManualMiningAsync(Func<AnchoringTestBed, Task> test)
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        await bed.SetAutomineAsync(false);
        try
        {
            await test(bed);
        }
        finally
        {
            await bed.SetAutomineAsync(true);
        }
    }
}

/// <summary>Wall-clock time stands still (leases and batch ages do not move); every step of the monotonic clock takes 2 s.</summary>
internal sealed class SlowPassClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks;

    public override DateTimeOffset GetUtcNow() => now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.FromSeconds(2).Ticks);
}

[Collection(AnchoringCollection.Name)]
public sealed class SqliteBatchAssignmentTests(LedgerChainFixture chain, SqliteDatabases databases)
    : BatchAssignmentSpecification(chain, databases), IClassFixture<SqliteDatabases>;

[Collection(AnchoringCollection.Name)]
public sealed class PostgresBatchAssignmentTests(LedgerChainFixture chain, PostgresDatabases databases)
    : BatchAssignmentSpecification(chain, databases);
