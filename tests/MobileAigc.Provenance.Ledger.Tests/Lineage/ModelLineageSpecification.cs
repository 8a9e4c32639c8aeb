using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Lineage;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Npgsql;

namespace MobileAigc.Provenance.Ledger.Tests.Lineage;

/// <summary>The model lineage read from the registry mirror and the indexed royalties; run once per database provider.</summary>
/// <remarks>
/// Each test drops its databases' idle pooled connections when it ends: the PostgreSQL suites of the assembly share one
/// server, and every database left with an idle pool holds a server connection until Npgsql prunes it minutes later.
/// </remarks>
public abstract class ModelLineageSpecification(LedgerDatabases databases) : IDisposable
{
    private static readonly EvmAddress Eth = EvmAddress.Zero;
    private static readonly EvmAddress Usdc = EvmAddress.Parse("0x00000000000000000000000000000000000000cc");
    private static readonly EvmAddress RootOwner = EvmAddress.Parse("0x00000000000000000000000000000000000000a1");
    private static readonly EvmAddress ChildOwner = EvmAddress.Parse("0x00000000000000000000000000000000000000a2");
    private static readonly EvmAddress GrandchildOwner = EvmAddress.Parse("0x00000000000000000000000000000000000000a3");
    private static readonly EvmAddress Buyer = EvmAddress.Parse("0x00000000000000000000000000000000000000b1");

    private readonly Bytes32 _root = NewHash();
    private readonly Bytes32 _child = NewHash();
    private readonly Bytes32 _grandchild = NewHash();
    private readonly List<string> _connectionStrings = [];
    private long _logIndex;

    /// <inheritdoc />
    public void Dispose()
    {
        // The ledger opens its pool with a bounded size and automatic preparation added to the connection string: that string names the pool.
        foreach (var connectionString in _connectionStrings.SelectMany(Bounded))
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ReadAsync_ThreeGenerations_ListsModelFirstRootLastWithTermsNamesAndOwners()
    {
        var db = await ThreeGenerationsAsync();
        var reader = new ModelLineageReader(db, hash => hash == _root ? "root-model" : null);

        var lineage = await reader.ReadAsync(_grandchild);

        Assert.NotNull(lineage);
        Assert.Equal(_grandchild, lineage.ModelHash);
        Assert.True(lineage.Complete);
        Assert.Equal([0, 1, 2], lineage.Models.Select(m => m.Depth));
        Assert.Equal([_grandchild, _child, _root], lineage.Models.Select(m => m.ModelHash));
        Assert.Equal([(Bytes32?)_child, _root, null], lineage.Models.Select(m => m.ParentHash));
        Assert.Equal([GrandchildOwner, ChildOwner, RootOwner], lineage.Models.Select(m => m.Owner));
        Assert.Equal([null, null, "root-model"], lineage.Models.Select(m => m.Name));
        Assert.Equal(["3", "2", "1"], lineage.Models.Select(m => m.PricePerGeneration));
        Assert.Equal([1_500, 1_000, 500], lineage.Models.Select(m => m.RoyaltyBasisPoints));
        Assert.Equal([true, false, true], lineage.Models.Select(m => m.Active));
        Assert.Equal([(long?)30, 20, 10], lineage.Models.Select(m => m.OwnerSinceBlock));
    }

    [Fact]
    public async Task ReadAsync_RootModel_ListsItAloneAndComplete()
    {
        var db = await ThreeGenerationsAsync();

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(_root);

        Assert.NotNull(lineage);
        var root = Assert.Single(lineage.Models);
        Assert.Equal((0, _root, (Bytes32?)null), (root.Depth, root.ModelHash, root.ParentHash));
        Assert.True(lineage.Complete);
    }

    [Fact]
    public async Task ReadAsync_OwnerChanged_OwnerSinceIsTheLastTransfersBlock()
    {
        var db = await ThreeGenerationsAsync();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.ModelOwnerChanges.Add(OwnerChange(_child, ChildOwner, Buyer, 42));
            (await context.Models.SingleAsync(m => m.ModelHash == _child)).Owner = Buyer;
            await context.SaveChangesAsync();
        }

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(_grandchild);

        Assert.NotNull(lineage);
        Assert.Equal((Buyer, (long?)42), (lineage.Models[1].Owner, lineage.Models[1].OwnerSinceBlock));
    }

    [Fact]
    public async Task ReadAsync_Royalties_SummedExactlyPerModelAndToken()
    {
        var db = await ThreeGenerationsAsync();
        // Beyond a 64-bit integer: summed as big integers, not in the database.
        const string Large = "300000000000000000000000";
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Settlements.Add(Settlement(1, (_root, RootOwner, Eth, "50"), (_child, ChildOwner, Eth, "100"), (_grandchild, GrandchildOwner, Eth, "150")));
            context.Settlements.Add(Settlement(2, (_root, RootOwner, Eth, Large), (_child, ChildOwner, Eth, Large)));
            context.Settlements.Add(Settlement(3, (_root, RootOwner, Usdc, "7")));
            await context.SaveChangesAsync();
        }

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(_grandchild);

        Assert.NotNull(lineage);
        Assert.Equal([new ReceivedRoyalty(Eth, 1, "150")], lineage.Models[0].RoyaltiesReceived!);
        Assert.Equal([new ReceivedRoyalty(Eth, 2, "300000000000000000000100")], lineage.Models[1].RoyaltiesReceived!);
        Assert.Equal(
            [new ReceivedRoyalty(Eth, 2, "300000000000000000000050"), new ReceivedRoyalty(Usdc, 1, "7")],
            lineage.Models[2].RoyaltiesReceived!);
    }

    [Fact]
    public async Task ReadAsync_NoSettlements_RoyaltiesEmptyNotNull()
    {
        var db = await ThreeGenerationsAsync();

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(_child);

        Assert.NotNull(lineage);
        Assert.All(lineage.Models, m => Assert.Empty(m.RoyaltiesReceived!));
    }

    [Fact]
    public async Task ReadAsync_Cursors_NameTheLastBlockEachIndexerRead()
    {
        var db = await ThreeGenerationsAsync();
        var reader = new ModelLineageReader(db, _ => null);
        var before = await reader.ReadAsync(_child);
        await using (var context = await db.CreateDbContextAsync())
        {
            context.ChainCursors.Add(new ChainCursor { Name = RegistryIndexer.CursorName, NextBlock = 101 });
            context.ChainCursors.Add(new ChainCursor { Name = SettlementIndexer.CursorName, NextBlock = 99 });
            await context.SaveChangesAsync();
        }

        var after = await reader.ReadAsync(_child);

        Assert.NotNull(before);
        Assert.Equal(((long?)null, (long?)null), (before.RegistryIndexedThroughBlock, before.SettlementsIndexedThroughBlock));
        Assert.NotNull(after);
        Assert.Equal(((long?)100, (long?)98), (after.RegistryIndexedThroughBlock, after.SettlementsIndexedThroughBlock));
    }

    [Fact]
    public async Task ReadAsync_UnknownModel_Null()
    {
        var db = await ThreeGenerationsAsync();

        Assert.Null(await new ModelLineageReader(db, _ => null).ReadAsync(NewHash()));
    }

    [Fact]
    public async Task ReadAsync_ParentMissingFromTheMirror_StopsThereIncomplete()
    {
        var db = await NewDatabaseAsync();
        var orphan = NewHash();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Models.Add(Model(orphan, NewHash(), ChildOwner, 1, 100, 1));
            await context.SaveChangesAsync();
        }

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(orphan);

        Assert.NotNull(lineage);
        Assert.Single(lineage.Models);
        Assert.False(lineage.Complete);
    }

    [Fact]
    public async Task ReadAsync_AlteredMirrorWithALoop_StopsAtTheRepeatedModel()
    {
        var db = await NewDatabaseAsync();
        var a = NewHash();
        var b = NewHash();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Models.AddRange(Model(a, b, RootOwner, 1, 100, 1), Model(b, a, ChildOwner, 1, 100, 2));
            await context.SaveChangesAsync();
        }

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(a);

        Assert.NotNull(lineage);
        Assert.Equal([a, b], lineage.Models.Select(m => m.ModelHash));
        Assert.False(lineage.Complete);
    }

    [Fact]
    public async Task ReadAsync_AlteredMirrorDeeperThanTheContractAllows_StopsAtTheBound()
    {
        var db = await NewDatabaseAsync();
        var chain = Enumerable.Range(0, LedgerModels.MaxLineageLength + 2).Select(_ => NewHash()).ToList();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Models.AddRange(chain.Select((hash, i) => Model(hash, i + 1 < chain.Count ? chain[i + 1] : null, RootOwner, 1, 10, i + 1)));
            await context.SaveChangesAsync();
        }

        var lineage = await new ModelLineageReader(db, _ => null).ReadAsync(chain[0]);

        Assert.NotNull(lineage);
        Assert.Equal(chain.Take(LedgerModels.MaxLineageLength), lineage.Models.Select(m => m.ModelHash));
        Assert.False(lineage.Complete);
    }

    [Fact]
    public async Task WalkAsync_Derivative_GivesNoRoyaltySums()
    {
        var db = await ThreeGenerationsAsync();
        await using var context = await db.CreateDbContextAsync();

        var lineage = await ModelLineageWalk.WalkAsync(context, _child, _ => null);

        Assert.NotNull(lineage);
        Assert.Equal([_child, _root], lineage.Models.Select(m => m.ModelHash));
        Assert.All(lineage.Models, m => Assert.Null(m.RoyaltiesReceived));
    }

    private async Task<IDbContextFactory<LedgerDbContext>> ThreeGenerationsAsync()
    {
        var db = await NewDatabaseAsync();
        await using var context = await db.CreateDbContextAsync();
        context.Models.AddRange(
            Model(_root, null, RootOwner, 1, 500, 10),
            Model(_child, _root, ChildOwner, 2, 1_000, 20, active: false),
            Model(_grandchild, _child, GrandchildOwner, 3, 1_500, 30));
        context.ModelOwnerChanges.AddRange(
            OwnerChange(_root, EvmAddress.Zero, RootOwner, 10),
            OwnerChange(_child, EvmAddress.Zero, ChildOwner, 20),
            OwnerChange(_grandchild, EvmAddress.Zero, GrandchildOwner, 30));
        await context.SaveChangesAsync();
        return db;
    }

    private static string[] Bounded(string connectionString) =>
        [connectionString, new NpgsqlConnectionStringBuilder(connectionString) 
        {
            MaxPoolSize = LedgerDatabase.DefaultMaxPoolSize,
            MaxAutoPrepare = LedgerDatabase.DefaultMaxAutoPrepare,
            AutoPrepareMinUsages = 2,
        }.ConnectionString];

    private async Task<IDbContextFactory<LedgerDbContext>> NewDatabaseAsync()
    {
        var options = await databases.NewDatabaseOptionsAsync();
        if (options.Provider == LedgerDatabaseProvider.Postgres && options.ConnectionString is { } connectionString)
        {
            _connectionStrings.Add(connectionString);
        }

        var db = LedgerDatabases.ContextFactory(options);
        await LedgerDatabase.MigrateAsync(db);
        return db;
    }

    private static MirroredModel Model(Bytes32 hash, Bytes32? parent, EvmAddress owner, int price, int royalty, long block, bool active = true) => new()
    {
        ModelHash = hash,
        ParentHash = parent,
        Owner = owner,
        MetadataUri = "ipfs://" + hash,
        PricePerGeneration = price.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RoyaltyBasisPoints = royalty,
        Active = active,
        RegisteredBlock = block,
    };

    private ModelOwnerChange OwnerChange(Bytes32 model, EvmAddress from, EvmAddress to, long block) => new()
    {
        ModelHash = model,
        PreviousOwner = from,
        NewOwner = to,
        BlockNumber = block,
        LogIndex = _logIndex++,
        TransactionHash = NewHash(),
    };

    private ChannelSettlement Settlement(long nonce, params (Bytes32 Model, EvmAddress Recipient, EvmAddress Token, string Amount)[] royalties) => new()
    {
        ChannelId = NewHash(),
        Provider = Buyer,
        ModelHash = _grandchild,
        Token = royalties[0].Token,
        Nonce = nonce,
        CumulativeAmount = "1",
        Payment = "1",
        Royalty = "1",
        SettledAt = DateTimeOffset.UnixEpoch.AddDays(nonce),
        BlockNumber = 100 + nonce,
        LogIndex = _logIndex++,
        TransactionHash = NewHash(),
        Royalties = [.. royalties.Select(r => new RoyaltyPayment
        {
            ModelHash = r.Model, Recipient = r.Recipient, Token = r.Token, Amount = r.Amount, SettledAt = DateTimeOffset.UnixEpoch.AddDays(nonce),
        })],
    };

    private static Bytes32 NewHash() => Bytes32.Sha256(Guid.NewGuid().ToByteArray());
}

/// <summary>The model lineage specification on SQLite.</summary>
public sealed class SqliteModelLineageTests(SqliteDatabases databases) : ModelLineageSpecification(databases), IClassFixture<SqliteDatabases>;

/// <summary>The model lineage specification on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresModelLineageTests(PostgresDatabases databases) : ModelLineageSpecification(databases);
