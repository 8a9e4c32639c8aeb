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

    [Theory]
    [InlineData(65)]
    [InlineData(50_257)]
    public void Forward_EachTokenOverManySeeds_IsGreenWithTheGreenListsShare(int size)
    {
        // Whatever the token, its chance of landing below the green list's size is the list's share of the vocabulary: what
        // the detector's binomial tail assumes. 65 is the shipped model's vocabulary, where cycle walking does the most
        // (a domain of 256). 100,000 seeds: a standard deviation of 0.0014, so ±0.007 is 5 of them.
        const int Seeds = 100_000;
        var greenSize = (int)Math.Round(0.25 * size, MidpointRounding.AwayFromZero);
        var share = greenSize / (double)size;
        var tokens = size < 100 ? Enumerable.Range(0, size).ToArray() : [0, 1, 12_345, size - 1];
        var green = new int[tokens.Length];
        for (var seed = 0UL; seed < Seeds; seed++)
        {
            var permutation = new GreenListPermutation(seed * 0x9E3779B97F4A7C15UL, size);
            for (var t = 0; t < tokens.Length; t++)
            {
                green[t] += permutation.Forward(tokens[t]) < greenSize ? 1 : 0;
            }
        }

        Assert.All(green, g => Assert.InRange(g / (double)Seeds, share - 0.007, share + 0.007));
    }

    [Fact]
    public void Constructor_VocabularyOfOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GreenListPermutation(1, 1));
    }
}
