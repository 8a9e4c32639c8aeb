using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>The anchoring lease on every database provider.</summary>
public abstract class WorkerLeaseKeeperSpecification(LedgerDatabases databases)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task TryHold_FreeLease_OneReplicaHoldsItAndTheOtherIsRefused()
    {
        var factory = await databases.NewDatabaseAsync();
        var a = Keeper(factory, "a");
        var b = Keeper(factory, "b");

        Assert.True(await a.TryHoldAsync());
        Assert.False(await b.TryHoldAsync());
        Assert.Equal(1, a.Generation);
        Assert.Null(b.Generation);
    }

    [Fact]
    public async Task TryHold_HolderRenews_KeepsItPastTheFirstExpiry()
    {
        var factory = await databases.NewDatabaseAsync();
        var a = Keeper(factory, "a");
        var b = Keeper(factory, "b");
        Assert.True(await a.TryHoldAsync());

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(6));
            Assert.True(await a.TryHoldAsync());
            Assert.False(await b.TryHoldAsync());
        }

        Assert.Equal(1, a.Generation);
    }

    [Fact]
    public async Task TryHold_HolderDied_AnotherTakesItAfterExpiryWithANewGeneration()
    {
        var factory = await databases.NewDatabaseAsync();
        var dead = Keeper(factory, "dead");
        var b = Keeper(factory, "b");
        Assert.True(await dead.TryHoldAsync());

        _time.Advance(Duration - TimeSpan.FromMilliseconds(1));
        Assert.False(await b.TryHoldAsync());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await b.TryHoldAsync());

        Assert.Equal(2, b.Generation);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal("b", (await db.Leases.SingleAsync(l => l.Name == AnchoringWorker.LeaseName)).Holder);
    }

    [Fact]
    public async Task FenceAsync_AfterAnotherReplicaTookOver_ThrowsAndTheWriteIsRolledBack()
    {
        var factory = await databases.NewDatabaseAsync();
        var stalled = Keeper(factory, "stalled");
        var b = Keeper(factory, "b");
        Assert.True(await stalled.TryHoldAsync());
        _time.Advance(Duration);
        Assert.True(await b.TryHoldAsync());

        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Batches.Add(new AnchorBatch { FirstSequence = 0, RecordCount = 1, Root = Core.Primitives.Bytes32.Sha256([1]) });
            await Assert.ThrowsAsync<WorkerLeaseLostException>(() => stalled.FenceAsync(db));
        }

        Assert.Null(stalled.Generation);
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(0, await check.Batches.CountAsync());
    }

    [Fact]
    public async Task ReleaseAsync_GracefulStop_AnotherTakesItAtOnce()
    {
        var factory = await databases.NewDatabaseAsync();
        var a = Keeper(factory, "a");
        var b = Keeper(factory, "b");
        Assert.True(await a.TryHoldAsync());

        await a.ReleaseAsync();

        Assert.True(await b.TryHoldAsync());
        Assert.False(await a.TryHoldAsync());
    }

    private WorkerLeaseKeeper Keeper(IDbContextFactory<LedgerDbContext> factory, string holder) =>
        new(factory, _time, AnchoringWorker.LeaseName, holder, Duration);
}

public sealed class SqliteWorkerLeaseKeeperTests(SqliteDatabases databases)
    : WorkerLeaseKeeperSpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresWorkerLeaseKeeperTests(PostgresDatabases databases) : WorkerLeaseKeeperSpecification(databases);
