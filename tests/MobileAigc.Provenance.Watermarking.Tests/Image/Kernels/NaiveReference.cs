namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// The textbook versions of what the watermark's hand-written kernels compute, in double precision and with no
/// cleverness, so that a kernel can be compared with something obviously right.
/// </summary>
internal static class NaiveReference
{
    /// <summary>Single-precision unit roundoff, 2^-24.</summary>
    public const double SingleEpsilon = 1.0 / (1 << 24);

    /// <summary>Double-precision unit roundoff, 2^-53.</summary>
    public static readonly double DoubleEpsilon = Math.ScaleB(1.0, -53);

    /// <summary>
    /// The 2-D DFT by definition, O(n²) per axis: X[v, u] = Σ x[y, x] e^(∓2πi(ux/W + vy/H)), row-major, unnormalised,
    /// the minus sign forward.
    /// </summary>
    public static (double[] Re, double[] Im) Dft2D(double[] re, double[] im, int width, int height, bool inverse)
    {
        var (rowsRe, rowsIm) = (new double[re.Length], new double[re.Length]);
        for (var y = 0; y < height; y++)
        {
            Dft(re, im, rowsRe, rowsIm, y * width, 1, width, inverse);
        }

        var (outRe, outIm) = (new double[re.Length], new double[re.Length]);
        for (var x = 0; x < width; x++)
        {
            Dft(rowsRe, rowsIm, outRe, outIm, x, width, height, inverse);
        }

        return (outRe, outIm);
    }

    /// <summary>
    /// A box mean of side 2r + 1 with edges clamped (a sample outside the plane is its nearest edge sample), rows then
    /// columns, <paramref name="passes"/> times: every output sample summed afresh, no running sums.
    /// </summary>
    public static double[] BoxBlur(float[] values, int width, int height, int radius, int passes)
    {
        var current = Array.ConvertAll(values, v => (double)v);
        for (var pass = 0; pass < passes; pass++)
        {
            var rows = new double[current.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var sum = 0.0;
                    for (var i = -radius; i <= radius; i++)
                    {
                        sum += current[y * width + Math.Clamp(x + i, 0, width - 1)];
                    }

                    rows[y * width + x] = sum / (2 * radius + 1);
                }
            }

            var columns = new double[current.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var sum = 0.0;
                    for (var i = -radius; i <= radius; i++)
                    {
                        sum += rows[Math.Clamp(y + i, 0, height - 1) * width + x];
                    }

                    columns[y * width + x] = sum / (2 * radius + 1);
                }
            }

            current = columns;
        }

        return current;
    }

    /// <summary>Σ |x|², the energy of a complex signal.</summary>
    public static double Energy(IReadOnlyList<double> re, IReadOnlyList<double> im)
    {
        var sum = 0.0;
        for (var i = 0; i < re.Count; i++)
        {
            sum += re[i] * re[i] + im[i] * im[i];
        }

        return sum;
    }

    /// <summary>
    /// How far an FFT of n = <paramref name="length"/> points may stray from the exact DFT, at any one frequency:
    /// the rounding error of a radix-2 FFT grows as log2(n) · ε · ‖X‖₂ (each of the log2 n stages adds a few ε
    /// relative to the signal's norm, twiddles rounded included), and ‖X‖₂ = √n · ‖x‖₂. The factor 4 covers a
    /// butterfly's few operations and the rounded twiddles.
    /// </summary>
    public static double FftTolerance(int length, double epsilon, double inputEnergy) =>
        4 * Math.Max(1, Math.Log2(length)) * epsilon * Math.Sqrt(length * Math.Max(inputEnergy, 1e-300));

    /// <summary>
    /// A bound on the reference's own error: each output of <see cref="Dft2D"/> is two nested sums, of
    /// <paramref name="width"/> then <paramref name="height"/> terms, whose rounding is at most their length · ε · Σ |x|
    /// (a few ε per term, the twiddles' included).
    /// </summary>
    public static double DftError(double[] re, double[] im, int width, int height)
    {
        var sum = 0.0;
        for (var i = 0; i < re.Length; i++)
        {
            sum += Math.Abs(re[i]) + Math.Abs(im[i]);
        }

        return 4 * (width + height) * DoubleEpsilon * sum;
    }

    /// <summary>The 1-D DFT by definition of the <paramref name="n"/> samples at <paramref name="start"/>, <paramref name="stride"/> apart.</summary>
    private static void Dft(double[] re, double[] im, double[] outRe, double[] outIm, int start, int stride, int n, bool inverse)
    {
        for (var k = 0; k < n; k++)
        {
            var (sumRe, sumIm) = (0.0, 0.0);
            for (var j = 0; j < n; j++)
            {
                var (c, s) = Twiddle((long)k * j, n, inverse);
                var (a, b) = (re[start + j * stride], im[start + j * stride]);
                sumRe += a * c - b * s;
                sumIm += a * s + b * c;
            }

            (outRe[start + k * stride], outIm[start + k * stride]) = (sumRe, sumIm);
        }
    }

    private static (double Cos, double Sin) Twiddle(long product, int n, bool inverse)
    {
        // The exponent's integer part reduced first: cos(2πk/n) of a large k loses digits.
        var angle = 2 * Math.PI * (product % n) / n;
        return (Math.Cos(angle), (inverse ? 1 : -1) * Math.Sin(angle));
    }
}
