using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

public sealed class BinomialTailTests
{
    /// <summary>
    /// (n, k, green list size, vocabulary): γ = green / vocabulary exactly, as the detector uses it; 16/65 is the
    /// shipped character model's, k from 0 through the mode to n.
    /// </summary>
    public static TheoryData<int, int, int, int> Cases()
    {
        var cases = new TheoryData<int, int, int, int>();
        foreach (var (green, vocabulary) in new[] { (16, 65), (1, 4), (1, 2), (1, 20), (19, 20) })
        {
            foreach (var n in new[] { 1, 7, 20, 50, 100, 300 })
            {
                foreach (var k in new[] { 0, 1, n / 10, n / 4, n / 3, n / 2, (2 * n) / 3, n - 1, n }.Distinct())
                {
                    cases.Add(n, k, green, vocabulary);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogUpperTail_AgainstExactIntegerSum_Matches(int n, int k, int green, int vocabulary)
    {
        var expected = ExactBinomial.LogUpperTail(n, k, green, vocabulary);

        var actual = BinomialTail.LogUpperTail(n, k, (double)green / vocabulary);

        Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"ln P(X >= {k}; {n}, {green}/{vocabulary}) = {actual}, exact {expected}");
    }

    [Theory]
    [InlineData(10, 8, 0.5, 56.0 / 1024)]
    [InlineData(10, 10, 0.5, 1.0 / 1024)]
    [InlineData(4, 1, 0.25, 175.0 / 256)]
    [InlineData(20, 0, 0.3, 1.0)]
    public void LogUpperTail_TextbookValues_Match(int n, int k, double p, double expected)
    {
        var actual = Math.Exp(BinomialTail.LogUpperTail(n, k, p));

        Assert.Equal(expected, actual, 12);
    }

    [Fact]
    public void LogUpperTail_AllOfAMillionGreen_StaysFiniteAndExact()
    {
        // P = γ^n underflows a double long before n = 10^6; its logarithm must not.
        const int n = 1_000_000;
        var gamma = 16.0 / 65;

        var actual = BinomialTail.LogUpperTail(n, n, gamma);

        Assert.Equal(n * Math.Log(gamma), actual, 6);
    }

    [Fact]
    public void LogUpperTail_BeyondTheTrials_IsNegativeInfinity()
    {
        Assert.Equal(double.NegativeInfinity, BinomialTail.LogUpperTail(5, 6, 0.25));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void LogUpperTail_ProbabilityOutsideOpenUnitInterval_Throws(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialTail.LogUpperTail(10, 3, p));
    }
}
