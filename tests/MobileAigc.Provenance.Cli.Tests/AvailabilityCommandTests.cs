using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance verify --export</c> and <c>provenance ledger rebuild</c> against a real anvil: records signed by a
/// node key, their root anchored on the real contract, their evidence in a file as a node or an auditor keeps it.
/// </summary>
public sealed class AvailabilityCommandTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-availability-").FullName;
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private ulong _nodeSequence;
    private AnvilNode _anvil = null!;
    private ProvenanceContracts _contracts = null!;
    private ProvenanceLedgerClient _ledger = null!;
    private EvmAddress _anchorer;
    private ContractDomain _domain = null!;
    private AnchoringDeployment _deployment = null!;

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync(new AnvilOptions());
        var deployer = await FundedAccounts.CreateAsync(_anvil);
        _contracts = await ProvenanceContracts.DeployAsync(deployer.Web3);
        _ledger = _contracts.LedgerFor(deployer.Web3);
        _anchorer = deployer.Address;
        _domain = _ledger.Domain;
        _deployment = new AnchoringDeployment(_contracts.ProvenanceLedger, (long)_anvil.ChainId, true);
    }

    public async Task DisposeAsync()
    {
        await _anvil.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Verify_AnchoredFile_PrintsEachCheckAndExitsZero()
    {
        var (files, evidence) = await AnchorFilesAsync(3);
        var export = await WriteAsync("proofs.json", evidence);

        var result = await VerifyAsync(files[1], export);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"record      {evidence[1].Inclusion.RecordDigest}", result.Output);
        Assert.Contains("signature   ok", result.Output);
        Assert.Contains("proof       ok: leaf 1", result.Output);
        Assert.Contains($"chain       ok: root {evidence[1].Inclusion.Root} anchored as batch 1", result.Output);
        Assert.EndsWith("verified", result.Output.TrimEnd());
    }

    [Theory]
    [InlineData("unknown-file", "holds no anchored record")]
    [InlineData("forged-signature", "the signature is not the record's node's")]
    [InlineData("unanchored-root", "is not anchored on")]
    [InlineData("wrong-block", "holds no BatchAnchored event")]
    public async Task Verify_EvidenceThatDoesNotHold_ExitsTwoSayingWhy(string kind, string expected)
    {
        var (files, evidence) = await AnchorFilesAsync(2);
        var file = files[0];
        var copy = evidence[0];
        switch (kind)
        {
            case "unknown-file":
                file = await WriteFileAsync("other.txt", "never generated");
                break;
            case "forged-signature":
                copy = copy with { SignedRecord = copy.SignedRecord with { Signature = ProvenanceRecordTypedData.Sign(copy.SignedRecord.Record, _domain, EthECKey.GenerateKey()) } };
                break;
            case "unanchored-root":
                (_, var unanchored) = await SignFilesAsync(1);
                copy = unanchored[0];
                file = Path.Combine(_dir, "file-unanchored-0.txt");
                break;
            case "wrong-block":
                copy = copy with { Inclusion = copy.Inclusion with { Batch = copy.Inclusion.Batch with { BlockNumber = 1 } } };
                break;
        }

        var result = await VerifyAsync(file, await WriteAsync("copy.json", [copy]));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Output);
        Assert.Contains("not verified", result.Output);
    }

    [Theory]
    [InlineData("missing-export")]
    [InlineData("not-json")]
    [InlineData("no-node")]
    public async Task Verify_BadInput_ExitsOneWithAMessage(string kind)
    {
        var (files, evidence) = await AnchorFilesAsync(1);
        var export = kind switch
        {
            "missing-export" => Path.Combine(_dir, "none.json"),
            "not-json" => await WriteFileAsync("broken.json", "[{\"evidence\": 1,"),
            _ => await WriteAsync("proofs.json", evidence),
        };

        var result = await CliRunner.RunAsync("verify", files[0], "--export", export,
            "--rpc", kind == "no-node" ? "http://127.0.0.1:9" : _anvil.RpcUrl.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("verify: ", result.Error);
    }

    [Fact]
    public async Task Rebuild_TwoCompleteCopies_ExitsZeroAndReconcilesWithTheChain()
    {
        var (_, first) = await AnchorFilesAsync(3);
        var (_, second) = await AnchorFilesAsync(2);
        var node = await WriteAsync("node.json", [.. first, second[0]]);
        var auditor = await WriteAsync("auditor.json", [second[1], first[0]]);
        var database = Path.Combine(_dir, "rebuilt.db");

        var result = await RebuildAsync(database, node, auditor);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("2 batches restored, 5 records placed, 1 duplicates skipped, 0 incomplete batches, 0 refused", result.Output);
        var reconcile = await CliRunner.RunAsync("ledger", "reconcile", "--connection", database, "--rpc", _anvil.RpcUrl.ToString(),
            "--chain-id", _anvil.ChainId.ToString(CultureInfo.InvariantCulture), "--ledger", _contracts.ProvenanceLedger.ToString());
        Assert.Equal(0, reconcile.ExitCode);
        Assert.Contains("2 ok, 0 pending, 0 with differences", reconcile.Output);
    }

    [Fact]
    public async Task Rebuild_ForgedAndUnanchoredCopies_PlacesTheRestListsTheRefusedAndExitsTwo()
    {
        var (_, anchored) = await AnchorFilesAsync(3);
        var (_, unanchored) = await SignFilesAsync(1);
        var forged = anchored[2] with
        {
            SignedRecord = anchored[2].SignedRecord with { Signature = ProvenanceRecordTypedData.Sign(anchored[2].SignedRecord.Record, _domain, EthECKey.GenerateKey()) },
        };
        var copy = await WriteAsync("copy.json", [anchored[0], anchored[1], forged, unanchored[0]]);
        var database = Path.Combine(_dir, "rebuilt.db");

        var result = await RebuildAsync(database, copy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad-evidence", result.Output);
        Assert.Contains("root-not-anchored", result.Output);
        Assert.Contains("2 of 3 records placed", result.Output);
        Assert.Contains("1 batches restored, 2 records placed, 0 duplicates skipped, 1 incomplete batches, 2 refused", result.Output);
        await using var db = LedgerDatabase.Open(new LedgerDatabaseOptions
        {
            ConnectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString(),
        });
        Assert.Equal(
            new[] { anchored[0].Inclusion.RecordDigest, anchored[1].Inclusion.RecordDigest },
            await db.Records.OrderBy(r => r.LeafIndex).Select(r => r.Digest).ToListAsync());
    }

    [Fact]
    public async Task Rebuild_TwoAnchoredRecordsWithOneNodeSequence_KeepsTheFirstAndRefusesTheOther()
    {
        var (_, first) = await AnchorFilesAsync(1);
        _nodeSequence--;
        var (_, reused) = await AnchorFilesAsync(1);
        var copy = await WriteAsync("copy.json", [first[0], reused[0]]);

        var result = await RebuildAsync(Path.Combine(_dir, "rebuilt.db"), copy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("record-conflict", result.Output);
        Assert.Contains($"is already held by record {first[0].Inclusion.RecordDigest}", result.Output);
        Assert.Contains("2 batches restored, 1 records placed", result.Output);
    }

    [Fact]
    public async Task Rebuild_DatabaseNotFresh_ExitsOneSaying()
    {
        var (_, evidence) = await AnchorFilesAsync(1);
        var copy = await WriteAsync("copy.json", evidence);
        var database = Path.Combine(_dir, "rebuilt.db");
        Assert.Equal(0, (await RebuildAsync(database, copy)).ExitCode);

        var again = await RebuildAsync(database, copy);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("fresh database", again.Error);
    }

    private Task<(int ExitCode, string Output, string Error)> VerifyAsync(string file, string export) =>
        CliRunner.RunAsync("verify", file, "--export", export, "--rpc", _anvil.RpcUrl.ToString());

    private Task<(int ExitCode, string Output, string Error)> RebuildAsync(string database, params string[] copies) =>
        CliRunner.RunAsync(["ledger", "rebuild", "--connection", database, "--rpc", _anvil.RpcUrl.ToString(),
            "--chain-id", _anvil.ChainId.ToString(CultureInfo.InvariantCulture), "--ledger", _contracts.ProvenanceLedger.ToString(),
            "--anchorer", _anchorer.ToString(), .. copies.SelectMany(c => new[] { "--from", c })]);

    /// <summary>Files, their records signed by the node and anchored in one batch, and each record's evidence.</summary>
    private async Task<(List<string> Files, List<RecordEvidence> Evidence)> AnchorFilesAsync(int count)
    {
        var (files, evidence) = await SignFilesAsync(count, anchored: true);
        return (files, evidence);
    }

    private async Task<(List<string> Files, List<RecordEvidence> Evidence)> SignFilesAsync(int count, bool anchored = false)
    {
        var tag = anchored ? Guid.NewGuid().ToString("N")[..8] : "unanchored";
        var files = new List<string>();
        var records = new List<SignedProvenanceRecord>();
        for (var i = 0; i < count; i++)
        {
            var text = $"generated text {tag} {i} {Guid.NewGuid()}";
            files.Add(await WriteFileAsync($"file-{tag}-{i}.txt", text));
            var record = new ProvenanceRecord(
                Bytes32.Sha256(Encoding.UTF8.GetBytes(text)), Bytes32.Zero, Bytes32.Sha256([7]), EvmAddress.Parse(_nodeKey.GetPublicAddress()),
                EvmAddress.Zero, Bytes32.Zero, Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Zero, 1_800_000_000, Bytes32.Zero, ++_nodeSequence);
            records.Add(new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, _domain, _nodeKey)));
        }

        var digests = records.Select(r => ProvenanceRecordTypedData.Digest(r.Record, _domain)).ToList();
        var tree = MerkleTree.Build(digests);
        var first = anchored ? await _ledger.NextSequenceAsync(_anchorer) : 0;
        var batch = new LedgerBatch(1, tree.Root, (long)first, count, BatchState.Planned, DateTimeOffset.UnixEpoch, null, null, null, null, null, null, _contracts.ProvenanceLedger);
        if (anchored)
        {
            var (chainBatchId, tx) = await _ledger.AnchorBatchAsync(tree.Root, first, (uint)count);
            batch = batch with
            {
                State = BatchState.Anchored, TransactionHash = Bytes32.Parse(tx.Hash), BlockNumber = (long)tx.BlockNumber, ChainBatchId = (long)chainBatchId,
            };
        }

        var evidence = records.Select((r, i) => new RecordEvidence(
            r, new RecordProof(digests[i], MerkleTree.LeafOf(digests[i]), tree.GetProof(i), tree.Root, i, (long)first + i, batch), _deployment)).ToList();
        return (files, evidence);
    }

    private async Task<string> WriteAsync(string name, IReadOnlyList<RecordEvidence> evidence)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(evidence, Json));
        return path;
    }

    private async Task<string> WriteFileAsync(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
