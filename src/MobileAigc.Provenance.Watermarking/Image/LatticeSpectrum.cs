using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The whitened Fourier magnitude of a residual's centre at half resolution, where a periodic tile shows as a lattice of
/// bright points, and how bright the lattice a grid predicts is in it (<see cref="Score"/>): what
/// <see cref="TileGridSearch"/> searches over. Both sides are powers of two. Immutable once analysed.
/// </summary>
internal sealed class LatticeSpectrum
{
    private const int MaxAnalysisSide = 256;
    private const int MinTransformSide = 128;

    private readonly float[] _whitened;

    private LatticeSpectrum(float[] whitened, int width, int height)
    {
        _whitened = whitened;
        Width = width;
        Height = height;
    }

    /// <summary>The transform's width in bins.</summary>
    public int Width { get; }

    /// <summary>The transform's height in bins.</summary>
    public int Height { get; }

    /// <summary>Transforms the centre of <paramref name="residual"/> at half resolution and whitens its magnitude.</summary>
    public static LatticeSpectrum Analyse(LumaPlane residual)
    {
        var halfWidth = residual.Width / 2;
        var halfHeight = residual.Height / 2;
        var width = Math.Min(halfWidth, MaxAnalysisSide);
        var height = Math.Min(halfHeight, MaxAnalysisSide);
        var x0 = (halfWidth - width) / 2;
        var y0 = (halfHeight - height) / 2;
        var nx = Math.Max(MinTransformSide, Fft.NextPowerOfTwo(width));
        var ny = Math.Max(MinTransformSide, Fft.NextPowerOfTwo(height));
        // The transform's buffers are pooled (a quarter of a megabyte each on the large-object heap otherwise).
        var length = nx * ny;
        // Single precision: the search only compares magnitudes averaged over dozens of lattice points, far above its rounding.
        var re = ArrayPool<float>.Shared.Rent(length);
        var im = ArrayPool<float>.Shared.Rent(length);
        var local = ArrayPool<float>.Shared.Rent(length);
        try
        {
            Array.Clear(re, 0, length);
            Array.Clear(im, 0, length);
            var hannX = Hann(width);
            var hannY = Hann(height);
            var values = residual.Values;
            var stride = residual.Width;
            for (var y = 0; y < height; y++)
            {
                var top = 2 * (y0 + y) * stride;
                for (var x = 0; x < width; x++)
                {
                    var i = top + 2 * (x0 + x);
                    var mean = 0.25 * (values[i] + values[i + 1] + values[i + stride] + values[i + stride + 1]);
                    re[y * nx + x] = (float)(mean * hannX[x] * hannY[y]);
                }
            }

            Fft.Transform2D(re, im, nx, ny, inverse: false);
            var magnitude = new LumaPlane(nx, ny);
            var whitened = magnitude.Values;
            for (var i = 0; i < length; i++)
            {
                whitened[i] = MathF.Sqrt(re[i] * re[i] + im[i] * im[i]);
            }

            magnitude.BoxBlur(local, 3);
            for (var i = 0; i < length; i++)
            {
                whitened[i] /= local[i] + 1e-6f;
            }

            return new LatticeSpectrum(whitened, nx, ny);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(re);
            ArrayPool<float>.Shared.Return(im);
            ArrayPool<float>.Shared.Return(local);
        }
    }

    /// <summary>The whitened magnitude at bin (<paramref name="x"/>, <paramref name="y"/>), negative frequencies wrapped.</summary>
    public double Bin(int x, int y) => _whitened[(y & (Height - 1)) * Width + (x & (Width - 1))];

    /// <summary>
    /// A z-like score: how far the mean whitened magnitude at the lattice points the grid predicts for the band in
    /// <paramref name="points"/> (band points, in one orientation) exceeds its noise level of 1.
    /// </summary>
    public double Score((int U, int V)[] points, double angle, double scale, double aspect)
    {
        var cos = Math.Cos(angle);
        var sin = Math.Sin(angle);
        // Tile frequency f = (u, v)/P cycles per canonical pixel → image frequency M^T f per pixel (M the grid's canonical
        // coordinates per image pixel, see TileGrid), twice that per half-resolution sample.
        var k = 2.0 / (WatermarkLayout.TilePeriod * scale);
        var (kx, ky) = (k / aspect * Width, k * aspect * Height);
        var limitX = 0.45 * Width;
        var limitY = 0.45 * Height;
        var sum = 0.0;
        var count = 0;
        foreach (var (u, v) in points)
        {
            var bx = (cos * u - sin * v) * kx;
            var by = (sin * u + cos * v) * ky;
            if (Math.Abs(bx) > limitX || Math.Abs(by) > limitY)
            {
                continue;
            }

            sum += Sample(bx, by);
            count++;
        }

        return count < 16 ? 0 : (sum / count - 1) * Math.Sqrt(count);
    }

    /// <summary>
    /// <see cref="Score"/> at every scale of <paramref name="scales"/> for one angle and stretch, into <paramref name="scores"/>:
    /// four scales at a time in the lanes of a vector where the processor gathers (AVX2), each lane with Score's arithmetic in
    /// Score's order, so every value is Score's to the last bit. The coarse search scores about 6,700 grids per picture, most
    /// of the grid search's time.
    /// </summary>
    public void ScoreScales((int U, int V)[] points, double angle, double aspect, List<double> scales, double[] scores)
    {
        var s = 0;
        if (Avx2.IsSupported)
        {
            for (; s + 4 <= scales.Count; s += 4)
            {
                ScoreFourScales(points, angle, aspect, scales, s, scores);
            }
        }

        for (; s < scales.Count; s++)
        {
            scores[s] = Score(points, angle, scales[s], aspect);
        }
    }

    /// <summary><see cref="ScoreScales"/> of the four scales from <paramref name="first"/> on, one per lane.</summary>
    private unsafe void ScoreFourScales((int U, int V)[] points, double angle, double aspect, List<double> scales, int first, double[] scores)
    {
        var cos = Math.Cos(angle);
        var sin = Math.Sin(angle);
        Span<double> kx = stackalloc double[4];
        Span<double> ky = stackalloc double[4];
        for (var j = 0; j < 4; j++)
        {
            var k = 2.0 / (WatermarkLayout.TilePeriod * scales[first + j]);
            (kx[j], ky[j]) = (k / aspect * Width, k * aspect * Height);
        }

        var (kxs, kys) = (Vector256.Create<double>(kx), Vector256.Create<double>(ky));
        var (limitX, limitY) = (Vector256.Create(0.45 * Width), Vector256.Create(0.45 * Height));
        var (width, height) = (Vector256.Create((double)Width), Vector256.Create((double)Height));
        var (maskX, maskY, stride) = (Vector128.Create(Width - 1), Vector128.Create(Height - 1), Vector128.Create(Width));
        var one = Vector256.Create(1.0);
        var sum = Vector256<double>.Zero;
        var count = Vector256<double>.Zero;
        fixed (float* whitened = _whitened)
        {
            foreach (var (u, v) in points)
            {
                var bx = Vector256.Create(cos * u - sin * v) * kxs;
                var by = Vector256.Create(sin * u + cos * v) * kys;
                var inside = Vector256.LessThanOrEqual(Vector256.Abs(bx), limitX) & Vector256.LessThanOrEqual(Vector256.Abs(by), limitY);
                if (Vector256.ExtractMostSignificantBits(inside) == 0)
                {
                    continue;
                }

                // Sample's steps, lane by lane; lanes outside the limits sample bin (0, 0) and add nothing.
                bx = Vector256.ConditionalSelect(inside, bx, Vector256<double>.Zero);
                by = Vector256.ConditionalSelect(inside, by, Vector256<double>.Zero);
                bx = Vector256.ConditionalSelect(Vector256.LessThan(bx, Vector256<double>.Zero), bx + width, bx);
                by = Vector256.ConditionalSelect(Vector256.LessThan(by, Vector256<double>.Zero), by + height, by);
                var (x0, y0) = (Avx.ConvertToVector128Int32WithTruncation(bx), Avx.ConvertToVector128Int32WithTruncation(by));
                var fx = bx - Avx.ConvertToVector256Double(x0);
                var fy = by - Avx.ConvertToVector256Double(y0);
                var (x1, y1) = ((x0 + Vector128<int>.One) & maskX, (y0 + Vector128<int>.One) & maskY);
                (x0, y0) = (x0 & maskX, y0 & maskY);
                var (row0, row1) = (y0 * stride, y1 * stride);
                var top = Gather(whitened, row0 + x0) * (one - fx) + Gather(whitened, row0 + x1) * fx;
                var bottom = Gather(whitened, row1 + x0) * (one - fx) + Gather(whitened, row1 + x1) * fx;
                sum += Vector256.ConditionalSelect(inside, top * (one - fy) + bottom * fy, Vector256<double>.Zero);
                count += Vector256.ConditionalSelect(inside, one, Vector256<double>.Zero);
            }
        }

        for (var j = 0; j < 4; j++)
        {
            var n = (int)count[j];
            scores[first + j] = n < 16 ? 0 : (sum[j] / n - 1) * Math.Sqrt(n);
        }
    }

    /// <summary>The four bins at <paramref name="indices"/>, widened to double.</summary>
    private static unsafe Vector256<double> Gather(float* bins, Vector128<int> indices) =>
        Avx.ConvertToVector256Double(Avx2.GatherVector128(bins, indices, 4));

    private double Sample(double bx, double by)
    {
        if (bx < 0)
        {
            bx += Width;
        }

        if (by < 0)
        {
            by += Height;
        }

        // The sides are powers of two (see Analyse) and the coordinates not negative, so masks wrap them as % would,
        // without four integer divisions per sample (the search takes about 170,000 samples per image).
        var x0 = (int)bx;
        var y0 = (int)by;
        var fx = bx - x0;
        var fy = by - y0;
        var x1 = (x0 + 1) & (Width - 1);
        var y1 = (y0 + 1) & (Height - 1);
        x0 &= Width - 1;
        y0 &= Height - 1;
        var top = _whitened[y0 * Width + x0] * (1 - fx) + _whitened[y0 * Width + x1] * fx;
        var bottom = _whitened[y1 * Width + x0] * (1 - fx) + _whitened[y1 * Width + x1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static double[] Hann(int n)
    {
        var window = new double[n];
        for (var i = 0; i < n; i++)
        {
            window[i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * (i + 0.5) / n);
        }

        return window;
    }
}
