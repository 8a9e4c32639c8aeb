namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// The 16×16 lowest-frequency coefficients of the 2-D DCT-II of a 64×64 block, without the DC row and
/// column (frequencies 1 to 16, as PDQ keeps): <c>B = D A Dᵀ</c> with the 16×64 matrix
/// <c>D[i][j] = √(2/64) cos(π (i + 1)(2 j + 1) / 128)</c>. Leaving out frequency 0 makes the hash blind
/// to overall brightness.
/// </summary>
internal static class LowFrequencyDct
{
    /// <summary>The output side: 16.</summary>
    public const int Size = 16;

    private const int InputSize = JaroszDownsampler.Size;

    private static readonly float[] Matrix = BuildMatrix();

    /// <summary>The 16×16 coefficients, row-major, of a 64×64 row-major block.</summary>
    public static float[] Transform(ReadOnlySpan<float> block)
    {
        // T = D A (16×64), then B = T Dᵀ (16×16).
        var partial = new float[Size * InputSize];
        for (var i = 0; i < Size; i++)
        {
            var t = partial.AsSpan(i * InputSize, InputSize);
            for (var k = 0; k < InputSize; k++)
            {
                var d = Matrix[(i * InputSize) + k];
                var a = block.Slice(k * InputSize, InputSize);
                for (var j = 0; j < InputSize; j++)
                {
                    t[j] += d * a[j];
                }
            }
        }

        var result = new float[Size * Size];
        for (var i = 0; i < Size; i++)
        {
            var t = partial.AsSpan(i * InputSize, InputSize);
            for (var j = 0; j < Size; j++)
            {
                var d = Matrix.AsSpan(j * InputSize, InputSize);
                var sum = 0f;
                for (var k = 0; k < InputSize; k++)
                {
                    sum += t[k] * d[k];
                }

                result[(i * Size) + j] = sum;
            }
        }

        return result;
    }

    private static float[] BuildMatrix()
    {
        var matrix = new float[Size * InputSize];
        var scale = Math.Sqrt(2.0 / InputSize);
        for (var i = 0; i < Size; i++)
        {
            for (var j = 0; j < InputSize; j++)
            {
                matrix[(i * InputSize) + j] = (float)(scale * Math.Cos(Math.PI * (i + 1) * ((2 * j) + 1) / (2.0 * InputSize)));
            }
        }

        return matrix;
    }
}
