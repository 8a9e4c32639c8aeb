using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Availability;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// <c>POST api/records/evidence</c> on the real host process: the evidence of anchored records in one request (unknown
/// digests named as such), checkable offline and on chain; a copy made of it alone (the shape a node keeps) rebuilds a
/// lost ledger whose old records verify again.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class RecordEvidenceRouteTests(LedgerChainFixture chain) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-evidence-").FullName;

    [Fact]
    public async Task Evidence_AnchoredRecords_AnswersEachOnce_AndTheCopyAloneRebuildsTheLedger()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var lost = Database("lost");
        var records = setup.NewRecords(30);
        var digests = records.Select(r => ProvenanceRecordTypedData.Digest(r.Record, setup.Deployment.Chain.Domain)).ToList();
        var copy = Path.Combine(_directory, "node-copy.json");
        await using (var host = await LedgerHostProcess.StartAsync(await setup.SettingsAsync(lost)))
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, records);
            await LedgerCrashTests.WaitUntilAsync(async () => await UnanchoredAsync(lost) == 0, TimeSpan.FromSeconds(90), host);

            using var response = await http.PostAsJsonAsync(LedgerEvidence.EvidencePath,
                new RecordEvidenceRequest([.. digests, digests[0], Bytes32.Sha256([77])]), Json);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = (await response.Content.ReadFromJsonAsync<RecordEvidenceResponse>(Json))!;
            var evidence = answer.Evidence;
            Assert.Equal([Bytes32.Sha256([77])], answer.Unknown!);

            Assert.Equal(digests.Select(d => d.ToString()).Order(StringComparer.Ordinal), evidence.Select(e => e.Inclusion.RecordDigest.ToString()).Order(StringComparer.Ordinal));
            foreach (var e in evidence)
            {
                Assert.Equal(EvidenceFault.None, EvidenceCheck.Check(e));
                Assert.True((await AnchoredRoots.CheckAsync(setup.Deployment.Owner.Web3, e)).Anchored);
            }

            await File.WriteAllTextAsync(copy, JsonSerializer.Serialize(evidence, Json));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(lost["Ledger:Database:DataDirectory"], recursive: true);
        var rebuilt = Database("rebuilt");

        var report = await LedgerRebuildTests.RebuildAsync(setup, rebuilt, copy);

        Assert.True(report.IsComplete, string.Join("; ", report.Refused.Select(r => r.Detail)));
        Assert.Equal(records.Count, report.RecordsPlaced);
        await using (var host = await LedgerHostProcess.StartAsync(await setup.SettingsAsync(rebuilt)))
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            foreach (var record in records)
            {
                var answer = (await http.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{record.Record.ContentHash}", Json))!;
                Assert.Equal(VerificationVerdict.Verified, answer.Verdict);
            }
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Dictionary<string, string> Database(string name) =>
        new() { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, name) };

    private static async Task<int> UnanchoredAsync(Dictionary<string, string> database)
    {
        await using var db = LedgerDatabase.Open(new LedgerDatabaseOptions { DataDirectory = database["Ledger:Database:DataDirectory"] });
        return await db.Records.CountAsync(r => r.Batch == null || r.Batch.State != AnchorBatchState.Anchored);
    }
}
