using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

/// <summary>The keyed permutation that makes a green list: a bijection of the vocabulary whose images are evenly spread.</summary>
public sealed class GreenListPermutationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1_000)]
    [InlineData(50_257)]
    public void Forward_EveryVocabularySize_IsABijectionThatInverseUndoes(int size)
    {
        var permutation = new GreenListPermutation(0x1234_5678_9ABC_DEF0UL + (ulong)size, size);
        var hit = new bool[size];

        for (var token = 0; token < size; token++)
        {
            var image = permutation.Forward(token);
            Assert.InRange(image, 0, size - 1);
            Assert.False(hit[image], $"{image} reached twice");
            hit[image] = true;
            Assert.Equal(token, permutation.Inverse(image));
        }
    }

    [Fact]
    public void Forward_OneTokenOverManySeeds_IsGreenAboutAQuarterOfTheTime()
    {
        // Whatever the token, its chance of landing below a quarter of the vocabulary is the quarter: what the detector's
        // binomial tail assumes. 40,000 seeds: a standard deviation of 0.0022, so ±0.015 is about 7 of them.
        const int Size = 50_257;
        const int GreenSize = Size / 4;
        foreach (var token in new[] { 0, 1, 12_345, Size - 1 })
        {
            var green = 0;
            for (var seed = 0UL; seed < 40_000; seed++)
            {
                green += new GreenListPermutation(seed * 0x9E3779B97F4A7C15UL, Size).Forward(token) < GreenSize ? 1 : 0;
            }

            Assert.InRange(green / 40_000.0, 0.25 - 0.015, 0.25 + 0.015);
        }
    }

    [Fact]
    public void Constructor_VocabularyOfOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GreenListPermutation(1, 1));
    }
}
