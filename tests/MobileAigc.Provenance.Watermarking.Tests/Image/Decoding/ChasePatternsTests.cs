using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Decoding;

/// <summary><see cref="ChasePatterns"/>: every flip pattern once, the most likely first, and only as many as asked.</summary>
public sealed class ChasePatternsTests
{
    [Fact]
    public void MostLikely_AllPatternsOfSixBits_YieldsEachSubsetOnceInIncreasingCost()
    {
        double[] reliability = [0.9, 0.1, 0.5, 0.3, 2.0, 0.7];

        var patterns = ChasePatterns.MostLikely(reliability, 64).ToList();

        Assert.Empty(patterns[0]);
        Assert.Equal(64, patterns.Select(Mask).Distinct().Count());
        var costs = patterns.Select(p => p.Sum(b => reliability[b])).ToList();
        for (var i = 1; i < costs.Count; i++)
        {
            Assert.True(costs[i] >= costs[i - 1] - 1e-12, $"pattern {i} costs {costs[i]}, pattern {i - 1} {costs[i - 1]}");
        }

        // Bit 1 (the weakest) first, then bit 3, then both (0.4 < 0.5, bit 2), ...
        Assert.Equal([[1], [3], [1, 3], [2]], patterns.Skip(1).Take(4).Select(p => p.Order().ToArray()).ToArray());
    }

    [Fact]
    public void MostLikely_ManyBits_StopsAtTheCountAndPrefersSeveralWeakBitsToOneStrong()
    {
        var reliability = Enumerable.Range(0, 192).Select(i => i < 3 ? 0.01 * (i + 1) : 1.0 + i).ToArray();

        var patterns = ChasePatterns.MostLikely(reliability, 10).ToList();

        Assert.Equal(10, patterns.Count);
        // The 8 subsets of the three nearly undecided bits come before any other bit is flipped.
        Assert.Equal(8, patterns.Take(8).Count(p => p.All(b => b < 3)));
        Assert.Equal([3], patterns[8]);
    }

    [Fact]
    public void MostLikely_CountOne_YieldsOnlyTheHardDecision()
    {
        Assert.Equal([[]], ChasePatterns.MostLikely([0.5, 0.2], 1).ToArray());
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(5, -0.1)]
    [InlineData(5, double.NaN)]
    public void MostLikely_BadArguments_Throw(int count, double reliability)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChasePatterns.MostLikely([0.3, reliability], count));
    }

    private static long Mask(int[] pattern) => pattern.Aggregate(0L, (mask, bit) => mask | 1L << bit);
}
