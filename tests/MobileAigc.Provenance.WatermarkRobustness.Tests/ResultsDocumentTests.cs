using MobileAigc.Provenance.WatermarkRobustness.Reporting;

namespace MobileAigc.Provenance.WatermarkRobustness.Tests;

public sealed class ResultsDocumentTests
{
    [Fact]
    public void WithSection_Present_ReplacesOnlyThatSection()
    {
        const string document = "# Doc\n<!-- results:generated -->\nold g\n<!-- /results:generated -->\ntext\n<!-- results:photographs -->\nold p\n<!-- /results:photographs -->\nend\n";

        var updated = ResultsDocument.WithSection(document, "photographs", "new p\n");

        Assert.Equal("# Doc\n<!-- results:generated -->\nold g\n<!-- /results:generated -->\ntext\n<!-- results:photographs -->\nnew p\n<!-- /results:photographs -->\nend\n", updated);
    }

    [Fact]
    public void WithSection_Absent_AppendsIt()
    {
        var updated = ResultsDocument.WithSection("# Doc\n", "false-positives", "rows");

        Assert.Equal("# Doc\n\n<!-- results:false-positives -->\nrows\n<!-- /results:false-positives -->\n", updated);
    }
}
