namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>What the detector found in a token sequence.</summary>
/// <param name="ScoredTokens">Distinct (context, token) pairs scored: repeats and the first <see cref="TextWatermarkOptions.ContextWidth"/> tokens are not.</param>
/// <param name="GreenTokens">How many of the scored pairs had their token on the green list.</param>
/// <param name="GreenFraction">The expected green fraction without a watermark (the green list's exact share of the vocabulary).</param>
/// <param name="ZScore">(green − γT) / √(Tγ(1 − γ)); 0 when nothing was scored.</param>
/// <param name="PValue">One-sided p-value of the z-score under "no watermark": 1 − Φ(z).</param>
/// <param name="Threshold">The z-score threshold in force.</param>
public readonly record struct TextWatermarkDetection(int ScoredTokens, int GreenTokens, double GreenFraction, double ZScore, double PValue, double Threshold)
{
    /// <summary>True when <see cref="ZScore"/> reaches <see cref="Threshold"/>.</summary>
    public bool IsWatermarked => ZScore >= Threshold;
}
