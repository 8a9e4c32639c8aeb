using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary><c>provenance ledger reconcile</c> against a real anvil and a real SQLite ledger database.</summary>
public sealed class LedgerReconcileCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-reconcile-").FullName;
    private AnvilNode _anvil = null!;
    private ProvenanceLedgerClient _ledger = null!;
    private EvmAddress _anchorer;
    private ProvenanceContracts _contracts = null!;

    private string DatabasePath => Path.Combine(_dir, "ledger.db");

    private LedgerDatabaseOptions Database => new()
    {
        ConnectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString(),
    };

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync(new AnvilOptions());
        var deployer = await FundedAccounts.CreateAsync(_anvil);
        _contracts = await ProvenanceContracts.DeployAsync(deployer.Web3);
        _ledger = _contracts.LedgerFor(deployer.Web3);
        _anchorer = deployer.Address;

        await using var db = LedgerDatabase.Open(Database);
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _anvil.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Reconcile_ConsistentLedger_PrintsOkAndExitsZero()
    {
        await AnchorBatchAsync(3);
        await AnchorBatchAsync(2);

        var result = await ReconcileAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2 ok, 0 pending, 0 with differences", result.Output);
    }

    [Fact]
    public async Task Reconcile_TamperedRecord_PrintsRootMismatchAndExitsTwo()
    {
        await AnchorBatchAsync(4);
        await using (var db = LedgerDatabase.Open(Database))
        {
            var record = await db.Records.OrderBy(r => r.Id).FirstAsync();
            record.Digest = RandomHash();
            await db.SaveChangesAsync();
        }

        var result = await ReconcileAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("root-mismatch", result.Output);
        Assert.Contains("1 with differences", result.Output);
    }

    [Fact]
    public async Task Reconcile_WrongChainId_ExitsOneSaying()
    {
        var result = await CliRunner.RunAsync("ledger", "reconcile", "--connection", DatabasePath, "--rpc", _anvil.RpcUrl.ToString(),
            "--chain-id", "1", "--ledger", _contracts.ProvenanceLedger.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("ledger reconcile: ", result.Error);
        Assert.Contains("not 1", result.Error);
    }

    [Theory]
    [InlineData("missing-db")]
    [InlineData("bad-address")]
    [InlineData("no-node")]
    public async Task Reconcile_BadInput_ExitsOneWithAMessage(string kind)
    {
        var result = await CliRunner.RunAsync("ledger", "reconcile",
            "--connection", kind == "missing-db" ? Path.Combine(_dir, "none.db") : DatabasePath,
            "--rpc", kind == "no-node" ? "http://127.0.0.1:9" : _anvil.RpcUrl.ToString(),
            "--chain-id", _anvil.ChainId.ToString(CultureInfo.InvariantCulture),
            "--ledger", kind == "bad-address" ? "0x1234" : _contracts.ProvenanceLedger.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("ledger reconcile: ", result.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "none.db")));
    }

    private Task<(int ExitCode, string Output, string Error)> ReconcileAsync() =>
        CliRunner.RunAsync("ledger", "reconcile", "--database-provider", "sqlite", "--connection", DatabasePath,
            "--rpc", _anvil.RpcUrl.ToString(), "--chain-id", _anvil.ChainId.ToString(CultureInfo.InvariantCulture),
            "--ledger", _contracts.ProvenanceLedger.ToString(), "--deployment-block", "0");

    /// <summary>Stores <paramref name="count"/> records, batches them and anchors the batch, as the ledger's worker does.</summary>
    private async Task AnchorBatchAsync(int count)
    {
        var first = await _ledger.NextSequenceAsync(_anchorer);
        await using var db = LedgerDatabase.Open(Database);
        var records = Enumerable.Range(0, count).Select(i => new StoredRecord
        {
            Digest = RandomHash(),
            ContentHash = RandomHash(),
            PerceptualHash = RandomHash(),
            ModelHash = RandomHash(),
            Node = EvmAddress.FromBytes(RandomNumberGenerator.GetBytes(20)),
            CreatorCommitment = RandomHash(),
            PromptCommitment = RandomHash(),
            ParametersHash = RandomHash(),
            Timestamp = 1_800_000_000,
            WatermarkId = RandomHash(),
            NodeSequence = i,
            Signature = new byte[65],
            ReceivedAt = DateTimeOffset.UnixEpoch,
        }).ToList();
        var tree = MerkleTree.Build(records.Select(r => r.Digest).ToList());
        var batch = new AnchorBatch
        {
            FirstSequence = (long)first, RecordCount = count, Root = tree.Root, State = AnchorBatchState.Submitted, CreatedAt = DateTimeOffset.UnixEpoch,
        };
        for (var i = 0; i < count; i++)
        {
            records[i].Batch = batch;
            records[i].LeafIndex = i;
            records[i].Proof = StoredRecord.PackProof(tree.GetProof(i));
        }

        db.Records.AddRange(records);
        await db.SaveChangesAsync();
        var (chainBatchId, tx) = await _ledger.AnchorBatchAsync(tree.Root, first, (uint)count);
        batch.State = AnchorBatchState.Anchored;
        batch.ChainBatchId = (long)chainBatchId;
        batch.TransactionHash = Bytes32.Parse(tx.Hash);
        batch.BlockNumber = (long)tx.BlockNumber;
        await db.SaveChangesAsync();
    }

    private static Bytes32 RandomHash() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(32));
}
