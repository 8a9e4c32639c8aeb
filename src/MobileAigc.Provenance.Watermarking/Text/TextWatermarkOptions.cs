namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// The parameters of the green-list text watermark (Kirchenbauer et al., 2023). Generator and
/// detector must use the same <see cref="Gamma"/> and <see cref="ContextWidth"/>; <see cref="Delta"/>
/// matters only when generating.
/// </summary>
public sealed record TextWatermarkOptions
{
    /// <summary>The fraction of the vocabulary on each green list, 0.05 to 0.95. Default 0.25.</summary>
    public double Gamma { get; init; } = 0.25;

    /// <summary>
    /// The logit bonus of green tokens, 0 to 20. Larger is easier to detect and changes the text more. Default 4.0: the
    /// shipped model works on characters, where most positions are nearly certain, so only a strong bias leaves enough
    /// green tokens for a 200-token text to stay detected after a quarter of its words are replaced (100 of 100 at 4;
    /// 98 at 3.5; 8 at 2, the default before issue 17), at the price of a higher perplexity under the unbiased model
    /// (docs/benchmarks/text-watermark-edits.md). The detector never uses it: texts made with any δ are judged alike.
    /// </summary>
    public double Delta { get; init; } = 4.0;

    /// <summary>
    /// How many preceding tokens seed a green list, 1 to 16. Default 4: the shipped model works on
    /// characters, and one character of context repeats too often for its pairs to be scored
    /// independently; with subword vocabularies 1 or 2 is usual (and survives edits better).
    /// </summary>
    public int ContextWidth { get; init; } = 4;

    /// <summary>
    /// The false-positive probability the detector accepts: a text counts as watermarked when the exact
    /// chance of at least its green count without the watermark (the binomial upper tail) is at most
    /// this. 1e-300 to 0.5. Default 1e-5: one false alarm in 100,000 texts at most.
    /// </summary>
    public double FalsePositiveRate { get; init; } = 1e-5;

    /// <summary>
    /// The fewest scored tokens on which the detector decides, 1 to 1,000,000; below it the verdict is
    /// <see cref="TextWatermarkVerdict.TooShortToTell"/>, never "not watermarked". Default 50: fewer are
    /// dominated by a handful of common n-grams whose colour under one key is fixed; and at the old δ of 2
    /// a watermarked generation of the shipped model was hardly ever detected below it (0 of 100 at 46
    /// scored tokens, 85 of 100 at 94), so "not watermarked" would have misled (δ 4: 100 of 100 at 96,
    /// docs/benchmarks/text-watermark.md).
    /// </summary>
    public int MinimumScoredTokens { get; init; } = 50;

    /// <summary>Checks every parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a parameter is outside its documented range.</exception>
    public void Validate()
    {
        if (!double.IsFinite(Gamma) || Gamma is < 0.05 or > 0.95)
        {
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "Gamma must be 0.05 to 0.95.");
        }

        if (!double.IsFinite(Delta) || Delta is < 0 or > 20)
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "Delta must be 0 to 20.");
        }

        if (ContextWidth is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(ContextWidth), ContextWidth, "ContextWidth must be 1 to 16.");
        }

        if (!(FalsePositiveRate is >= 1e-300 and <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(FalsePositiveRate), FalsePositiveRate, "FalsePositiveRate must be 1e-300 to 0.5.");
        }

        if (MinimumScoredTokens is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MinimumScoredTokens), MinimumScoredTokens, "MinimumScoredTokens must be 1 to 1,000,000.");
        }
    }
}
