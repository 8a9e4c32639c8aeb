using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Audit;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Upgrades;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Upgrades;

/// <summary>
/// The start-time check of a contract upgrade, run once per database provider: it records the first deployment,
/// switches only when nothing waits to be anchored and every old deployment is listed, and moves the indexers.
/// </summary>
public abstract class DeploymentSwitchSpecification(LedgerDatabases databases)
{
    private readonly FakeTimeProvider _time = new(AuditRows.ReceivedAt);
    private readonly EthECKey _anchorer = EthECKey.GenerateKey();

    [Fact]
    public virtual async Task EnsureAsync_FirstStart_RecordsTheDeploymentAndStampsOlderBatches()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        var unstamped = await AuditRows.BatchAsync(db, await AuditRows.InsertAsync(db, 2), 0, AnchorBatchState.Anchored);

        Assert.Equal(DeploymentSwitchOutcome.Recorded, await EnsureAsync(db, a));
        Assert.Equal(DeploymentSwitchOutcome.Unchanged, await EnsureAsync(db, a));

        await using var context = await db.CreateDbContextAsync();
        var row = Assert.Single(await context.Deployments.ToListAsync());
        Assert.Equal(EvmAddress.Parse(a.ProvenanceLedger!), row.ProvenanceLedger);
        Assert.Equal(EvmAddress.Parse(a.ModelRegistry!), row.ModelRegistry);
        Assert.Equal(EvmAddress.Parse(a.ProvenanceLedger!), (await context.Batches.SingleAsync(b => b.Id == unstamped.Id)).LedgerContract);
    }

    [Fact]
    public virtual async Task EnsureAsync_SwitchWithNothingWaiting_RecordsItRewindsTheIndexersAndEmptiesTheRegistryMirror()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        a.PaymentChannels = AuditRows.RandomAddress().ToString();
        await AuditRows.BatchAsync(db, await AuditRows.InsertAsync(db, 3), 0, AnchorBatchState.Anchored);
        await EnsureAsync(db, a);
        await using (var context = await db.CreateDbContextAsync())
        {
            context.ChainCursors.AddRange(
                new ChainCursor { Name = RegistryIndexer.CursorName, NextBlock = 500, LastBlockHash = AuditRows.RandomHash() },
                new ChainCursor { Name = SettlementIndexer.CursorName, NextBlock = 500 });
            context.Nodes.Add(new MirroredNode { Node = AuditRows.RandomAddress(), Operator = AuditRows.RandomAddress(), Registered = true });
            context.Models.Add(new MirroredModel { ModelHash = AuditRows.RandomHash(), Owner = AuditRows.RandomAddress(), Active = true });
            await context.SaveChangesAsync();
        }

        var b = Next(a);
        b.DeploymentBlock = 400;
        b.PaymentChannels = AuditRows.RandomAddress().ToString();
        Assert.Equal(DeploymentSwitchOutcome.Switched, await EnsureAsync(db, b));
        Assert.Equal(DeploymentSwitchOutcome.Unchanged, await EnsureAsync(db, b));

        await using var after = await db.CreateDbContextAsync();
        Assert.Equal([EvmAddress.Parse(a.ProvenanceLedger!), EvmAddress.Parse(b.ProvenanceLedger!)],
            await after.Deployments.OrderBy(d => d.Id).Select(d => d.ProvenanceLedger).ToListAsync());
        var registry = await after.ChainCursors.SingleAsync(c => c.Name == RegistryIndexer.CursorName);
        Assert.Equal(400, registry.NextBlock);
        Assert.Null(registry.LastBlockHash);
        Assert.Equal(400, (await after.ChainCursors.SingleAsync(c => c.Name == SettlementIndexer.CursorName)).NextBlock);
        Assert.Empty(await after.Nodes.ToListAsync());
        Assert.Empty(await after.Models.ToListAsync());
        // The old batch keeps its contract; the new contract's sequence space is empty.
        Assert.All(await after.Batches.ToListAsync(), batch => Assert.Equal(EvmAddress.Parse(a.ProvenanceLedger!), batch.LedgerContract));
    }

    [Fact]
    public virtual async Task EnsureAsync_CursorBehindTheNewDeployment_IsNotMovedForward()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        await EnsureAsync(db, a);
        await using (var context = await db.CreateDbContextAsync())
        {
            context.ChainCursors.Add(new ChainCursor { Name = RegistryIndexer.CursorName, NextBlock = 100 });
            await context.SaveChangesAsync();
        }

        var b = Next(a);
        b.DeploymentBlock = 400;
        await EnsureAsync(db, b);

        await using var after = await db.CreateDbContextAsync();
        Assert.Equal(100, (await after.ChainCursors.SingleAsync(c => c.Name == RegistryIndexer.CursorName)).NextBlock);
    }

    [Theory]
    [InlineData(AnchorBatchState.Planned, "0 accepted records wait for a batch and 1 batches are not anchored")]
    [InlineData(AnchorBatchState.Submitted, "0 accepted records wait for a batch and 1 batches are not anchored")]
    [InlineData(null, "2 accepted records wait for a batch and 0 batches are not anchored")]
    public virtual async Task EnsureAsync_SwitchWithABacklog_IsRefusedAndChangesNothing(AnchorBatchState? state, string expected)
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        await EnsureAsync(db, a);
        var waiting = await AuditRows.InsertAsync(db, 2);
        if (state is { } batchState)
        {
            await AuditRows.BatchAsync(db, waiting, 0, batchState);
        }

        var refused = await Assert.ThrowsAsync<DeploymentSwitchRefusedException>(() => EnsureAsync(db, Next(a)));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"Start again with {EvmAddress.Parse(a.ProvenanceLedger!)} as the current deployment", refused.Message, StringComparison.Ordinal);
        await using var after = await db.CreateDbContextAsync();
        Assert.Single(await after.Deployments.ToListAsync());
    }

    [Fact]
    public virtual async Task EnsureAsync_OldDeploymentNotListed_IsRefused()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        await EnsureAsync(db, a);
        var b = Next(a);
        b.PreviousDeployments.Clear();

        var refused = await Assert.ThrowsAsync<DeploymentSwitchRefusedException>(() => EnsureAsync(db, b));

        Assert.Contains($"accepted under ProvenanceLedger {EvmAddress.Parse(a.ProvenanceLedger!)}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not list: they would stop verifying", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task EnsureAsync_AfterTheSwitchWithTheOldDeploymentNoLongerListed_IsRefused()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        await EnsureAsync(db, a);
        var b = Next(a);
        await EnsureAsync(db, b);
        b.PreviousDeployments.Clear();

        var refused = await Assert.ThrowsAsync<DeploymentSwitchRefusedException>(() => EnsureAsync(db, b));

        Assert.Contains($"accepted under ProvenanceLedger {EvmAddress.Parse(a.ProvenanceLedger!)}", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task EnsureAsync_BackToAnEarlierDeployment_IsRefused()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        await EnsureAsync(db, a);
        var b = Next(a);
        await EnsureAsync(db, b);
        var backToA = PreviousDeploymentsTests.Current();
        backToA.ModelRegistry = a.ModelRegistry;
        backToA.ProvenanceLedger = a.ProvenanceLedger;
        backToA.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = b.ProvenanceLedger });

        var refused = await Assert.ThrowsAsync<DeploymentSwitchRefusedException>(() => EnsureAsync(db, backToA));

        Assert.Contains("Going back to an earlier deployment is not supported", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task EnsureAsync_SameLedgerWithAnotherRegistry_IsRefused()
    {
        var db = await databases.NewDatabaseAsync();
        var a = PreviousDeploymentsTests.Current();
        await EnsureAsync(db, a);
        a.ModelRegistry = AuditRows.RandomAddress().ToString();

        var refused = await Assert.ThrowsAsync<DeploymentSwitchRefusedException>(() => EnsureAsync(db, a));

        Assert.Contains("A ProvenanceLedger is bound to the registry it was deployed with", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public virtual async Task EnsureAsync_UntrackedRecordsWithPreviousDeploymentsConfigured_IsRefused()
    {
        var db = await databases.NewDatabaseAsync();
        await AuditRows.InsertAsync(db, 1);

        var refused = await Assert.ThrowsAsync<DeploymentSwitchRefusedException>(() => EnsureAsync(db, Next(PreviousDeploymentsTests.Current())));

        Assert.Contains("the ledger cannot tell which contract they belong to", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A new deployment on the same chain that lists <paramref name="previous"/> as its previous one.</summary>
    private static LedgerChainOptions Next(LedgerChainOptions previous)
    {
        var next = PreviousDeploymentsTests.Current();
        next.PreviousDeployments.Add(new PreviousDeploymentOptions { ProvenanceLedger = previous.ProvenanceLedger });
        return next;
    }

    private Task<DeploymentSwitchOutcome> EnsureAsync(IDbContextFactory<LedgerDbContext> db, LedgerChainOptions options) =>
        DeploymentSwitch.EnsureAsync(db, LedgerChain.Open(options, _anchorer), _time);
}

public sealed class SqliteDeploymentSwitchTests(SqliteDatabases databases) : DeploymentSwitchSpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresDeploymentSwitchTests(PostgresDatabases databases) : DeploymentSwitchSpecification(databases);
