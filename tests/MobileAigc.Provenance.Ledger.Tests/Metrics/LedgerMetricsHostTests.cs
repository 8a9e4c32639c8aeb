using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Testing.Metrics;

namespace MobileAigc.Provenance.Ledger.Tests.Metrics;

/// <summary>
/// The ledger's <c>/metrics</c> and <c>health/ready</c> on the real host process against anvil: counters moved by the
/// right amounts with the right labels after real ingests, an anchoring and a verification, and the backlog check
/// turning degraded past a tiny threshold and healthy again once the batch is anchored.
/// </summary>
[Collection(ChainIndexingCollection.Name)]
public sealed class LedgerMetricsHostTests(LedgerChainFixture chain) : IDisposable
{
    private const string Accepted = "provenance_ledger_records_accepted_total";
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-metrics-").FullName;

    [Fact]
    public async Task Metrics_IngestAnchorVerify_MoveByTheRightAmounts_AndBacklogHealthFollowsTheThreshold()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var settings = await setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        // A batch closes only at 64 records, so one record waits; it degrades readiness after a second.
        settings["Ledger:Anchoring:MaxBatchAge"] = "1.00:00:00";
        settings["Ledger:Health:MaxAnchoringBacklogAge"] = "00:00:01";
        settings["Ledger:Health:ReadInterval"] = "00:00:00.100";
        await using var host = await LedgerHostProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var first = setup.NewRecords(1);
        await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, first);
        var before = await ScrapeUntilAsync(http, s => s.Sum("provenance_ledger_anchoring_backlog") == 1);
        Assert.True(before.Has("provenance_ledger_anchoring_backlog_age_seconds"));
        await WaitForBacklogCheckAsync(http, "Degraded");

        // A record conflicting with the first (same node and sequence, other content) is refused; 63 more close the batch.
        var conflicting = Conflicting(first[0], setup.Deployment);
        using (var refused = await http.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([conflicting])))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        var rest = setup.NewRecords(63);
        var answer = await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, rest);
        Assert.All(answer.Records, r => Assert.True(r.Accepted));
        var after = await ScrapeUntilAsync(http, s => Delta(before, s, "provenance_ledger_anchoring_batches_total") >= 1
            && s.Sum("provenance_ledger_anchoring_backlog") == 0);
        await WaitForBacklogCheckAsync(http, "Healthy");

        Assert.Equal(63, Delta(before, after, Accepted, ("outcome", "stored")));
        Assert.Equal(0, Delta(before, after, Accepted, ("outcome", "already-stored")));
        Assert.Equal(1, Delta(before, after, "provenance_ledger_records_refused_total", ("problem_type", RecordProblemTypes.SequenceConflict)));
        Assert.Equal(1, Delta(before, after, "provenance_ledger_ingest_duration_seconds_count", ("result", "refused")));
        Assert.Equal(1, Delta(before, after, "provenance_ledger_ingest_duration_seconds_count", ("result", "accepted")));
        Assert.Equal(1, Delta(before, after, "provenance_ledger_anchoring_batches_total"));
        Assert.Equal(1, Delta(before, after, "provenance_ledger_anchoring_batch_gas_count"));
        Assert.True(Delta(before, after, "provenance_ledger_anchoring_batch_gas_sum") > 21_000);
        Assert.Equal(64, Delta(before, after, "provenance_ledger_anchoring_batch_records_sum"));
        Assert.Equal(64, Delta(before, after, "provenance_ledger_anchoring_delay_seconds_count"));
        Assert.True(Delta(before, after, "provenance_ledger_anchoring_delay_seconds_sum") >= 1, "the first record waited over a second");
        Assert.True(after.Has("provenance_ledger_indexer_lag", ("indexer", "model-registry")));
        Assert.False(after.Has("provenance_ledger_anchoring_backlog_age_seconds")); // nothing waits: no age rather than 0

        // A verification by hash of a stored record: counted under its strategy and verdict.
        var verified = await http.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{rest[0].Record.ContentHash}");
        Assert.Equal(VerificationVerdict.Verified, verified!.Verdict);
        using (var unknown = await http.GetAsync($"{LedgerVerification.VerifyPath}/{Bytes32.Sha256([1, 2, 3])}"))
        {
            Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        }

        var verifiedScrape = await ScrapeUntilAsync(http, s => Delta(after, s, "provenance_ledger_verification_duration_seconds_count") >= 2);
        Assert.Equal(1, Delta(after, verifiedScrape, "provenance_ledger_verification_duration_seconds_count",
            ("strategy", "content-hash"), ("verdict", "verified"), ("input", "hash")));
        Assert.Equal(1, Delta(after, verifiedScrape, "provenance_ledger_verification_duration_seconds_count",
            ("strategy", "none"), ("verdict", "unknown"), ("input", "hash")));
        // Public numbers, but never a digest, a creator or a node: no label value is hex.
        Assert.DoesNotContain(verifiedScrape.Samples, s => s.Labels.Values.Any(v => v.StartsWith("0x", StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static SignedProvenanceRecord Conflicting(SignedProvenanceRecord original, TestDeployment deployment)
    {
        var record = original.Record with { ContentHash = Bytes32.Sha256(Guid.NewGuid().ToByteArray()) };
        return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, deployment.Chain.Domain, deployment.NodeKey));
    }

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private static async Task WaitForBacklogCheckAsync(HttpClient http, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string body;
        while (true)
        {
            // Degraded is still 200: readiness fails (503) only when a check is unhealthy.
            using var response = await http.GetAsync("health/ready");
            body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var checks = JsonNode.Parse(body)!["checks"]!;
            if (checks["anchoring-backlog"]!["status"]!.GetValue<string>() == state)
            {
                Assert.Equal("Healthy", checks["database"]!["status"]!.GetValue<string>());
                Assert.NotNull(checks["indexer-lag"]);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the anchoring-backlog check did not become {state} within 60 s: {body}");
            await Task.Delay(100);
        }
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(HttpClient http, Func<PrometheusScrape, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            using var response = await http.GetAsync("metrics");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var scrape = PrometheusScrape.Parse(body);
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, "the metrics did not reach the expected values within 90 s:\n" + body);
            await Task.Delay(200);
        }
    }
}
