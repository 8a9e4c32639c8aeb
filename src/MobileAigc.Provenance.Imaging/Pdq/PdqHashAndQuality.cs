namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>A PDQ hash and the quality of the picture it came from, as the reference returns them together.</summary>
/// <remarks>
/// Quality is the reference's heuristic: the sum of the significant luma steps between neighbouring cells of the 64×64
/// downsample, scaled to 0 (flat) to 100 (detailed, as most photographs). A hash below
/// <see cref="MinimumTrustedQuality"/> comes from a nearly featureless picture whose bits are mostly noise and can
/// match unrelated featureless pictures: keep it, but do not report a match on it alone.
/// </remarks>
/// <param name="Hash">The 256-bit hash.</param>
/// <param name="Quality">0 (featureless) to 100 (detailed).</param>
public readonly record struct PdqHashAndQuality(PdqHash Hash, int Quality)
{
    /// <summary>The lowest quality at which a hash is informative enough to match on: 50.</summary>
    public const int MinimumTrustedQuality = 50;

    /// <summary>True when <see cref="Quality"/> reaches <see cref="MinimumTrustedQuality"/>.</summary>
    public bool IsTrusted => Quality >= MinimumTrustedQuality;
}
