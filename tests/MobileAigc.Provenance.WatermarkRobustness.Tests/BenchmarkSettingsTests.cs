namespace MobileAigc.Provenance.WatermarkRobustness.Tests;

public sealed class BenchmarkSettingsTests
{
    [Fact]
    public void Parse_NoSet_GivesSixtyGeneratedPicturesAndEveryVariant()
    {
        var settings = BenchmarkSettings.Parse([]);

        Assert.Equal([new PictureSetRequest(PictureSource.Generated, 60)], settings.Sets);
        Assert.Null(settings.FalsePositiveCount);
        Assert.Equal("--generated 60 --false-positives all", settings.Arguments);
    }

    [Fact]
    public void Parse_BothSets_KeepsTheirOrderAndReproducesTheCommand()
    {
        var settings = BenchmarkSettings.Parse(["--photographs", "--generated", "60", "--false-positives", "12000", "--data-cache", "/data"]);

        Assert.Equal([PictureSource.Photographs, PictureSource.Generated], settings.Sets.Select(s => s.Source));
        Assert.Equal(12000, settings.FalsePositiveCount);
        Assert.Equal("/data", settings.DataCache);
        Assert.Equal("--photographs --generated 60 --false-positives 12000", settings.Arguments);
    }

    [Fact]
    public void Parse_PhotographSide_IsKeptAndReproducedInTheCommand()
    {
        var settings = BenchmarkSettings.Parse(["--photographs", "--photograph-side", "1024", "--false-positives", "0"]);

        Assert.Equal(1024, settings.PhotographSide);
        Assert.Equal("--photographs --photograph-side 1024 --false-positives 0", settings.Arguments);
        Assert.Equal(512, BenchmarkSettings.Parse(["--photographs"]).PhotographSide);
    }

    [Fact]
    public void Parse_CountAfterSynthetic_AppliesToIt()
    {
        var settings = BenchmarkSettings.Parse(["--synthetic", "--count", "7"]);

        Assert.Equal([new PictureSetRequest(PictureSource.Synthetic, 7)], settings.Sets);
    }

    [Theory]
    [InlineData("--generated", "0")]
    [InlineData("--generated", "ten")]
    [InlineData("--false-positives", "-1")]
    [InlineData("--count", "")]
    [InlineData("--frobnicate")]
    [InlineData("--photographs", "--photographs")]
    [InlineData("--out")]
    [InlineData("--photograph-side", "255")]
    [InlineData("--photograph-side", "4097")]
    [InlineData("--photograph-side", "big")]
    public void Parse_BadArguments_ThrowsWithTheUsage(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchmarkSettings.Parse(args));

        Assert.Contains("Usage:", error.Message, StringComparison.Ordinal);
    }
}
