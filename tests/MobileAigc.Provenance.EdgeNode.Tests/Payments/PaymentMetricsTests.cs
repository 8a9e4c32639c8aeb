using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Testing.Metrics;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>The payment metrics of the real host against a real anvil: refusals by problem type, vouchers accepted.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class PaymentMetricsTests(PaymentChainFixture chain) : IAsyncLifetime
{
    private HttpClient _http = null!;
    private EvmAddress _node;

    public async Task InitializeAsync() => (_, _http, _node) = await chain.SharedNodeAsync();

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Metrics_ARefusedAndAPaidGeneration_CountTheRefusalByTypeAndTheVoucherOnce()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * PaymentChainFixture.TextPrice);
        var before = await ScrapeAsync();

        using (var unpaid = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5)))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, unpaid.StatusCode);
        }

        var voucher = chain.Pay(creator.Key, channel, PaymentChainFixture.TextPrice, 1);
        using (var paid = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5, Payment: voucher)))
        {
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }

        using (var replayed = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5, Payment: voucher)))
        {
            Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        }

        // A scrape answer is cached for a moment: wait until the last request shows.
        var after = await ScrapeUntilAsync(s => Delta(before, s, "provenance_node_payments_refused_total", ("problem_type", PaymentProblemTypes.VoucherNonceStale)) >= 1);
        Assert.Equal(1, Delta(before, after, "provenance_node_payments_refused_total", ("problem_type", PaymentProblemTypes.PaymentRequired)));
        Assert.Equal(1, Delta(before, after, "provenance_node_payments_refused_total", ("problem_type", PaymentProblemTypes.VoucherNonceStale)));
        Assert.Equal(1, Delta(before, after, "provenance_node_vouchers_accepted_total"));
        Assert.Equal(1, Delta(before, after, "provenance_node_generations_total", ("kind", "text"), ("outcome", "generated")));
        Assert.Equal(1, Delta(before, after, "provenance_node_generations_total", ("kind", "text"), ("outcome", PaymentProblemTypes.PaymentRequired)));
        // Amounts, channels and creators never become labels.
        Assert.DoesNotContain(after.Samples, s => s.Labels.Values.Any(v => v.StartsWith("0x", StringComparison.Ordinal)));
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
