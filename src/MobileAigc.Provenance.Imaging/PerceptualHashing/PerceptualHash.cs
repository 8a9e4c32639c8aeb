using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Imaging.PerceptualHashing;

/// <summary>
/// A 256-bit PDQ-style perceptual hash of an image and the quality of the image for hashing.
/// Two hashes are compared by <see cref="DistanceTo"/> (Hamming distance, 0 to 256).
/// </summary>
/// <remarks>
/// <para>Matching: treat a distance of at most <see cref="MatchThreshold"/> (31, PDQ's recommended
/// "match" threshold) as the same picture. Measured here: JPEG at quality 50, halving the size and
/// small brightness changes stay well under it, while unrelated images lie around 128 (see the
/// test suite's figures). Rotations, mirroring, cropping and added borders are not matched.</para>
/// <para>Trust: a hash whose <see cref="Quality"/> is below <see cref="MinimumTrustedQuality"/> (50)
/// comes from a nearly featureless image (flat colour, gentle gradient); its bits are mostly noise and
/// it can match unrelated featureless images. Store it, but do not report a perceptual match on it alone.</para>
/// <para>Bit layout: bit <c>k = 16 i + j</c> is set when DCT coefficient (i, j) of the 16×16 block
/// exceeds the median; it is bit <c>k mod 8</c> of byte <c>31 − k / 8</c>, so the hex of
/// <see cref="Bits"/> reads as a 256-bit big-endian number, the same convention as PDQ's hex form.</para>
/// </remarks>
/// <param name="Bits">The 256 hash bits.</param>
/// <param name="Quality">0 (featureless) to 100 (detailed); see <see cref="MinimumTrustedQuality"/>.</param>
public readonly record struct PerceptualHash(Bytes32 Bits, int Quality)
{
    /// <summary>The number of bits: 256.</summary>
    public const int BitCount = 256;

    /// <summary>The largest distance still counted as the same picture: 31 (PDQ's recommendation; about 12% of the bits).</summary>
    public const int MatchThreshold = 31;

    /// <summary>The lowest <see cref="Quality"/> at which a hash is informative enough to match on: 50.</summary>
    public const int MinimumTrustedQuality = 50;

    /// <summary>True when <see cref="Quality"/> reaches <see cref="MinimumTrustedQuality"/>.</summary>
    public bool IsTrusted => Quality >= MinimumTrustedQuality;

    /// <summary>The Hamming distance: how many of the 256 bits differ (0 identical, about 128 unrelated).</summary>
    public int DistanceTo(PerceptualHash other) => HashBits.Distance(Bits, other.Bits);

    /// <summary>
    /// True when <see cref="DistanceTo"/> <paramref name="other"/> is at most <paramref name="threshold"/>
    /// (default <see cref="MatchThreshold"/>). Quality is not considered; check <see cref="IsTrusted"/> too.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="threshold"/> is not 0 to 256.</exception>
    public bool Matches(PerceptualHash other, int threshold = MatchThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, BitCount);
        return DistanceTo(other) <= threshold;
    }

    /// <summary>Bit <paramref name="index"/> (0 to 255) in the layout described on the type.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is not 0 to 255.</exception>
    public bool GetBit(int index) => HashBits.Get(Bits, index);
}
