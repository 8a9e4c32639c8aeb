using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>Two ledger replicas, each with its own anchoring worker running in the background, over one PostgreSQL database.</summary>
[Collection(AnchoringCollection.Name)]
public sealed class AnchoringReplicasTests(LedgerChainFixture chain, PostgresDatabases databases)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static AnchoringOptions Options() => new()
    {
        BatchSize = 16,
        MaxBatchAge = TimeSpan.FromMilliseconds(300),
        LeaseDuration = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task TwoReplicas_AnchoringOneKilled_TheOtherTakesOverAndNoBatchIsAnchoredTwice()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var a = bed.NewWorker(TimeProvider.System, Options(), bed.ChainWith(), "replica-a");
        var b = bed.NewWorker(TimeProvider.System, Options(), bed.ChainWith(), "replica-b");
        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        try
        {
            await bed.AcceptRecordsAsync(40, TimeProvider.System.GetUtcNow());
            await WaitUntilAsync(async () => await PendingAsync(bed) == 0 && await UnfinishedAsync(bed) == 0);

            var holder = await HolderAsync(bed);
            var (killed, survivor) = holder == "replica-a" ? (a, b) : (b, a);
            Assert.NotNull(killed.Lease.Generation);
            Assert.Null(survivor.Lease.Generation);

            // kill -9: the holder stops mid-flight and never gives the lease back.
            killed.ReleaseLeaseOnStop = false;
            await bed.AcceptRecordsAsync(40, TimeProvider.System.GetUtcNow());
            await killed.StopAsync(CancellationToken.None);

            await WaitUntilAsync(async () => await PendingAsync(bed) == 0 && await UnfinishedAsync(bed) == 0);
            Assert.Equal(survivor.Lease.Holder, await HolderAsync(bed));
            await bed.AssertAllAnchoredExactlyOnceAsync(80);
        }
        finally
        {
            await a.StopAsync(CancellationToken.None);
            await b.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> PendingAsync(AnchoringTestBed bed)
    {
        await using var db = await bed.Databases.CreateDbContextAsync();
        return await db.Records.CountAsync(r => r.BatchId == null);
    }

    private static async Task<int> UnfinishedAsync(AnchoringTestBed bed)
    {
        await using var db = await bed.Databases.CreateDbContextAsync();
        return await db.Batches.CountAsync(b => b.State != AnchorBatchState.Anchored);
    }

    private static async Task<string> HolderAsync(AnchoringTestBed bed)
    {
        await using var db = await bed.Databases.CreateDbContextAsync();
        return (await db.Leases.SingleAsync(l => l.Name == AnchoringWorker.LeaseName)).Holder;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
