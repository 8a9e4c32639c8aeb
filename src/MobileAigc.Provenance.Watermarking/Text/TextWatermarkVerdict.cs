namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>What the text watermark detector concludes about a token sequence.</summary>
public enum TextWatermarkVerdict
{
    /// <summary>Fewer scored tokens than <see cref="TextWatermarkOptions.MinimumScoredTokens"/>: no conclusion either way.</summary>
    TooShortToTell,

    /// <summary>Long enough to tell, and the green count is within what chance gives at <see cref="TextWatermarkOptions.FalsePositiveRate"/>.</summary>
    NotWatermarked,

    /// <summary>Long enough to tell, and the green count's exact chance without the watermark is at most <see cref="TextWatermarkOptions.FalsePositiveRate"/>.</summary>
    Watermarked,
}
