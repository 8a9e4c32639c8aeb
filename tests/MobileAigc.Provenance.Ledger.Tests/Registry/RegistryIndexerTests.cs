using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Ingest;

namespace MobileAigc.Provenance.Ledger.Tests.Registry;

/// <summary>The registry indexer against a real anvil, once per database provider.</summary>
public abstract class RegistryIndexerTests(LedgerChainFixture chain, LedgerDatabases databases)
{
    [Fact]
    public async Task IndexStepAsync_FreshDeployment_MirrorsModelOwnerAndNode()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();

        await CatchUpAsync(NewIndexer(db, deployment));

        var mirror = new RegistryMirror(db);
        var model = await mirror.FindModelAsync(deployment.ModelHash);
        Assert.NotNull(model);
        Assert.Equal(deployment.Owner.Address, model.Owner);
        Assert.Equal("ipfs://model", model.MetadataUri);
        Assert.Equal(500, model.RoyaltyBasisPoints);
        Assert.True(model.Active);
        Assert.True(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));
        Assert.Equal(deployment.Owner.Address, await mirror.FindNodeOperatorAsync(NodeOf(deployment)));
        Assert.False(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), Bytes32.Sha256("other"u8)));
    }

    [Fact]
    public async Task IndexStepAsync_TermsMetadataAndTransfer_MirrorsTheLatest()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var buyer = await chain.NewAccountAsync();
        var registry = deployment.Chain.Registry;
        await registry.UpdateTermsAsync(deployment.ModelHash, 1_000_000_000_000, 1_250, active: false);
        await registry.TransferModelAsync(deployment.Owner.Address, buyer.Address, deployment.ModelHash);

        await CatchUpAsync(NewIndexer(db, deployment));

        var model = await new RegistryMirror(db).FindModelAsync(deployment.ModelHash);
        Assert.NotNull(model);
        Assert.Equal(buyer.Address, model.Owner);
        Assert.Equal("1000000000000", model.PricePerGeneration);
        Assert.Equal(1_250, model.RoyaltyBasisPoints);
        Assert.False(model.Active);
    }

    [Fact]
    public async Task IndexStepAsync_DerivativeRegisteredThenTransferred_KeepsItsParentAndEveryOwnerChange()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var tuner = await chain.NewAccountAsync();
        var buyer = await chain.NewAccountAsync();
        var derived = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var registered = await deployment.Contracts.RegistryFor(tuner.Web3).RegisterDerivedModelAsync(derived, deployment.ModelHash, "ipfs://tuned", 3, 1_000);
        var transfer = await deployment.Contracts.RegistryFor(tuner.Web3).TransferModelAsync(tuner.Address, buyer.Address, derived);

        await CatchUpAsync(NewIndexer(db, deployment));

        await using var context = await db.CreateDbContextAsync();
        var model = await context.Models.SingleAsync(m => m.ModelHash == derived);
        Assert.Equal((deployment.ModelHash, buyer.Address), (model.ParentHash, model.Owner));
        var changes = await context.ModelOwnerChanges.Where(c => c.ModelHash == derived).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([(EvmAddress.Zero, tuner.Address), (tuner.Address, buyer.Address)], changes.Select(c => (c.PreviousOwner, c.NewOwner)));
        Assert.Equal([registered.BlockNumber, transfer.BlockNumber], changes.Select(c => (ulong)c.BlockNumber));
        Assert.Equal(Bytes32.Parse(transfer.Hash), changes[1].TransactionHash);
    }

    [Fact]
    public async Task IndexStepAsync_NodeModelRemovedThenNodeDeregistered_NodeNoLongerAuthorized()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var indexer = NewIndexer(db, deployment);
        var mirror = new RegistryMirror(db);
        var registry = deployment.Contracts.RegistryFor(deployment.Owner.Web3);
        var second = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        await registry.RegisterModelAsync(second, "ipfs://second", 0, 0);
        await registry.SetNodeModelAsync(NodeOf(deployment), second, serves: true);
        await registry.SetNodeApprovalAsync(second, NodeOf(deployment), approved: true);
        await CatchUpAsync(indexer);
        Assert.True(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), second));

        await registry.SetNodeModelAsync(NodeOf(deployment), second, serves: false);
        await CatchUpAsync(indexer);
        Assert.False(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), second));
        Assert.True(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));

        await registry.DeregisterNodeAsync(NodeOf(deployment));
        await CatchUpAsync(indexer);
        Assert.False(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));
        Assert.Null(await mirror.FindNodeOperatorAsync(NodeOf(deployment)));
    }

    [Fact]
    public async Task IndexStepAsync_ServingWithoutTheOwnersApproval_NodeNotAuthorized()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var indexer = NewIndexer(db, deployment);
        var mirror = new RegistryMirror(db);
        var modelOwner = await chain.NewAccountAsync();
        var owned = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var owner = deployment.Contracts.RegistryFor(modelOwner.Web3);
        await owner.RegisterModelAsync(owned, "ipfs://owned", 0, 0);
        // The node's operator has it serve someone else's model: its own choice, not the model owner's.
        await deployment.Contracts.RegistryFor(deployment.Owner.Web3).SetNodeModelAsync(NodeOf(deployment), owned, serves: true);
        await CatchUpAsync(indexer);
        Assert.False(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), owned));

        await owner.SetNodeApprovalAsync(owned, NodeOf(deployment), approved: true);
        await CatchUpAsync(indexer);
        Assert.True(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), owned));

        await owner.SetNodeApprovalAsync(owned, NodeOf(deployment), approved: false);
        await CatchUpAsync(indexer);
        Assert.False(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), owned));

        await owner.SetModelOpenAsync(owned, open: true);
        await CatchUpAsync(indexer);
        Assert.True((await mirror.SnapshotAsync([owned], [NodeOf(deployment)])).IsNodeAuthorized(NodeOf(deployment), owned));
    }

    [Fact]
    public async Task IndexStepAsync_ModelTransferred_ClearsThePreviousOwnersApprovals()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var indexer = NewIndexer(db, deployment);
        var mirror = new RegistryMirror(db);
        var buyer = await chain.NewAccountAsync();
        var registry = deployment.Contracts.RegistryFor(deployment.Owner.Web3);
        await CatchUpAsync(indexer);
        Assert.True(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));

        await registry.SetModelOpenAsync(deployment.ModelHash, open: true);
        await registry.TransferModelAsync(deployment.Owner.Address, buyer.Address, deployment.ModelHash);
        await CatchUpAsync(indexer);

        Assert.False(await registry.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));
        Assert.False(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));
        await deployment.Contracts.RegistryFor(buyer.Web3).SetNodeApprovalAsync(deployment.ModelHash, NodeOf(deployment), approved: true);
        await CatchUpAsync(indexer);
        Assert.True(await mirror.IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));
    }

    [Fact]
    public async Task IndexStepAsync_RecordRevokedOnChain_MarksTheStoredRecord()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var signed = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 1, DateTimeOffset.UnixEpoch.AddYears(56));
        var digest = Core.Records.ProvenanceRecordTypedData.Digest(signed.Record, deployment.Chain.Domain);
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Records.Add(StoredRecord.From(signed, digest, DateTimeOffset.UnixEpoch));
            await context.SaveChangesAsync();
        }

        var revocation = await deployment.Chain.Ledger.RevokeAsync(signed.Record, "leaked test image");
        await CatchUpAsync(NewIndexer(db, deployment));

        await using var check = await db.CreateDbContextAsync();
        var stored = await check.Records.SingleAsync();
        Assert.Equal("leaked test image", stored.RevocationReason);
        Assert.NotNull(stored.RevokedAt);
        Assert.NotNull(revocation);
    }

    [Fact]
    public async Task IndexStepAsync_RecordRevokedBeforeItArrives_IsRevokedOnceStored()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var indexer = NewIndexer(db, deployment);
        var signed = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 1, DateTimeOffset.UnixEpoch.AddYears(56));
        var digest = Core.Records.ProvenanceRecordTypedData.Digest(signed.Record, deployment.Chain.Domain);
        await deployment.Chain.Ledger.RevokeAsync(signed.Record, "revoked before delivery");
        await CatchUpAsync(indexer);

        await using (var context = await db.CreateDbContextAsync())
        {
            var pending = await context.Revocations.SingleAsync();
            Assert.Equal((digest, false, NodeOf(deployment), deployment.Owner.Address), (pending.Digest, pending.Applied, pending.Node, pending.RevokedBy));
            context.Records.Add(StoredRecord.From(signed, digest, DateTimeOffset.UnixEpoch));
            await context.SaveChangesAsync();
        }

        await indexer.IndexStepAsync();

        await using var check = await db.CreateDbContextAsync();
        var stored = await check.Records.SingleAsync();
        Assert.Equal("revoked before delivery", stored.RevocationReason);
        Assert.Equal((await check.Revocations.SingleAsync()).RevokedAt, stored.RevokedAt);
        Assert.True((await check.Revocations.SingleAsync()).Applied);
    }

    [Fact]
    public async Task IndexStepAsync_NewIndexerAfterRestart_ResumesFromItsCursorWithoutDuplicating()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var first = await CatchUpAsync(NewIndexer(db, deployment, maxBlockRange: 3));
        var next = await new RegistryMirror(db).NextBlockAsync();
        Assert.True(first > 0);

        var extra = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        await deployment.Contracts.RegistryFor(deployment.Owner.Web3).RegisterModelAsync(extra, "ipfs://extra", 7, 1);
        var restarted = NewIndexer(db, deployment, maxBlockRange: 3);
        var step = await restarted.IndexStepAsync();
        var applied = step.EventsApplied + await CatchUpAsync(restarted);

        Assert.Equal(next, step.FromBlock);
        Assert.Equal(2, applied); // the mint's Transfer and ModelRegistered, nothing older
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(2, await context.Models.CountAsync());
        Assert.Equal(1, await context.Nodes.CountAsync());
        Assert.Equal(1, await context.ChainCursors.CountAsync());
    }

    [Fact]
    public async Task IndexStepAsync_TwoIndexersOnOneDatabase_ApplyEachRangeOnce()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var a = NewIndexer(db, deployment, maxBlockRange: 2);
        var b = NewIndexer(db, deployment, maxBlockRange: 2);

        var counts = await Task.WhenAll(Task.Run(() => CatchUpAsync(a)), Task.Run(() => CatchUpAsync(b)));

        Assert.Equal(await CountEventsAsync(deployment), counts.Sum());
        Assert.True(await new RegistryMirror(db).IsNodeAuthorizedAsync(NodeOf(deployment), deployment.ModelHash));
    }

    private static async Task<int> CountEventsAsync(TestDeployment deployment)
    {
        var check = NewIndexerOn(await NewSqliteAsync(), deployment, 100_000);
        return await CatchUpAsync(check);
    }

    private static Task<IDbContextFactory<LedgerDbContext>> NewSqliteAsync() => new SqliteDatabases().NewDatabaseAsync();

    private static async Task<int> CatchUpAsync(RegistryIndexer indexer)
    {
        var applied = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var step = await indexer.IndexStepAsync();
            applied += step.EventsApplied;
            if (step.CaughtUp)
            {
                return applied;
            }
        }

        throw new TimeoutException("The indexer never caught up.");
    }

    private static RegistryIndexer NewIndexer(IDbContextFactory<LedgerDbContext> db, TestDeployment deployment, int maxBlockRange = 2_000) =>
        NewIndexerOn(db, deployment, maxBlockRange);

    private static RegistryIndexer NewIndexerOn(IDbContextFactory<LedgerDbContext> db, TestDeployment deployment, int maxBlockRange) =>
        new(db, deployment.Chain, Options.Create(new ChainIndexerOptions { MaxBlockRange = maxBlockRange }),
            TimeProvider.System, NullLogger<RegistryIndexer>.Instance);

    private static EvmAddress NodeOf(TestDeployment deployment) => EvmAddress.Parse(deployment.NodeKey.GetPublicAddress());
}

/// <summary>The indexer on SQLite.</summary>
[Collection(ChainIndexingCollection.Name)]
public sealed class SqliteRegistryIndexerTests(LedgerChainFixture chain, SqliteDatabases databases)
    : RegistryIndexerTests(chain, databases), IClassFixture<SqliteDatabases>;

/// <summary>The indexer on PostgreSQL (its own server: the shared one belongs to another collection).</summary>
[Collection(ChainIndexingCollection.Name)]
public sealed class PostgresRegistryIndexerTests(LedgerChainFixture chain, PostgresDatabases databases)
    : RegistryIndexerTests(chain, databases), IClassFixture<PostgresDatabases>;
