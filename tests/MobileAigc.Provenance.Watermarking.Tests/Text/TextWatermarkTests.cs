using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

public sealed class TextWatermarkTests
{
    private const int Vocabulary = 64;

    private static readonly WatermarkKey Key = WatermarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static readonly WatermarkKey OtherKey = WatermarkKey.FromBytes(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());

    private const string HumanText =
        "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. "
        + "However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well "
        + "fixed in the minds of the surrounding families, that he is considered the rightful property of some one or other of their daughters.";

    [Fact]
    public void Detect_WatermarkedSampling_IsDetected()
    {
        var watermark = new TextWatermark(Key);
        var tokens = Sample(watermark, seed: 7, length: 200);

        var detection = watermark.Detect(tokens, Vocabulary);

        Assert.True(detection.IsWatermarked, $"z = {detection.ZScore:F2}");
        Assert.True(detection.PValue < 1e-4);
    }

    [Fact]
    public void Detect_UnwatermarkedSampling_IsNotDetected()
    {
        var watermark = new TextWatermark(Key);
        var tokens = Sample(null, seed: 7, length: 200);

        var detection = watermark.Detect(tokens, Vocabulary);

        Assert.False(detection.IsWatermarked, $"z = {detection.ZScore:F2}");
    }

    [Fact]
    public void Detect_HumanText_IsNotDetected()
    {
        var watermark = new TextWatermark(Key);
        var tokens = HumanText.Select(c => c % Vocabulary).ToArray();

        var detection = watermark.Detect(tokens, Vocabulary);

        Assert.False(detection.IsWatermarked, $"z = {detection.ZScore:F2}");
        Assert.True(detection.ScoredTokens > 250);
    }

    [Fact]
    public void Detect_WrongKey_IsNotDetected()
    {
        var tokens = Sample(new TextWatermark(Key), seed: 11, length: 200);

        var detection = new TextWatermark(OtherKey).Detect(tokens, Vocabulary);

        Assert.False(detection.IsWatermarked, $"z = {detection.ZScore:F2}");
    }

    [Fact]
    public void Detect_RepeatedNGrams_AreScoredOnce()
    {
        var watermark = new TextWatermark(Key);
        int[] phrase = [5, 9, 12, 3, 44, 17, 8];
        var repeated = Enumerable.Repeat(phrase, 50).SelectMany(p => p).ToArray();

        var detection = watermark.Detect(repeated, Vocabulary);

        // A phrase of 7 repeated is a cycle: at most 7 distinct (4-token context, token) windows.
        Assert.True(detection.ScoredTokens <= phrase.Length, $"scored {detection.ScoredTokens}");
        Assert.False(detection.IsWatermarked);
    }

    [Fact]
    public void Detect_TooShortText_ScoresNothingAndTellsNothing()
    {
        var detection = new TextWatermark(Key).Detect([1, 2, 3], Vocabulary);

        Assert.Equal(0, detection.ScoredTokens);
        Assert.Equal(0, detection.ZScore);
        Assert.Equal(1.0, detection.PValue);
        Assert.Equal(TextWatermarkVerdict.TooShortToTell, detection.Verdict);
    }

    [Fact]
    public void Detect_AllGreenBelowMinimumScoredTokens_IsTooShortToTellNotNotWatermarked()
    {
        var watermark = new TextWatermark(Key);
        var tokens = Compose(watermark, scored: watermark.Options.MinimumScoredTokens - 1, green: watermark.Options.MinimumScoredTokens - 1, seed: 3);

        var detection = watermark.Detect(tokens, Vocabulary);

        // 49 green of 49 has a chance of 0.25^49 without the watermark, yet the detector does not decide on so few.
        Assert.Equal(watermark.Options.MinimumScoredTokens - 1, detection.ScoredTokens);
        Assert.True(detection.PValue < 1e-25);
        Assert.Equal(TextWatermarkVerdict.TooShortToTell, detection.Verdict);
        Assert.False(detection.IsWatermarked);
    }

    [Fact]
    public void Detect_MinimumScoredTokensLowered_DecidesShortTexts()
    {
        var watermark = new TextWatermark(Key, new TextWatermarkOptions { MinimumScoredTokens = 10 });
        var marked = Compose(watermark, scored: 10, green: 10, seed: 4);
        var plain = Compose(watermark, scored: 10, green: 3, seed: 5);

        Assert.Equal(TextWatermarkVerdict.Watermarked, watermark.Detect(marked, Vocabulary).Verdict);
        Assert.Equal(TextWatermarkVerdict.NotWatermarked, watermark.Detect(plain, Vocabulary).Verdict);
    }

    [Fact]
    public void Detect_GreenCountAtTheOldZThreshold_IsNotWatermarkedByItsExactChance()
    {
        // 43 green of 100 at γ = 1/4 gives z = 4.16, which the normal approximation put at p = 1.6e-5, under
        // the 3.2e-5 once claimed for z = 4; the exact binomial chance is 6.4e-5: not a watermark.
        var watermark = new TextWatermark(Key);
        var tokens = Compose(watermark, scored: 100, green: 43, seed: 6);

        var detection = watermark.Detect(tokens, Vocabulary);

        Assert.Equal(100, detection.ScoredTokens);
        Assert.Equal(43, detection.GreenTokens);
        Assert.True(detection.ZScore >= 4, $"z = {detection.ZScore}");
        Assert.Equal(Math.Exp(ExactBinomial.LogUpperTail(100, 43, 16, Vocabulary)), detection.PValue, 1e-15);
        Assert.True(detection.PValue > 6e-5, $"p = {detection.PValue}");
        Assert.Equal(TextWatermarkVerdict.NotWatermarked, detection.Verdict);
    }

    [Fact]
    public void Detect_GreenCountWhoseExactChanceIsWithinTheRate_IsWatermarked()
    {
        var watermark = new TextWatermark(Key);

        // The smallest green count of 100 whose exact chance is at most 1e-5, and the one below it.
        var least = Enumerable.Range(0, 101).First(g => ExactBinomial.LogUpperTail(100, g, 16, Vocabulary) <= Math.Log(watermark.Options.FalsePositiveRate));
        var atRate = watermark.Detect(Compose(watermark, scored: 100, green: least, seed: 8), Vocabulary);
        var belowRate = watermark.Detect(Compose(watermark, scored: 100, green: least - 1, seed: 9), Vocabulary);

        Assert.Equal(TextWatermarkVerdict.Watermarked, atRate.Verdict);
        Assert.Equal(TextWatermarkVerdict.NotWatermarked, belowRate.Verdict);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(double.NaN)]
    public void Constructor_FalsePositiveRateOutOfRange_ThrowsArgumentOutOfRange(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextWatermark(Key, new TextWatermarkOptions { FalsePositiveRate = rate }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_001)]
    public void Constructor_MinimumScoredTokensOutOfRange_ThrowsArgumentOutOfRange(int minimum)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextWatermark(Key, new TextWatermarkOptions { MinimumScoredTokens = minimum }));
    }

    [Fact]
    public void Bias_AddsDeltaToExactlyTheGreenList()
    {
        var watermark = new TextWatermark(Key, new TextWatermarkOptions { Gamma = 0.25, Delta = 3.0 });
        var logits = new float[Vocabulary];
        int[] context = [4, 8, 15, 16];

        watermark.Bias(context, logits);

        Assert.Equal(16, logits.Count(l => l == 3f));
        Assert.Equal(Vocabulary - 16, logits.Count(l => l == 0f));
        for (var token = 0; token < Vocabulary; token++)
        {
            Assert.Equal(logits[token] == 3f, watermark.IsGreen(context, token, Vocabulary));
        }
    }

    [Fact]
    public void Bias_ShortContext_LeavesLogitsAlone()
    {
        var watermark = new TextWatermark(Key);
        var logits = new float[Vocabulary];

        watermark.Bias([1, 2, 3], logits);

        Assert.All(logits, l => Assert.Equal(0f, l));
    }

    [Fact]
    public void Bias_SameContextAndKey_GivesSameGreenList()
    {
        var a = new float[Vocabulary];
        var b = new float[Vocabulary];
        var c = new float[Vocabulary];

        new TextWatermark(Key).Bias([1, 2, 3, 4], a);
        new TextWatermark(Key).Bias([9, 1, 2, 3, 4], b);
        new TextWatermark(OtherKey).Bias([1, 2, 3, 4], c);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Detect_TokenOutsideVocabulary_Throws()
    {
        var watermark = new TextWatermark(Key);

        Assert.Throws<ArgumentOutOfRangeException>(() => watermark.Detect([1, 2, 3, 4, Vocabulary], Vocabulary));
        Assert.Throws<ArgumentOutOfRangeException>(() => watermark.Detect([1, 2, 3, 4, -1], Vocabulary));
    }

    [Theory]
    [InlineData(0.01, 2.0, 4)]
    [InlineData(0.99, 2.0, 4)]
    [InlineData(0.25, -1.0, 4)]
    [InlineData(0.25, double.NaN, 4)]
    [InlineData(0.25, 2.0, 0)]
    [InlineData(0.25, 2.0, 17)]
    public void Constructor_OptionOutOfRange_ThrowsArgumentOutOfRange(double gamma, double delta, int contextWidth)
    {
        var options = new TextWatermarkOptions { Gamma = gamma, Delta = delta, ContextWidth = contextWidth };

        Assert.Throws<ArgumentOutOfRangeException>(() => new TextWatermark(Key, options));
    }

    /// <summary>
    /// Tokens that score exactly <paramref name="scored"/> distinct pairs, <paramref name="green"/> of them green
    /// under <paramref name="watermark"/>: each next token drawn at random from the colour the count still needs.
    /// </summary>
    private static int[] Compose(TextWatermark watermark, int scored, int green, int seed)
    {
        var random = new Random(seed);
        var width = watermark.Options.ContextWidth;
        var tokens = Enumerable.Range(1, width).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < scored; i++)
        {
            var wantGreen = i < green;
            var context = tokens.GetRange(tokens.Count - width, width).ToArray();
            int next;
            do
            {
                next = random.Next(Vocabulary);
            }
            while (watermark.IsGreen(context, next, Vocabulary) != wantGreen || !seen.Add(string.Join(',', context.Append(next))));

            tokens.Add(next);
        }

        return [.. tokens];
    }

    /// <summary>Draws tokens from fresh random logits (some entropy at every step, like a language model), biased by <paramref name="watermark"/> when given.</summary>
    private static int[] Sample(TextWatermark? watermark, int seed, int length)
    {
        var random = new Random(seed);
        var tokens = new List<int> { 1, 2, 3, 4 };
        var logits = new float[Vocabulary];
        for (var i = 0; i < length; i++)
        {
            for (var v = 0; v < Vocabulary; v++)
            {
                logits[v] = (float)(random.NextDouble() * 3);
            }

            watermark?.Bias(tokens.ToArray(), logits);
            var max = logits.Max();
            var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
            var u = random.NextDouble() * weights.Sum();
            var next = 0;
            while (next < Vocabulary - 1 && (u -= weights[next]) >= 0)
            {
                next++;
            }

            tokens.Add(next);
        }

        return [.. tokens];
    }
}
