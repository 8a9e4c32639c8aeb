using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// The steps of PDQ after the 64×64 downsample: the quality metric, the 16×16 DCT block, its dihedral forms and the
/// median threshold that turns it into 256 bits. Shared with this solution's own perceptual hash
/// (<c>PerceptualHashing/</c>), which differs only in its downsampling.
/// </summary>
internal static class PdqCoefficients
{
    /// <summary>The side of the DCT block: 16.</summary>
    public const int Size = LowFrequencyDct.Size;

    private const int Count = Size * Size;

    /// <summary>
    /// The reference's quality: every vertical and horizontal step between neighbouring cells of the 64×64 luma, as a
    /// percentage of 255 truncated toward zero, summed in absolute value, divided by 90 and capped at 100.
    /// </summary>
    public static int Quality(ReadOnlySpan<float> luma64)
    {
        const int side = 64;
        var gradientSum = 0;
        for (var i = 0; i < side - 1; i++)
        {
            for (var j = 0; j < side; j++)
            {
                gradientSum += Math.Abs((int)((luma64[(i * side) + j] - luma64[((i + 1) * side) + j]) * 100 / 255));
            }
        }

        for (var i = 0; i < side; i++)
        {
            for (var j = 0; j < side - 1; j++)
            {
                gradientSum += Math.Abs((int)((luma64[(i * side) + j] - luma64[(i * side) + j + 1]) * 100 / 255));
            }
        }

        return Math.Min(100, gradientSum / 90);
    }

    /// <summary>The 16×16 DCT block (frequencies 1 to 16 of each axis) of the 64×64 luma, row-major.</summary>
    public static float[] Dct(ReadOnlySpan<float> luma64) => LowFrequencyDct.Transform(luma64);

    /// <summary>
    /// Bit <c>16 i + j</c> set when coefficient (i, j) is greater than the median, the reference's lower median
    /// (the 128th smallest of the 256), so ties at the median stay clear.
    /// </summary>
    public static Bytes32 ToBits(ReadOnlySpan<float> coefficients)
    {
        Span<float> sorted = stackalloc float[Count];
        coefficients.CopyTo(sorted);
        sorted.Sort();
        var median = sorted[(Count / 2) - 1];

        Span<byte> bits = stackalloc byte[Bytes32.Length];
        for (var k = 0; k < Count; k++)
        {
            if (coefficients[k] > median)
            {
                bits[Bytes32.Length - 1 - (k / 8)] |= (byte)(1 << (k % 8));
            }
        }

        return Bytes32.FromBytes(bits);
    }

    /// <summary>
    /// The DCT block of the picture turned or mirrored as <paramref name="form"/> says, from the block of the picture.
    /// </summary>
    /// <remarks>
    /// Reversing the 64 rows multiplies the coefficient of frequency u (row index u − 1) by (−1)^u, so mirrors negate
    /// the even-indexed rows or columns; transposing the picture transposes the block. Turns are a transpose and a
    /// mirror. Written into <paramref name="target"/> (256 values).
    /// </remarks>
    public static void Transform(ReadOnlySpan<float> block, PdqDihedral form, Span<float> target)
    {
        var (transpose, negateEvenRows, negateEvenColumns) = form switch
        {
            PdqDihedral.Original => (false, false, false),
            PdqDihedral.Rotate90 => (true, true, false),
            PdqDihedral.Rotate180 => (false, true, true),
            PdqDihedral.Rotate270 => (true, false, true),
            PdqDihedral.FlipX => (false, true, false),
            PdqDihedral.FlipY => (false, false, true),
            PdqDihedral.FlipPlus1 => (true, false, false),
            PdqDihedral.FlipMinus1 => (true, true, true),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Not one of the eight dihedral forms."),
        };

        for (var p = 0; p < Size; p++)
        {
            for (var q = 0; q < Size; q++)
            {
                var value = transpose ? block[(q * Size) + p] : block[(p * Size) + q];
                var negate = (negateEvenRows && p % 2 == 0) ^ (negateEvenColumns && q % 2 == 0);
                target[(p * Size) + q] = negate ? -value : value;
            }
        }
    }
}
