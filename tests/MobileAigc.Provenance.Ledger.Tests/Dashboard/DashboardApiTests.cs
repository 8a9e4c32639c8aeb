using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Tests.Audit;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static MobileAigc.Provenance.Ledger.Tests.Dashboard.DashboardRows;

namespace MobileAigc.Provenance.Ledger.Tests.Dashboard;

/// <summary>
/// <c>api/dashboard</c> through the real host: who may call it, what each bad argument answers, and the
/// answers' JSON over known rows (the aggregations themselves are checked per provider by <see cref="DashboardQuerySpecification"/>).
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class DashboardApiTests(LedgerChainFixture chain) : IAsyncLifetime
{
    private const string Window = "from=1800000000&to=1800007199";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteDatabases _databases = new();
    private TestDeployment _deployment = null!;
    private AuditHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _deployment = await chain.DeployAsync();
        _host = await AuditHost.StartAsync(_databases, _deployment);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _databases.Dispose();
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("records-per-hour")]
    [InlineData("anchoring")]
    [InlineData("settlements")]
    [InlineData("reconciliations")]
    public async Task Get_NoKeyOrWrongKey_Returns401Problem(string route)
    {
        foreach (var key in new[] { null, "wrong-key", AuditHost.AdminKey + "x", "" })
        {
            var response = await GetAsync($"api/dashboard/{route}", key);

            await ProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Theory]
    [InlineData(AuditHost.AdminKey)]
    [InlineData(AuditHost.AuditorKey)]
    public async Task Get_AdminOrAuditorKey_Served(string key)
    {
        foreach (var route in new[] { "summary", "records-per-hour", "anchoring", "settlements", "reconciliations" })
        {
            var response = await GetAsync($"api/dashboard/{route}?{Window}", key);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Reconcile_AuditorKey_Returns401AndKeepsNoRun()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, LedgerAudit.ReconcilePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AuditHost.AuditorKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var runs = await ReadAsync<ReconciliationActivity>("reconciliations", AuditHost.AuditorKey);
        Assert.Null(runs.Latest);
    }

    [Fact]
    public async Task Reconcile_AdminKey_RunShownByTheDashboard()
    {
        await AuditRows.AnchorAsync(_host.Databases, _deployment, await AuditRows.InsertAsync(_host.Databases, 3));
        using var request = new HttpRequestMessage(HttpMethod.Post, LedgerAudit.ReconcilePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AuditHost.AdminKey);
        var report = await (await _client.SendAsync(request)).Content.ReadFromJsonAsync<ReconciliationReport>(Json);

        var activity = await ReadAsync<ReconciliationActivity>("reconciliations", AuditHost.AuditorKey);

        var run = Assert.Single(activity.Runs);
        Assert.Equal(new ReconciliationRunSummary(report!.CheckedAt.ToUnixTimeSeconds(), report.ToBlock, 1, 1, 0, 0), run);
        Assert.Equal(run, activity.Latest!.Run);
        Assert.Empty(activity.Latest.Differences);
    }

    [Theory]
    [InlineData("summary?from=0&to=2678401", "from")]
    [InlineData("summary?from=200&to=100", "from")]
    [InlineData("anchoring?from=yesterday", "from")]
    [InlineData("settlements?to=2026-12-01T00:00:00", "to")]
    [InlineData("reconciliations?to=soon", "to")]
    [InlineData("records-per-hour?by=color", "by")]
    [InlineData("records-per-hour?series=0", "series")]
    [InlineData("records-per-hour?series=51", "series")]
    [InlineData("records-per-hour?model=0x12", "model")]
    [InlineData("records-per-hour?node=nope", "node")]
    [InlineData("records-per-hour?creator=0xzz", "creator")]
    public async Task Get_BadArgument_Returns400ProblemNamingIt(string query, string parameter)
    {
        var response = await GetAsync($"api/dashboard/{query}", AuditHost.AuditorKey);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(LedgerProblemTypes.InvalidRequest, problem.Type);
        Assert.Contains($"'{parameter}'", problem.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsPerHour_MoreModelsThanSeries_Returns400NamingSeries()
    {
        await AuditRows.InsertAsync(_host.Databases, [Record(Hour0 + 1), Record(Hour0 + 2), Record(Hour0 + 3)]);

        var response = await GetAsync($"api/dashboard/records-per-hour?{Window}&series=2", AuditHost.AuditorKey);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'series'", problem.Title, StringComparison.Ordinal);
        Assert.Contains("3 models", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordsPerHour_KnownRows_JsonShapeAsDocumented()
    {
        var model = AuditRows.RandomHash();
        await AuditRows.InsertAsync(_host.Databases, [Record(Hour0 + 5, model), Record(Hour0 + 3_605, model)]);

        var response = await GetAsync($"api/dashboard/records-per-hour?{Window}&by=model", AuditHost.AuditorKey);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var root = json.RootElement;
        Assert.Equal(Hour0, root.GetProperty("from").GetInt64());
        Assert.Equal(Hour0 + 7_199, root.GetProperty("to").GetInt64());
        Assert.Equal(3_600, root.GetProperty("bucketSeconds").GetInt32());
        Assert.Equal("model", root.GetProperty("by").GetString());
        Assert.Equal(2, root.GetProperty("total").GetInt64());
        var series = Assert.Single(root.GetProperty("series").EnumerateArray());
        Assert.Equal(model.ToString().ToLowerInvariant(), series.GetProperty("key").GetString());
        Assert.Equal([(Hour0, 1L), (Hour0 + 3_600, 1L)],
            series.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("start").GetInt64(), p.GetProperty("count").GetInt64())));
    }

    [Fact]
    public async Task Settlements_KnownRows_AmountsAsDecimalStrings()
    {
        await SettlementAsync(_host.Databases, Core.Primitives.EvmAddress.Zero, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 10), "340282366920938463463374607431768211455", "1");

        var activity = await ReadAsync<SettlementActivity>($"settlements?{Window}", AuditHost.AdminKey);

        var eth = Assert.Single(activity.Tokens);
        Assert.Equal("340282366920938463463374607431768211455", eth.Paid);
        Assert.Equal([new SettlementHour(Hour0, 1, "340282366920938463463374607431768211455", "1")], eth.Points);
    }

    private async Task<T> ReadAsync<T>(string route, string key)
    {
        var response = await GetAsync($"api/dashboard/{route}", key);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }

        return await _client.SendAsync(request);
    }

    private static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>(Json))!;
    }
}
