using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>
/// Several batches in flight at once with consecutive nonces, against a real anvil whose mining the tests control
/// (automine off: transactions wait in the pool until a block is mined): dropped transactions sent again, stuck ones
/// replaced, a replacement racing its original, a nonce taken by another transaction, a crash with several in flight.
/// Every test ends with every record anchored exactly once.
/// </summary>
public abstract class AnchoringPipelineSpecification(LedgerChainFixture chain, LedgerDatabases databases)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static AnchoringOptions Options(int maxInFlight = 8) => new()
    {
        BatchSize = 8,
        MaxBatchAge = TimeSpan.FromSeconds(10),
        MaxInFlight = maxInFlight,
        ReplaceAfter = TimeSpan.FromSeconds(45),
    };

    [Fact]
    public async Task RunOnce_ThreeBatchesDue_SendsAllThreeWithConsecutiveNoncesBeforeAnyIsMined()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(24, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());

            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());

            var sent = await bed.BatchesAsync();
            Assert.Equal(3, sent.Count);
            Assert.All(sent, b => Assert.Equal(AnchorBatchState.Submitted, b.State));
            Assert.Equal([sent[0].Nonce, sent[0].Nonce + 1, sent[0].Nonce + 2], sent.Select(b => b.Nonce));
            foreach (var batch in sent)
            {
                Assert.True(await bed.IsPendingAsync(batch.TransactionHash.ToString()!));
            }

            Assert.Equal(AnchoringStep.Waiting, await worker.RunOnceAsync());
            await bed.MineAsync(1);
            Assert.Equal(AnchoringStep.Anchored, await worker.RunOnceAsync());

            var anchored = await bed.BatchesAsync();
            Assert.Single(anchored.Select(b => b.BlockNumber).Distinct());
            Assert.All(anchored, b => Assert.Equal(1, b.SubmitAttempts));
            await bed.AssertAllAnchoredExactlyOnceAsync(24);
        });
    }

    [Fact]
    public async Task RunOnce_MaxInFlightReached_PlansNoMoreUntilOneIsMined()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(32, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options(maxInFlight: 2));

            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            Assert.Equal(2, (await bed.BatchesAsync()).Count);
            Assert.Equal(AnchoringStep.Waiting, await worker.RunOnceAsync());
            Assert.Equal(2, (await bed.BatchesAsync()).Count);

            await bed.MineAsync(1);
            Assert.Equal(AnchoringStep.Anchored, await worker.RunOnceAsync());
            Assert.Equal(4, (await bed.BatchesAsync()).Count);
            await bed.MineAsync(1);
            await AnchoringTestBed.DrainAsync(worker);

            await bed.AssertAllAnchoredExactlyOnceAsync(32);
        });
    }

    [Fact]
    public async Task RunOnce_FirstOfTwoInFlightDropped_SendsItAgainWithItsNonceAndBothAreAnchoredOnce()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(16, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());
            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var sent = await bed.BatchesAsync();
            var dropped = sent[0].TransactionHash.ToString()!;

            await bed.DropTransactionAsync(dropped);
            Assert.False(await bed.IsPendingAsync(dropped));
            await bed.MineAsync(1); // the second cannot be mined: its nonce follows the dropped one
            Assert.Equal(0, await bed.ChainBatchCountAsync());

            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var again = (await bed.BatchesAsync())[0];
            Assert.Equal(sent[0].Nonce, again.Nonce);
            Assert.Equal(dropped, again.TransactionHash.ToString()); // the very same transaction
            Assert.Equal(2, again.SubmitAttempts);
            Assert.True(await bed.IsPendingAsync(dropped));

            await bed.MineAsync(1);
            await AnchoringTestBed.DrainAsync(worker);
            await bed.AssertAllAnchoredExactlyOnceAsync(16);
        });
    }

    [Fact]
    public async Task RunOnce_TransactionStuckPastReplaceAfter_ReplacedWithTheSameNonceAndHigherFees()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(8, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());
            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var original = Assert.Single(await bed.BatchesAsync());

            time.Advance(TimeSpan.FromSeconds(44));
            Assert.Equal(AnchoringStep.Waiting, await worker.RunOnceAsync());
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());

            var replaced = Assert.Single(await bed.BatchesAsync());
            Assert.Equal(original.Nonce, replaced.Nonce);
            Assert.NotEqual(original.TransactionHash, replaced.TransactionHash);
            Assert.True(replaced.MaxFeePerGas >= original.MaxFeePerGas * 1.25m);
            Assert.True(replaced.MaxPriorityFeePerGas >= original.MaxPriorityFeePerGas * 1.25m);
            Assert.True(await bed.IsPendingAsync(replaced.TransactionHash.ToString()!));
            Assert.False(await bed.IsPendingAsync(original.TransactionHash.ToString()!)); // the node swapped them

            await bed.MineAsync(1);
            await AnchoringTestBed.DrainAsync(worker);
            var anchored = Assert.Single(await bed.BatchesAsync());
            Assert.Equal(replaced.TransactionHash, anchored.TransactionHash);
            await bed.AssertAllAnchoredExactlyOnceAsync(8);
        });
    }

    [Fact]
    public async Task RunOnce_OriginalMinedAfterItsReplacementWasSent_RecordsTheOriginalAndAnchorsOnce()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(8, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());
            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var original = Assert.Single(await bed.BatchesAsync());
            var originalRaw = await bed.RawTransactionAsync(original.TransactionHash.ToString()!);
            time.Advance(TimeSpan.FromSeconds(45));
            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var replacement = Assert.Single(await bed.BatchesAsync()).TransactionHash.ToString()!;

            // The race: another node still had the original and a miner took it, not the replacement.
            await bed.DropTransactionAsync(replacement);
            await bed.SendRawAsync(originalRaw);
            await bed.MineAsync(1);
            await AnchoringTestBed.DrainAsync(worker);

            var anchored = Assert.Single(await bed.BatchesAsync());
            Assert.Equal(original.TransactionHash, anchored.TransactionHash);
            Assert.Null(await bed.Chain.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(replacement));
            await bed.AssertAllAnchoredExactlyOnceAsync(8);
        });
    }

    [Fact]
    public async Task RunOnce_NonceUsedByAnotherTransactionOfTheKey_SendsTheBatchWithANewNonce()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(8, time.GetUtcNow());
            var worker = bed.NewWorker(time, Options());
            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var lost = Assert.Single(await bed.BatchesAsync());
            await bed.DropTransactionAsync(lost.TransactionHash.ToString()!);

            // Someone else with the anchorer key sends a transaction that takes the same nonce.
            var other = await bed.Chain.Web3.TransactionManager.SendTransactionAsync(new TransactionInput
            {
                From = bed.Chain.Anchorer.ToString(),
                To = bed.Chain.Anchorer.ToString(),
                Value = new HexBigInteger(1),
                Nonce = new HexBigInteger(lost.Nonce!.Value),
            });
            await bed.MineAsync(1);
            Assert.NotNull((await bed.Chain.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(other)).BlockNumber);

            Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
            var renewed = Assert.Single(await bed.BatchesAsync());
            Assert.Equal(lost.Nonce + 1, renewed.Nonce);
            await bed.MineAsync(1);
            await AnchoringTestBed.DrainAsync(worker);
            await bed.AssertAllAnchoredExactlyOnceAsync(8);
        });
    }

    [Fact]
    public async Task Restart_CrashWithSeveralInFlight_TheNextHolderFinishesEveryBatchOnce()
    {
        await WithManualMiningAsync(async bed =>
        {
            var time = new FakeTimeProvider(Start);
            await bed.AcceptRecordsAsync(16, time.GetUtcNow());
            var crashed = bed.NewWorker(time, Options());
            Assert.Equal(AnchoringStep.Sent, await crashed.RunOnceAsync());
            var sent = await bed.BatchesAsync();
            // kill -9: the second transaction was stored but the node never got it (or lost it with its restart);
            // a third batch was planned, not sent.
            await bed.DropTransactionAsync(sent[1].TransactionHash.ToString()!);
            await bed.AcceptRecordsAsync(8, time.GetUtcNow());
            await using (var db = await bed.Databases.CreateDbContextAsync())
            {
                var planner = new BatchPlanner(Options(), time, crashed.Lease, bed.Chain.Ledger.Address);
                Assert.NotNull(await planner.PlanAsync(db, await BatchPlanner.NextSequenceAsync(db, bed.Chain.Ledger.Address, default), default));
            }

            time.Advance(TimeSpan.FromSeconds(15));
            var restarted = bed.NewWorker(time, Options());
            Assert.Equal(AnchoringStep.Sent, await restarted.RunOnceAsync());

            var resumed = await bed.BatchesAsync();
            Assert.Equal(3, resumed.Count);
            Assert.Equal(sent[0].TransactionHash, resumed[0].TransactionHash); // still pending: waited for, not sent again
            Assert.Equal(1, resumed[0].SubmitAttempts);
            Assert.Equal(sent[1].TransactionHash, resumed[1].TransactionHash); // the same transaction again
            Assert.Equal(2, resumed[1].SubmitAttempts);
            Assert.Equal([sent[0].Nonce, sent[0].Nonce + 1, sent[0].Nonce + 2], resumed.Select(b => b.Nonce));

            await bed.MineAsync(1);
            await AnchoringTestBed.DrainAsync(restarted);
            await bed.AssertAllAnchoredExactlyOnceAsync(24);
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

[Collection(AnchoringCollection.Name)]
public sealed class SqliteAnchoringPipelineTests(LedgerChainFixture chain, SqliteDatabases databases)
    : AnchoringPipelineSpecification(chain, databases), IClassFixture<SqliteDatabases>;

[Collection(AnchoringCollection.Name)]
public sealed class PostgresAnchoringPipelineTests(LedgerChainFixture chain, PostgresDatabases databases)
    : AnchoringPipelineSpecification(chain, databases);
