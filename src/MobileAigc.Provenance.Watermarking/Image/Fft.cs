namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// An in-place radix-2 complex FFT (unnormalised in both directions). The forward transform uses
/// e^(-2πi·k·n/N); the inverse e^(+2πi·k·n/N) without the 1/N factor.
/// </summary>
internal static class Fft
{
    public static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;

    public static int NextPowerOfTwo(int n)
    {
        var p = 1;
        while (p < n)
        {
            p <<= 1;
        }

        return p;
    }

    /// <summary>A 2-D transform of a <paramref name="width"/> × <paramref name="height"/> row-major array; both sides powers of two.</summary>
    public static void Transform2D(double[] re, double[] im, int width, int height, bool inverse)
    {
        var rowTwiddles = Twiddles(width, inverse);
        for (var y = 0; y < height; y++)
        {
            Transform(re.AsSpan(y * width, width), im.AsSpan(y * width, width), rowTwiddles);
        }

        var columnTwiddles = height == width ? rowTwiddles : Twiddles(height, inverse);
        var columnRe = new double[height];
        var columnIm = new double[height];
        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                columnRe[y] = re[y * width + x];
                columnIm[y] = im[y * width + x];
            }

            Transform(columnRe, columnIm, columnTwiddles);
            for (var y = 0; y < height; y++)
            {
                re[y * width + x] = columnRe[y];
                im[y * width + x] = columnIm[y];
            }
        }
    }

    private static (double[] Cos, double[] Sin) Twiddles(int n, bool inverse)
    {
        var cos = new double[n / 2];
        var sin = new double[n / 2];
        var sign = inverse ? 1.0 : -1.0;
        for (var k = 0; k < n / 2; k++)
        {
            var angle = 2 * Math.PI * k / n;
            cos[k] = Math.Cos(angle);
            sin[k] = sign * Math.Sin(angle);
        }

        return (cos, sin);
    }

    private static void Transform(Span<double> re, Span<double> im, (double[] Cos, double[] Sin) twiddles)
    {
        var n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }

        for (var length = 2; length <= n; length <<= 1)
        {
            var half = length >> 1;
            var stride = n / length;
            for (var start = 0; start < n; start += length)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = twiddles.Cos[k * stride];
                    var wi = twiddles.Sin[k * stride];
                    var a = start + k;
                    var b = a + half;
                    var vr = re[b] * wr - im[b] * wi;
                    var vi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - vr;
                    im[b] = im[a] - vi;
                    re[a] += vr;
                    im[a] += vi;
                }
            }
        }
    }
}
