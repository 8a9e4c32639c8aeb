using MobileAigc.Provenance.Testing.Metrics;

namespace MobileAigc.Provenance.Testing.Tests.Metrics;

public sealed class PrometheusScrapeTests
{
    private const string Exposition = """
        # TYPE provenance_node_generations_total counter
        # HELP provenance_node_generations_total Generation requests.
        provenance_node_generations_total{otel_scope_name="MobileAigc.Provenance.EdgeNode",kind="text",outcome="generated"} 3 1700000000000
        provenance_node_generations_total{otel_scope_name="MobileAigc.Provenance.EdgeNode",kind="image",outcome="urn:x:payment-required"} 2
        provenance_node_generation_duration_seconds_bucket{kind="text",le="+Inf"} 3
        odd_labels{path="a \"quoted\" \\ value",empty=""} 1.5e3
        process_up 1
        # EOF
        """;

    [Fact]
    public void Parse_Exposition_ReadsNamesLabelsAndValues()
    {
        var scrape = PrometheusScrape.Parse(Exposition);

        Assert.Equal(5, scrape.Samples.Count);
        Assert.Equal(3, scrape.Sum("provenance_node_generations_total", ("kind", "text"), ("outcome", "generated")));
        Assert.Equal(5, scrape.Sum("provenance_node_generations_total"));
        Assert.Equal("a \"quoted\" \\ value", scrape.Find("odd_labels").Single().Labels["path"]);
        Assert.Equal(1500, scrape.Sum("odd_labels", ("empty", "")));
        Assert.Equal(1, scrape.Sum("process_up"));
        Assert.True(scrape.Has("provenance_node_generation_duration_seconds_bucket", ("le", "+Inf")));
    }

    [Fact]
    public void Sum_SeriesNotPresent_IsZero()
    {
        var scrape = PrometheusScrape.Parse(Exposition);

        Assert.Equal(0, scrape.Sum("provenance_node_generations_total", ("kind", "video")));
        Assert.False(scrape.Has("provenance_ledger_records_accepted_total"));
    }

    [Theory]
    [InlineData("name{label=\"unclosed} 1")]
    [InlineData("name{label=value} 1")]
    [InlineData("name not-a-number")]
    [InlineData("lonely")]
    public void Parse_MalformedLine_Throws(string line) =>
        Assert.Throws<FormatException>(() => PrometheusScrape.Parse(line));
}
