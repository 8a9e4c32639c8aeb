using System.Buffers;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>A hypothesis for how the tile grid sits in an image: rotated by <see cref="Angle"/> (radians) and scaled by <see cref="Scale"/>.</summary>
internal readonly record struct TileGrid(double Angle, double Scale, double Score);

/// <summary>
/// Finds the rotation and scale of the tile grid without the key. A periodic tile puts all its energy
/// on a lattice in the Fourier magnitude of the image, and the magnitude ignores translation, so crops
/// do not matter here; the grid is the (angle, scale) whose predicted lattice points are brightest in the
/// whitened spectrum of the (pre-filtered, half-resolution) image.
/// </summary>
internal sealed class TileGridSearch
{
    private const int MaxAnalysisSide = 256;
    private const int MinTransformSide = 128;

    private readonly float[] _whitened;
    private readonly int _width;
    private readonly int _height;

    private TileGridSearch(float[] whitened, int width, int height)
    {
        _whitened = whitened;
        _width = width;
        _height = height;
    }

    /// <summary>Transforms the centre of <paramref name="residual"/> at half resolution and whitens its magnitude.</summary>
    public static TileGridSearch Analyse(LumaPlane residual)
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

            return new TileGridSearch(whitened, nx, ny);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(re);
            ArrayPool<float>.Shared.Return(im);
            ArrayPool<float>.Shared.Return(local);
        }
    }

    /// <summary>The best few distinct grids over the searched rotations and scales, best first.</summary>
    public List<TileGrid> Find(double maxAngleDegrees, double minScale, double maxScale, int count)
    {
        const double coarseAngleStep = 1.0;
        const double coarseScaleStep = 1.025;
        var angles = new List<double>();
        for (var a = -maxAngleDegrees; a <= maxAngleDegrees + 1e-9; a += coarseAngleStep)
        {
            angles.Add(a);
        }

        if (angles.Count == 0)
        {
            angles.Add(0);
        }

        var scales = new List<double>();
        for (var s = minScale; s <= maxScale * 1.0001; s *= coarseScaleStep)
        {
            scales.Add(s);
        }

        var scores = new double[angles.Count, scales.Count];
        for (var a = 0; a < angles.Count; a++)
        {
            for (var s = 0; s < scales.Count; s++)
            {
                scores[a, s] = Score(angles[a] * Math.PI / 180, scales[s]);
            }
        }

        // Local maxima of the coarse grid, best first, each refined.
        var peaks = new List<(double Score, int A, int S)>();
        for (var a = 0; a < angles.Count; a++)
        {
            for (var s = 0; s < scales.Count; s++)
            {
                var value = scores[a, s];
                var isPeak = true;
                for (var da = -1; da <= 1 && isPeak; da++)
                {
                    for (var ds = -1; ds <= 1; ds++)
                    {
                        var (na, ns) = (a + da, s + ds);
                        if ((da, ds) != (0, 0) && na >= 0 && na < angles.Count && ns >= 0 && ns < scales.Count && scores[na, ns] > value)
                        {
                            isPeak = false;
                            break;
                        }
                    }
                }

                if (isPeak)
                {
                    peaks.Add((value, a, s));
                }
            }
        }

        return [.. peaks.OrderByDescending(p => p.Score)
            .Take(count)
            .Select(p => Refine(angles[p.A], scales[p.S]))
            .OrderByDescending(g => g.Score)];
    }

    private TileGrid Refine(double angleDegrees, double scale)
    {
        var best = (Angle: angleDegrees, Scale: scale, Score: Score(angleDegrees * Math.PI / 180, scale));
        foreach (var (angleStep, scaleStep, steps) in new[] { (0.25, 0.005, 3), (0.08, 0.0015, 3), (0.025, 0.0005, 3) })
        {
            var center = best;
            for (var i = -steps; i <= steps; i++)
            {
                for (var j = -steps; j <= steps; j++)
                {
                    var a = center.Angle + i * angleStep;
                    var s = center.Scale * (1 + j * scaleStep);
                    var value = Score(a * Math.PI / 180, s);
                    if (value > best.Score)
                    {
                        best = (a, s, value);
                    }
                }
            }
        }

        return new TileGrid(best.Angle * Math.PI / 180, best.Scale, best.Score);
    }

    /// <summary>A z-like score: how far the mean whitened magnitude at the predicted lattice points exceeds its noise level of 1.</summary>
    private double Score(double angle, double scale)
    {
        var cos = Math.Cos(angle);
        var sin = Math.Sin(angle);
        // Tile frequency (u, v)/P cycles per canonical pixel → image frequency R(θ)(u, v)/(P·s) per pixel,
        // twice that per half-resolution sample.
        var k = 2.0 / (WatermarkLayout.TilePeriod * scale);
        var limitX = 0.45 * _width;
        var limitY = 0.45 * _height;
        var sum = 0.0;
        var count = 0;
        foreach (var (u, v) in WatermarkLayout.Band)
        {
            var bx = (cos * u - sin * v) * k * _width;
            var by = (sin * u + cos * v) * k * _height;
            if (Math.Abs(bx) > limitX || Math.Abs(by) > limitY)
            {
                continue;
            }

            sum += Sample(bx, by);
            count++;
        }

        return count < 16 ? 0 : (sum / count - 1) * Math.Sqrt(count);
    }

    private double Sample(double bx, double by)
    {
        if (bx < 0)
        {
            bx += _width;
        }

        if (by < 0)
        {
            by += _height;
        }

        // The sides are powers of two (see Analyse) and the coordinates not negative, so masks wrap them as % would,
        // without four integer divisions per sample (the search takes about 170,000 samples per image).
        var x0 = (int)bx;
        var y0 = (int)by;
        var fx = bx - x0;
        var fy = by - y0;
        var x1 = (x0 + 1) & (_width - 1);
        var y1 = (y0 + 1) & (_height - 1);
        x0 &= _width - 1;
        y0 &= _height - 1;
        var top = _whitened[y0 * _width + x0] * (1 - fx) + _whitened[y0 * _width + x1] * fx;
        var bottom = _whitened[y1 * _width + x0] * (1 - fx) + _whitened[y1 * _width + x1] * fx;
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
