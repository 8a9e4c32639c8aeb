using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Availability;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// Data availability on the real host process: records anchored by a real ledger, its JSON export kept, its database
/// deleted, a new database rebuilt from the chain's events and the export, and a ledger started on it verifies the old
/// records with the same batch and proof, then goes on anchoring.
/// </summary>
[Collection(LedgerProcessCollection.Name)]
public sealed class LedgerRebuildTests(LedgerChainFixture chain) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-rebuild-").FullName;

    [Fact]
    public async Task Rebuild_DatabaseDeleted_OldRecordsVerifyWithTheSameBatchAndProof()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var lost = Database("lost");
        var records = setup.NewRecords(150);
        var export = Path.Combine(_directory, "records.json");
        var before = new Dictionary<Bytes32, RecordProof>();
        await using (var host = await LedgerHostProcess.StartAsync(await setup.SettingsAsync(lost)))
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            foreach (var chunk in records.Chunk(50))
            {
                await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, chunk);
            }

            await LedgerCrashTests.WaitUntilAsync(async () => await UnanchoredAsync(lost) == 0, TimeSpan.FromSeconds(90), host);
            foreach (var record in records)
            {
                before[record.Record.ContentHash] = (await VerifyAsync(http, record)).Anchoring!.Inclusion;
            }

            await File.WriteAllBytesAsync(export, await http.GetByteArrayAsync($"{LedgerAudit.ExportPath}?format=json"));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(lost["Ledger:Database:DataDirectory"], recursive: true);

        var rebuilt = Database("rebuilt");
        var report = await RebuildAsync(setup, rebuilt, export);

        Assert.True(report.IsComplete, string.Join("; ", report.Refused.Select(r => r.Detail)));
        Assert.Equal(records.Count, report.RecordsPlaced);
        Assert.Equal(before.Values.Select(p => p.Batch.Id).Distinct().Count(), report.BatchesRestored);
        await using (var host = await LedgerHostProcess.StartAsync(await setup.SettingsAsync(rebuilt)))
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            foreach (var record in records)
            {
                var answer = await VerifyAsync(http, record);
                var old = before[record.Record.ContentHash];
                Assert.Equal(VerificationVerdict.Verified, answer.Verdict);
                Assert.True(answer.Anchoring!.ProofValid);
                Assert.True(answer.Anchoring.RootCheckedOnChain, answer.Anchoring.OnChainDetail);
                var proof = answer.Anchoring.Inclusion;
                Assert.Equal(old.Root, proof.Root);
                Assert.Equal(old.Proof, proof.Proof);
                Assert.Equal(old.LeafIndex, proof.LeafIndex);
                Assert.Equal(old.LedgerSequence, proof.LedgerSequence);
                Assert.Equal(old.Batch.Id, proof.Batch.Id);
                Assert.Equal(old.Batch.ChainBatchId, proof.Batch.ChainBatchId);
                Assert.Equal(old.Batch.TransactionHash, proof.Batch.TransactionHash);
                Assert.Equal(old.Batch.BlockNumber, proof.Batch.BlockNumber);
            }

            // The rebuilt ledger's batches end where its anchorer's sequence on chain ends: anchoring goes on.
            await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, setup.NewRecords(10));
            await LedgerCrashTests.WaitUntilAsync(async () => await UnanchoredAsync(rebuilt) == 0, TimeSpan.FromSeconds(90), host);
        }
    }

    [Fact]
    public async Task Rebuild_ForgedSignatureUnanchoredRootAndPendingRecord_RefusedAndReported()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var deployment = setup.Deployment;
        var domain = deployment.Chain.Domain;
        var good = setup.NewRecords(3).ToList();
        var unsigned = setup.NewRecords(1)[0].Record;
        var forged = new SignedProvenanceRecord(unsigned, ProvenanceRecordTypedData.Sign(unsigned, domain, Nethereum.Signer.EthECKey.GenerateKey()));
        var anchored = good.Append(forged).ToList();
        var tree = MerkleTree.Build(anchored.Select(r => ProvenanceRecordTypedData.Digest(r.Record, domain)).ToList());
        var (chainBatchId, tx) = await deployment.Chain.Ledger.AnchorBatchAsync(tree.Root, 0, (uint)anchored.Count);
        var batch = new LedgerBatch(1, tree.Root, 0, anchored.Count, BatchState.Anchored, DateTimeOffset.UnixEpoch, Bytes32.Parse(tx.Hash),
            (long)tx.BlockNumber, null, null, (long)chainBatchId, null, deployment.Contracts.ProvenanceLedger);
        var unanchored = setup.NewRecords(2);
        var elsewhere = MerkleTree.Build(unanchored.Select(r => ProvenanceRecordTypedData.Digest(r.Record, domain)).ToList());
        var notAnchoredBatch = batch with { Root = elsewhere.Root, RecordCount = 2 };
        var deploymentOf = new AnchoringDeployment(deployment.Contracts.ProvenanceLedger, (long)deployment.Chain.ChainId, true);
        RecordEvidence EvidenceOf(SignedProvenanceRecord signed, MerkleTree of, int leaf, LedgerBatch at)
        {
            var digest = ProvenanceRecordTypedData.Digest(signed.Record, domain);
            return new RecordEvidence(signed, new RecordProof(digest, MerkleTree.LeafOf(digest), of.GetProof(leaf), of.Root, leaf, leaf, at), deploymentOf);
        }

        var copy = new List<object>
        {
            EvidenceOf(good[0], tree, 0, batch),
            EvidenceOf(good[1], tree, 1, batch),
            EvidenceOf(forged, tree, 3, batch),
            EvidenceOf(unanchored[0], elsewhere, 0, notAnchoredBatch),
            EvidenceOf(good[0], tree, 0, batch),
            new { id = 9, state = "pending" },
        };
        var path = Path.Combine(_directory, "copy.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(copy, Json));
        var second = Path.Combine(_directory, "second.json");
        await File.WriteAllTextAsync(second, JsonSerializer.Serialize(new[] { EvidenceOf(good[2], tree, 2, batch) }, Json));

        var report = await RebuildAsync(setup, Database("bad-copies"), path, second);

        Assert.Equal(3, report.RecordsPlaced);
        Assert.Equal(1, report.DuplicatesSkipped);
        Assert.Equal(1, report.BatchesRestored);
        var incomplete = Assert.Single(report.Incomplete);
        Assert.Equal((4, 3), (incomplete.RecordCount, incomplete.Placed));
        Assert.Collection(report.Refused,
            r => Assert.Equal((RebuildRefusal.BadEvidence, path + "#2"), (r.Reason, r.Source)),
            r => Assert.Equal((RebuildRefusal.RootNotAnchored, path + "#3"), (r.Reason, r.Source)),
            r => Assert.Equal((RebuildRefusal.NoEvidence, path + "#5"), (r.Reason, r.Source)));
        Assert.Contains("signature", report.Refused[0].Detail, StringComparison.Ordinal);
        await using var db = LedgerDatabase.Open(Options(Database("bad-copies")));
        var stored = await db.Records.AsNoTracking().Include(r => r.Batch).OrderBy(r => r.LeafIndex).ToListAsync();
        Assert.Equal(good.Select(r => ProvenanceRecordTypedData.Digest(r.Record, domain)), stored.Select(r => r.Digest));
        Assert.All(stored, r => Assert.Equal((long)chainBatchId, r.Batch!.ChainBatchId));
        Assert.All(stored, r => Assert.True(MerkleTree.Verify(tree.Root, r.Digest, r.ProofHashes())));
    }

    [Fact]
    public async Task Rebuild_DatabaseNotFresh_RefusesBeforeWriting()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var database = Database("not-fresh");
        var path = Path.Combine(_directory, "empty.json");
        await File.WriteAllTextAsync(path, "[]");
        await using (var db = LedgerDatabase.Open(Options(database)))
        {
            await db.Database.MigrateAsync();
            db.Records.Add(StoredRecord.From(setup.NewRecords(1)[0], Bytes32.Sha256([1]), DateTimeOffset.UnixEpoch));
            await db.SaveChangesAsync();
        }

        var refused = await Assert.ThrowsAsync<LedgerRebuildException>(() => RebuildAsync(setup, database, path));

        Assert.Contains("fresh", refused.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    internal static async Task<RebuildReport> RebuildAsync(LedgerHostSetup setup, Dictionary<string, string> database, params string[] copies)
    {
        var deployment = setup.Deployment;
        var target = new RebuildTarget(
            (long)deployment.Chain.ChainId, deployment.Contracts.ProvenanceLedger, deployment.Owner.Address, DeploymentBlock: 0);
        var rebuilder = new LedgerRebuilder(new LedgerDbContextFactory(Options(database)), deployment.Owner.Web3, target);
        return await rebuilder.RebuildAsync(ReadAllAsync(copies));
    }

    private static async IAsyncEnumerable<EvidenceEntry> ReadAllAsync(IEnumerable<string> copies)
    {
        foreach (var path in copies)
        {
            await foreach (var entry in EvidenceFile.ReadAsync(path))
            {
                yield return entry;
            }
        }
    }

    private Dictionary<string, string> Database(string name) =>
        new() { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, name) };

    private static LedgerDatabaseOptions Options(Dictionary<string, string> database) =>
        new() { DataDirectory = database["Ledger:Database:DataDirectory"] };

    private static async Task<VerificationResult> VerifyAsync(HttpClient http, SignedProvenanceRecord record) =>
        (await http.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{record.Record.ContentHash}", Json))!;

    private static async Task<int> UnanchoredAsync(Dictionary<string, string> database)
    {
        await using var db = LedgerDatabase.Open(Options(database));
        return await db.Records.CountAsync(r => r.Batch == null || r.Batch.State != AnchorBatchState.Anchored);
    }
}
