using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Testing.Metrics;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>The node's <c>/metrics</c> and <c>health/ready</c> on the real host process, scraped as Prometheus would.</summary>
public sealed class EdgeNodeMetricsTests(EdgeNodeHostFixture fixture) : IClassFixture<EdgeNodeHostFixture>
{
    private const string Generations = "provenance_node_generations_total";
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Metrics_WithoutTheProviderKey_Is401()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var wrongKey = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        wrongKey.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", new string('0', 64));

        foreach (var client in new[] { anonymous, wrongKey })
        {
            using var response = await client.GetAsync("metrics");
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(EdgeNodeProblemTypes.ProviderKeyRequired, JsonNode.Parse(body)?["type"]?.GetValue<string>());
            Assert.DoesNotContain("provenance_node", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_AfterAGeneration_CountItOnceAndItsDelivery()
    {
        var before = await ScrapeAsync();

        var generated = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("Counted once", MaxNewTokens: 12));
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);

        // The outbox delivers in the background: wait until the stand-in ledger's acceptance is counted.
        var after = await ScrapeUntilAsync(s => Delta(before, s, "provenance_node_outbox_deliveries_total", ("result", "accepted")) >= 1);
        Assert.Equal(1, Delta(before, after, Generations, ("kind", "text"), ("outcome", "generated")));
        Assert.Equal(0, Delta(before, after, Generations, ("kind", "image")));
        Assert.Equal(1, Delta(before, after, "provenance_node_generation_duration_seconds_count", ("kind", "text"), ("outcome", "generated")));
        Assert.True(after.Has("provenance_node_outbox_records", ("state", "pending")));
        Assert.True(after.Has("provenance_node_outbox_records", ("state", "held")));
        Assert.Equal(0, Delta(before, after, "provenance_node_vouchers_accepted_total")); // payments are off: free generations
        // ASP.NET Core's and the runtime's instruments are exported beside the node's.
        Assert.Contains(after.Find("http_server_request_duration_seconds_count"), s => s.Labels.GetValueOrDefault("http_route", "").EndsWith("generate/text", StringComparison.Ordinal));
        Assert.Contains(after.Samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
        // Nothing names a creator, a record or a key: no label value is a hex digest or address.
        Assert.DoesNotContain(after.Samples, s => s.Labels.Values.Any(v => v.StartsWith("0x", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Metrics_RefusedGeneration_CountsItsProblemType()
    {
        var before = await ScrapeAsync();

        using var refused = await _http.PostAsync(EdgeRoutes.GenerateText, new StringContent("""{"prompt": "x", "maxNewTokens": 0}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // A scrape answer is cached for a moment (the exporter's default): wait for the count rather than scrape once.
        var after = await ScrapeUntilAsync(s => Delta(before, s, Generations, ("kind", "text"), ("outcome", GenerationProblemTypes.InvalidParameter)) >= 1);
        Assert.Equal(1, Delta(before, after, Generations, ("kind", "text"), ("outcome", GenerationProblemTypes.InvalidParameter)));
        Assert.Equal(0, Delta(before, after, Generations, ("kind", "text"), ("outcome", "generated")));
    }

    [Fact]
    public async Task HealthReady_NamesTheOutboxCheck()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseAddress };

        var ready = JsonNode.Parse(await anonymous.GetStringAsync("health/ready"))!;

        Assert.Contains(ready["status"]!.GetValue<string>(), new[] { "Healthy", "Degraded" });
        Assert.NotNull(ready["checks"]!["outbox"]!["status"]);
        Assert.NotNull(ready["checks"]!["outbox"]!["data"]!["pending"]);
    }

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    private async Task<PrometheusScrape> ScrapeAsync()
    {
        using var response = await _http.GetAsync("metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return PrometheusScrape.Parse(body);
    }

    private async Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (condition(scrape))
            {
                return scrape;
            }

            Assert.True(DateTime.UtcNow < deadline, "the metrics did not reach the expected values within 60 s");
            await Task.Delay(200);
        }
    }
}
