namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>What the detector found in a token sequence.</summary>
/// <param name="ScoredTokens">Distinct (context, token) pairs scored: repeats and the first <see cref="TextWatermarkOptions.ContextWidth"/> tokens are not.</param>
/// <param name="GreenTokens">How many of the scored pairs had their token on the green list.</param>
/// <param name="GreenFraction">The expected green fraction γ without a watermark (the green list's exact share of the vocabulary).</param>
/// <param name="ZScore">(green − γT) / √(Tγ(1 − γ)), for display only (its normal tail understates short texts' chance); 0 when nothing was scored.</param>
/// <param name="LogPValue">
/// ln P(X ≥ <see cref="GreenTokens"/>) for X ~ Binomial(<see cref="ScoredTokens"/>, γ): the natural logarithm of the exact
/// chance of at least this many green tokens without the watermark. Finite however small the chance; 0 when nothing was scored.
/// </param>
/// <param name="Verdict">The conclusion at the options in force.</param>
/// <param name="FalsePositiveRate">The false-positive probability in force (<see cref="TextWatermarkOptions.FalsePositiveRate"/>).</param>
/// <param name="MinimumScoredTokens">The fewest scored tokens decided on (<see cref="TextWatermarkOptions.MinimumScoredTokens"/>).</param>
public readonly record struct TextWatermarkDetection(
    int ScoredTokens,
    int GreenTokens,
    double GreenFraction,
    double ZScore,
    double LogPValue,
    TextWatermarkVerdict Verdict,
    double FalsePositiveRate,
    int MinimumScoredTokens)
{
    /// <summary>The exact one-sided p-value e^<see cref="LogPValue"/>; 0 only when it is below the smallest double (about 5e-324).</summary>
    public double PValue => Math.Exp(LogPValue);

    /// <summary>True when <see cref="Verdict"/> is <see cref="TextWatermarkVerdict.Watermarked"/>.</summary>
    public bool IsWatermarked => Verdict == TextWatermarkVerdict.Watermarked;
}
