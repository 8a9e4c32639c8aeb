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
    public void Detect_TooShortText_ScoresNothing()
    {
        var detection = new TextWatermark(Key).Detect([1, 2, 3], Vocabulary);

        Assert.Equal(0, detection.ScoredTokens);
        Assert.Equal(0, detection.ZScore);
        Assert.Equal(0.5, detection.PValue, 6);
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

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.158655)]
    [InlineData(4.0, 3.16712e-5)]
    [InlineData(-2.0, 0.977250)]
    public void UpperTailProbability_KnownValues_Match(double z, double expected)
    {
        var p = TextWatermark.UpperTailProbability(z);

        Assert.True(Math.Abs(p - expected) <= expected * 1e-4, $"p({z}) = {p}");
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
