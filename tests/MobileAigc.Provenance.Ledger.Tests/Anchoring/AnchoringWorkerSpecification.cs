using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>
/// The anchoring worker against a real anvil, on every database provider: batching, proofs, and
/// resumption after a crash at each step, a chain node outage and a reorganisation.
/// </summary>
public abstract class AnchoringWorkerSpecification(LedgerChainFixture chain, LedgerDatabases databases, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static AnchoringOptions Small(int batchSize = 8) => new() { BatchSize = batchSize, MaxBatchAge = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task RunOnce_FewYoungRecords_WaitsUntilTheBatchAgeThenAnchors()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(3, time.GetUtcNow());
        var worker = bed.NewWorker(time, Small());

        Assert.Equal(AnchoringStep.Idle, await worker.RunOnceAsync());
        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(AnchoringStep.Idle, await worker.RunOnceAsync());
        Assert.Empty(await bed.BatchesAsync());

        time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
        Assert.Equal(AnchoringStep.Anchored, await AnchoringTestBed.RunPastWaitingAsync(worker));
        await bed.AssertAllAnchoredExactlyOnceAsync(3);
    }

    [Fact]
    public async Task RunOnce_LedgerSwitchedToAnotherDeployment_ThisReplicaStopsAnchoring()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(2, time.GetUtcNow() - TimeSpan.FromMinutes(1));
        await using (var db = await bed.Databases.CreateDbContextAsync())
        {
            // Another replica recorded a switch to a newer deployment; this one still runs with the old configuration.
            db.Deployments.Add(new LedgerDeploymentRow
            {
                ChainId = bed.Chain.Current.ChainId, ProvenanceLedger = Audit.AuditRows.RandomAddress(),
                ModelRegistry = Audit.AuditRows.RandomAddress(), ActivatedAt = Start,
            });
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<AnchoringInconsistencyException>(() => bed.NewWorker(time, Small()).RunOnceAsync());

        Assert.Contains($"configured with ProvenanceLedger {bed.Chain.Ledger.Address}, but the ledger switched to", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await bed.BatchesAsync());
        Assert.Equal(0, await bed.ChainBatchCountAsync());
    }

    [Fact]
    public async Task RunOnce_BatchSizeReached_ClosesTheBatchAtOnceWithBatchSizeRecords()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(11, time.GetUtcNow());
        var worker = bed.NewWorker(time, Small(batchSize: 8));

        var steps = await AnchoringTestBed.DrainAsync(worker);

        // A pass may also find the transaction not yet visible at the node's latest block (Waiting):
        // anvil answers from the state before and after its mining for a moment. What matters is one send.
        Assert.Equal([AnchoringStep.Sent, AnchoringStep.Anchored, AnchoringStep.Idle], steps.Where(s => s != AnchoringStep.Waiting));
        var batch = Assert.Single(await bed.BatchesAsync());
        Assert.Equal(8, batch.RecordCount);
        Assert.Equal(3, (await bed.RecordsAsync()).Count(r => r.BatchId is null));
    }

    [Fact]
    public async Task Drain_RecordsOverSeveralBatches_EveryRecordHasAProofTheContractAccepts()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(21, time.GetUtcNow());
        var worker = bed.NewWorker(time, Small(batchSize: 8));
        await AnchoringTestBed.DrainAsync(worker);
        time.Advance(TimeSpan.FromSeconds(10));

        await AnchoringTestBed.DrainAsync(worker);

        Assert.Equal([8, 8, 5], (await bed.BatchesAsync()).Select(b => b.RecordCount));
        await bed.AssertAllAnchoredExactlyOnceAsync(21);
    }

    [Fact]
    public async Task Drain_3000RecordsInBatchesOf1024_ThreeContiguousBatchesAndGasPerRecordMeasured()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(3_000, time.GetUtcNow());
        // The gas figure of issue 16 is for batches of 1,024; the default batch takes up to 65,536.
        var worker = bed.NewWorker(time, new AnchoringOptions { BatchSize = 1_024 });
        var transactionsBefore = await bed.AnchorerTransactionCountAsync();
        await AnchoringTestBed.DrainAsync(worker);
        time.Advance(TimeSpan.FromSeconds(10));

        await AnchoringTestBed.DrainAsync(worker);

        var batches = await bed.BatchesAsync();
        Assert.Equal([1_024, 1_024, 952], batches.Select(b => b.RecordCount));
        Assert.Equal([0L, 1_024L, 2_048L], batches.Select(b => b.FirstSequence));
        Assert.Equal(transactionsBefore + 3, await bed.AnchorerTransactionCountAsync()); // one transaction per batch
        await bed.AssertAllAnchoredExactlyOnceAsync(3_000);
        var gas = batches[0].GasUsed!.Value;
        output.WriteLine($"anchorBatch of 1,024 records: {gas} gas, {gas / 1_024.0:F1} gas per record ({databases.Provider}).");
        Assert.InRange(gas / 1_024.0, 1, 200);
    }

    [Fact]
    public async Task Restart_CrashAfterPlanningBeforeSending_SendsTheSameBatchOnce()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var crashed = bed.NewWorker(time, Small());
        await PlanOnlyAsync(bed, crashed, time);

        var restarted = bed.NewWorker(time, Small());
        Assert.Equal(AnchoringStep.NotLeaseHolder, await restarted.RunOnceAsync());
        time.Advance(TimeSpan.FromSeconds(15));
        var transactionsBefore = await bed.AnchorerTransactionCountAsync();
        await AnchoringTestBed.DrainAsync(restarted);

        Assert.Single(await bed.BatchesAsync());
        Assert.Equal(transactionsBefore + 1, await bed.AnchorerTransactionCountAsync());
        await bed.AssertAllAnchoredExactlyOnceAsync(8);
    }

    [Fact]
    public async Task Restart_CrashAfterSendingBeforeRecording_FindsTheBatchOnChainAndDoesNotSendAgain()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var crashed = bed.NewWorker(time, Small());
        var planned = await PlanOnlyAsync(bed, crashed, time);
        // What the crashed worker did last: the transaction left, its hash was never stored.
        var sentHash = await bed.Chain.Ledger.SendAnchorBatchAsync(planned.Root, (ulong)planned.FirstSequence, (uint)planned.RecordCount);

        time.Advance(TimeSpan.FromSeconds(15));
        var steps = await AnchoringTestBed.DrainAsync(bed.NewWorker(time, Small()));

        Assert.DoesNotContain(AnchoringStep.Sent, steps);
        var batch = Assert.Single(await bed.BatchesAsync());
        Assert.Equal(0, batch.SubmitAttempts);
        Assert.Equal(sentHash, batch.TransactionHash.ToString(), ignoreCase: true);
        await bed.AssertAllAnchoredExactlyOnceAsync(8);
    }

    [Fact]
    public async Task Restart_CrashAfterRecordingTheSend_WaitsForTheSameTransaction()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var transactionsBefore = await bed.AnchorerTransactionCountAsync();
        Assert.Equal(AnchoringStep.Sent, await bed.NewWorker(time, Small()).RunOnceAsync());
        var sent = Assert.Single(await bed.BatchesAsync()).TransactionHash;

        time.Advance(TimeSpan.FromSeconds(15));
        var steps = await AnchoringTestBed.DrainAsync(bed.NewWorker(time, Small()));

        // Sent: at most the identical transaction again, while anvil mines it (see AnchorerTransactionCountAsync).
        Assert.Equal([AnchoringStep.Anchored, AnchoringStep.Idle], steps.Where(s => s is not (AnchoringStep.Waiting or AnchoringStep.Sent)));
        Assert.Equal(sent, Assert.Single(await bed.BatchesAsync()).TransactionHash);
        Assert.Equal(transactionsBefore + 1, await bed.AnchorerTransactionCountAsync());
        await bed.AssertAllAnchoredExactlyOnceAsync(8);
    }

    [Fact]
    public async Task RunOnce_ChainNodeUnreachable_RecordsWaitThenAreAnchoredOnceWhenItReturns()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        using var relay = TcpRelay.Start(chain.Node.RpcUrl);
        var worker = bed.NewWorker(time, Small(), bed.ChainWith(relay.Url));
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        relay.Pause();

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => worker.RunOnceAsync());
        }

        Assert.Empty(await bed.BatchesAsync());
        Assert.All(await bed.RecordsAsync(), r => Assert.Null(r.BatchId));

        relay.Resume();
        await AnchoringTestBed.DrainAsync(worker);
        await bed.AssertAllAnchoredExactlyOnceAsync(8);
    }

    [Fact]
    public async Task RunOnce_ChainNodeGoneBetweenPlanningAndSending_SendsOnceWhenItReturns()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        using var relay = TcpRelay.Start(chain.Node.RpcUrl);
        var worker = bed.NewWorker(time, Small(), bed.ChainWith(relay.Url));
        await PlanOnlyAsync(bed, worker, time, accept: 8);
        relay.Pause();

        await Assert.ThrowsAnyAsync<Exception>(() => worker.RunOnceAsync());
        Assert.Equal(AnchorBatchState.Planned, Assert.Single(await bed.BatchesAsync()).State);

        var transactionsBefore = await bed.AnchorerTransactionCountAsync();
        relay.Resume();
        await AnchoringTestBed.DrainAsync(worker);
        Assert.Single(await bed.BatchesAsync());
        Assert.Equal(transactionsBefore + 1, await bed.AnchorerTransactionCountAsync());
        await bed.AssertAllAnchoredExactlyOnceAsync(8);
    }

    [Fact]
    public async Task RunOnce_ReorganisationDropsTheUnconfirmedBatch_SendsItAgainAndAnchorsItOnce()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        var worker = bed.NewWorker(time, Small(), bed.ChainWith(confirmations: 2));
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var beforeSend = await bed.SnapshotAsync();
        Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
        var mined = await bed.RunUntilSeenMinedAsync(worker); // mined, 0 of 2 confirmations

        await bed.RevertAsync(beforeSend);
        await bed.MineAsync(3); // the other branch grows past the dropped block
        Assert.Equal(0, await bed.ChainBatchCountAsync());

        Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
        Assert.Equal(AnchoringStep.Waiting, await AnchoringTestBed.RunPastResendAsync(worker));
        await bed.MineAsync(2);
        Assert.Equal(AnchoringStep.Anchored, await worker.RunOnceAsync());

        var batch = Assert.Single(await bed.BatchesAsync());
        Assert.True(batch.SubmitAttempts >= 2, $"sent {batch.SubmitAttempts} times"); // once more after the reorganisation
        Assert.NotEqual(mined.BlockHash, batch.BlockHash);
        await bed.AssertAllAnchoredExactlyOnceAsync(8);
    }

    [Fact]
    public async Task Drain_AnotherAnchorerAnchorsOnTheSameContract_ThisLedgerKeepsAnchoring()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        var other = await chain.NewAccountAsync();
        await bed.Chain.Ledger.SetAnchorerAsync(other.Address, true);
        var otherLedger = bed.Deployment.Contracts.LedgerFor(other.Web3);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var worker = bed.NewWorker(time, Small());
        await AnchoringTestBed.DrainAsync(worker);

        // Another ledger (or anyone the owner allowed) anchors on the same contract, before and between
        // this ledger's batches: with one shared sequence this halted this ledger's anchoring for good.
        await otherLedger.AnchorBatchAsync(Core.Primitives.Bytes32.Sha256([7]), 0, 5);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        await AnchoringTestBed.DrainAsync(worker);
        await otherLedger.AnchorBatchAsync(Core.Primitives.Bytes32.Sha256([8]), 5, 100);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        await AnchoringTestBed.DrainAsync(worker);

        await bed.AssertAllAnchoredExactlyOnceAsync(24);
        Assert.Equal(24UL, await bed.Chain.Ledger.NextSequenceAsync(bed.Deployment.Owner.Address));
        Assert.Equal(105UL, await bed.Chain.Ledger.NextSequenceAsync(other.Address));
        Assert.All(await bed.BatchesAsync(), b => Assert.Equal(AnchorBatchState.Anchored, b.State));
    }

    [Fact]
    public async Task RunOnce_ChainAheadOfTheLedger_RefusesToPlanLoudly()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        // Someone else anchored on this contract: the ledger's batches no longer line up.
        await bed.Chain.Ledger.AnchorBatchAsync(Core.Primitives.Bytes32.Sha256([1]), 0, 5);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());

        var error = await Assert.ThrowsAsync<AnchoringInconsistencyException>(() => bed.NewWorker(time, Small()).RunOnceAsync());

        Assert.Contains("next sequence is 5", error.Message, StringComparison.Ordinal);
        Assert.Empty(await bed.BatchesAsync());
    }

    [Fact]
    public async Task RunOnce_ReplicaWithoutTheLease_DoesNothing()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        await bed.AcceptRecordsAsync(8, time.GetUtcNow());
        var holder = bed.NewWorker(time, Small());
        var other = bed.NewWorker(time, Small());
        Assert.Equal(AnchoringStep.Sent, await holder.RunOnceAsync());

        Assert.Equal(AnchoringStep.NotLeaseHolder, await other.RunOnceAsync());
        time.Advance(TimeSpan.FromSeconds(10)); // the holder renews within its lease...
        Assert.Equal(AnchoringStep.Anchored, await AnchoringTestBed.RunPastWaitingAsync(holder));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(AnchoringStep.NotLeaseHolder, await other.RunOnceAsync()); // ...so the other never gets it
    }

    /// <summary>Plans a batch the way the worker does, then "crashes" (stops before sending).</summary>
    private static async Task<AnchorBatch> PlanOnlyAsync(AnchoringTestBed bed, AnchoringWorker worker, TimeProvider time, int accept = 0)
    {
        if (accept > 0)
        {
            await bed.AcceptRecordsAsync(accept, time.GetUtcNow());
        }

        Assert.True(await worker.Lease.TryHoldAsync());
        await using var db = await bed.Databases.CreateDbContextAsync();
        var planner = new BatchPlanner(Small(), time, worker.Lease, bed.Chain.Ledger.Address);
        var planned = await planner.PlanAsync(db, await BatchPlanner.NextSequenceAsync(db, bed.Chain.Ledger.Address, default), default);
        Assert.NotNull(planned);
        Assert.Equal(AnchorBatchState.Planned, planned.Batch.State);
        return planned.Batch;
    }
}

[Collection(AnchoringCollection.Name)]
public sealed class SqliteAnchoringWorkerTests(LedgerChainFixture chain, SqliteDatabases databases, ITestOutputHelper output)
    : AnchoringWorkerSpecification(chain, databases, output), IClassFixture<SqliteDatabases>;

[Collection(AnchoringCollection.Name)]
public sealed class PostgresAnchoringWorkerTests(LedgerChainFixture chain, PostgresDatabases databases, ITestOutputHelper output)
    : AnchoringWorkerSpecification(chain, databases, output);
