using MobileAigc.Provenance.Ledger.Audit;

namespace MobileAigc.Provenance.Ledger.Tests.Dashboard;

public sealed class DashboardWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_NothingGiven_LastTwentyFourHours()
    {
        var window = DashboardWindow.Parse(null, "", Now);

        Assert.Equal(new DashboardWindow(Now.ToUnixTimeSeconds() - 86_400, Now.ToUnixTimeSeconds()), window);
    }

    [Fact]
    public void Parse_IsoAndUnix_BothInclusive()
    {
        var window = DashboardWindow.Parse("2026-12-01T00:00:00Z", "1796515200", Now);

        Assert.Equal(new DashboardWindow(1_796_083_200, 1_796_515_200), window);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_796_515_201), window.End);
    }

    [Fact]
    public void Parse_ThirtyOneDays_Accepted()
    {
        var window = DashboardWindow.Parse("0", (31 * 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture), Now);

        Assert.Equal(31 * 86_400, window.To - window.From);
    }

    [Theory]
    [InlineData("0", "2678401", "from")] // 31 days and a second
    [InlineData("200", "100", "from")]
    [InlineData("yesterday", null, "from")]
    [InlineData(null, "2026-12-01T00:00:00", "to")] // no offset: whose midnight?
    [InlineData("-5", null, "from")]
    public void Parse_BadWindow_ThrowsNamingTheParameter(string? from, string? to, string parameter)
    {
        var e = Assert.Throws<AuditQueryException>(() => DashboardWindow.Parse(from, to, Now));

        Assert.Equal(parameter, e.Parameter);
    }

    [Theory]
    [InlineData("color", "by")]
    [InlineData("1", "by")]
    [InlineData("0", "series")]
    [InlineData("51", "series")]
    [InlineData("ten", "series")]
    public void ParseSeries_BadValue_ThrowsNamingTheParameter(string value, string parameter)
    {
        var e = Assert.Throws<AuditQueryException>(() =>
        {
            _ = parameter == "by" ? DashboardSeries.ParseKey(value) : (object)DashboardSeries.ParseMax(value);
        });

        Assert.Equal(parameter, e.Parameter);
    }
}
