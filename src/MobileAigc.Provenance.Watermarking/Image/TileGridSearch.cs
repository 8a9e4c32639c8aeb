using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// A hypothesis for how the tile grid sits in an image: rotated by <see cref="Angle"/> (radians), scaled by
/// <see cref="Scale"/>, then stretched along the image's axes by <see cref="Aspect"/> (x by Aspect, y by 1/Aspect: a
/// side resized to r times the other is the aspect √r at the scale √r). A canonical tile point c lands at
/// Scale · diag(Aspect, 1/Aspect) · R(Angle) · c from the image centre.
/// </summary>
internal readonly record struct TileGrid(double Angle, double Scale, double Score, double Aspect = 1)
{
    /// <summary>The inverse map, canonical tile coordinates per image pixel: c = (Uu·dx + Uv·dy, Vu·dx + Vv·dy).</summary>
    public (double Uu, double Uv, double Vu, double Vv) ToCanonical()
    {
        var (cos, sin) = (Math.Cos(Angle) / Scale, Math.Sin(Angle) / Scale);
        return (cos / Aspect, sin * Aspect, -sin / Aspect, cos * Aspect);
    }
}

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
    private const double CoarseScaleStep = 1.025;

    private readonly float[] _whitened;
    private readonly int _width;
    private readonly int _height;

    private TileGridSearch(float[] whitened, int width, int height)
    {
        _whitened = whitened;
        _width = width;
        _height = height;
    }

    /// <summary>
    /// The band's points (both halves of the spectrum, since the magnitude is symmetric) in each of their distinct
    /// orientations under the eight symmetries of the square: one for a band that has them all, as the annulus does.
    /// Taken from the layout, so a band without that symmetry is still searched in every orientation.
    /// </summary>
    private static IReadOnlyList<(int U, int V)[]> Orientations { get; } = DistinctOrientations();

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

    /// <summary>
    /// The grids of the best <paramref name="count"/> distinct lattices, best first, over rotations within
    /// ±<paramref name="maxAngleDegrees"/> (at most 45: the band's point set is searched in each of its distinct
    /// orientations under quarter turns and mirrors, so 45 covers every angle), scales from <paramref name="minScale"/> to <paramref name="maxScale"/>, and stretches along the picture's axes
    /// up to <paramref name="maxAspectRatio"/> (one side over the other; 1 searches none). Each lattice comes as two grids:
    /// fitted to its own peaks (<see cref="Polish"/>), then as refined on the score alone when the fit moved it.
    /// </summary>
    /// <remarks>
    /// The fit is the better grid after a rotation, where the score leans towards whole frequency bins; after a crop,
    /// resize to 400 pixels and JPEG q70 (the benchmark's chain attack) the compressed spectrum's peaks pull it off by a
    /// quarter of a degree or a few thousandths of scale, enough for Reed-Solomon to fail where the refined grid decodes.
    /// Neither measure (the score, the sync of the fold) tells beforehand which of the two decodes, so both are read.
    /// </remarks>
    public List<TileGrid> Find(double maxAngleDegrees, double minScale, double maxScale, double maxAspectRatio, int count)
    {
        const double coarseAngleStep = 1.0;
        var angleReach = Math.Min(maxAngleDegrees, 45);
        // −45° and 45° are the same lattice: the range is half open once it reaches round.
        var angles = Steps(-angleReach, angleReach - (angleReach >= 45 ? coarseAngleStep / 2 : 0), a => a + coarseAngleStep);
        var scales = Steps(minScale, maxScale, s => s * CoarseScaleStep);
        // A stretch of a side by r is the aspect √r (see TileGrid); aspect 1 is the rotation search's.
        var aspectReach = Math.Sqrt(maxAspectRatio);
        var aspects = Steps(1 / aspectReach, aspectReach, a => a * CoarseScaleStep);

        var peaks = new List<(double Score, TileGrid Grid, int Orientation)>();
        for (var o = 0; o < Orientations.Count; o++)
        {
            var orientation = o;
            peaks.AddRange(LocalMaxima(angles, scales, (a, row) => ScoreScales(orientation, a * Math.PI / 180, 1, scales, row))
                .Select(p => (p.Score, new TileGrid(p.First * Math.PI / 180, p.Second, p.Score), orientation)));
            if (aspects.Count > 1)
            {
                peaks.AddRange(LocalMaxima(aspects, scales, (a, row) => ScoreScales(orientation, 0, a, scales, row))
                    .Select(p => (p.Score, new TileGrid(0, p.Second, p.Score, p.First), orientation)));
            }
        }

        // Refined peaks may meet (two coarse peaks of one lattice, or one on each side of ±45°): each lattice counts once.
        var lattices = new List<(TileGrid Polished, TileGrid Refined)>();
        foreach (var peak in peaks.OrderByDescending(p => p.Score).Take(2 * count))
        {
            var refined = Refine(peak.Orientation, peak.Grid);
            var polished = Polish(peak.Orientation, refined);
            if (!lattices.Exists(l => SameLattice(l.Polished, polished)))
            {
                lattices.Add((polished, refined));
            }
        }

        return [.. lattices.OrderByDescending(l => l.Polished.Score).Take(count)
            .SelectMany(l => l.Polished == l.Refined ? [l.Polished] : new[] { l.Polished, l.Refined })];
    }

    /// <summary>Whether two grids describe the same lattice: angles equal modulo a quarter turn, scales and stretches equal, each within the search's resolution.</summary>
    private static bool SameLattice(TileGrid a, TileGrid b)
    {
        var quarter = Math.PI / 2;
        var turn = Math.Abs(Math.IEEERemainder(a.Angle - b.Angle, quarter));
        return turn < 0.01 && Math.Abs(a.Scale / b.Scale - 1) < 0.01 && Math.Abs(a.Aspect / b.Aspect - 1) < 0.01;
    }

    /// <summary>The values from <paramref name="first"/> to <paramref name="last"/> (a little beyond for rounding), each the <paramref name="next"/> of the one before; at least one.</summary>
    private static List<double> Steps(double first, double last, Func<double, double> next)
    {
        var values = new List<double>();
        for (var value = first; value <= last + 1e-9 * Math.Max(1, Math.Abs(last)); value = next(value))
        {
            values.Add(value);
        }

        return values.Count == 0 ? [first] : values;
    }

    /// <summary>
    /// The local maxima (over the 8 neighbours) of the scores on the grid <paramref name="firsts"/> × <paramref name="seconds"/>;
    /// <paramref name="scoreRow"/> writes the scores of one first value at every second value.
    /// </summary>
    private static List<(double Score, double First, double Second)> LocalMaxima(List<double> firsts, List<double> seconds, Action<double, double[]> scoreRow)
    {
        var scores = new double[firsts.Count, seconds.Count];
        var row = new double[seconds.Count];
        for (var a = 0; a < firsts.Count; a++)
        {
            scoreRow(firsts[a], row);
            for (var s = 0; s < seconds.Count; s++)
            {
                scores[a, s] = row[s];
            }
        }

        var peaks = new List<(double Score, double First, double Second)>();
        for (var a = 0; a < firsts.Count; a++)
        {
            for (var s = 0; s < seconds.Count; s++)
            {
                var value = scores[a, s];
                var isPeak = true;
                for (var da = -1; da <= 1 && isPeak; da++)
                {
                    for (var ds = -1; ds <= 1; ds++)
                    {
                        var (na, ns) = (a + da, s + ds);
                        if ((da, ds) != (0, 0) && na >= 0 && na < firsts.Count && ns >= 0 && ns < seconds.Count && scores[na, ns] > value)
                        {
                            isPeak = false;
                            break;
                        }
                    }
                }

                if (isPeak)
                {
                    peaks.Add((value, firsts[a], seconds[s]));
                }
            }
        }

        return peaks;
    }

    /// <summary>Hill-climbs from a coarse peak in three finer passes: rotation and scale together, then the stretch.</summary>
    private TileGrid Refine(int orientation, TileGrid start)
    {
        var (angle, scale, aspect) = (start.Angle * 180 / Math.PI, start.Scale, start.Aspect);
        var best = Score(orientation, start.Angle, scale, aspect);
        foreach (var (angleStep, scaleStep, steps) in new[] { (0.25, 0.005, 3), (0.08, 0.0015, 3), (0.025, 0.0005, 3) })
        {
            var (centreAngle, centreScale) = (angle, scale);
            for (var i = -steps; i <= steps; i++)
            {
                for (var j = -steps; j <= steps; j++)
                {
                    var a = centreAngle + i * angleStep;
                    var s = centreScale * (1 + j * scaleStep);
                    var value = Score(orientation, a * Math.PI / 180, s, aspect);
                    if (value > best)
                    {
                        (angle, scale, best) = (a, s, value);
                    }
                }
            }

            var centreAspect = aspect;
            for (var k = -steps; k <= steps; k++)
            {
                var r = centreAspect * (1 + k * scaleStep);
                var value = Score(orientation, angle * Math.PI / 180, scale, r);
                if (value > best)
                {
                    (aspect, best) = (r, value);
                }
            }
        }

        return new TileGrid(angle * Math.PI / 180, scale, best, aspect);
    }

    /// <summary>
    /// Fits <paramref name="grid"/> to the lattice's own peaks: the score is broad and leans towards lattices whose points
    /// fall on whole frequency bins (off by a quarter of a degree at some angles, enough to blur the fold), while each
    /// bright peak near a predicted point gives its position to a fraction of a bin. The map from band points to peak
    /// positions is fitted by weighted least squares, twice, and read back as rotation, scale and stretch.
    /// </summary>
    private TileGrid Polish(int orientation, TileGrid grid)
    {
        const double peakLevel = 2.2;
        const int minPeaks = 8;
        var (c0, c1) = (2.0 / WatermarkLayout.TilePeriod * _width, 2.0 / WatermarkLayout.TilePeriod * _height);
        for (var pass = 0; pass < 2; pass++)
        {
            var (cos, sin) = (Math.Cos(grid.Angle), Math.Sin(grid.Angle));
            var (kx, ky) = (c0 / (grid.Scale * grid.Aspect), c1 * grid.Aspect / grid.Scale);
            double suu = 0, suv = 0, svv = 0, sxu = 0, sxv = 0, syu = 0, syv = 0;
            var peaks = 0;
            foreach (var (u, v) in Orientations[orientation])
            {
                var (bx, by) = ((cos * u - sin * v) * kx, (sin * u + cos * v) * ky);
                if (Math.Abs(bx) > 0.45 * _width || Math.Abs(by) > 0.45 * _height)
                {
                    continue;
                }

                var (px, py) = BrightestNear((int)Math.Round(bx), (int)Math.Round(by));
                var peak = Bin(px, py);
                if (peak < peakLevel)
                {
                    continue;
                }

                var fx = px + TileReader.Parabolic(Bin(px - 1, py), peak, Bin(px + 1, py));
                var fy = py + TileReader.Parabolic(Bin(px, py - 1), peak, Bin(px, py + 1));
                var w = peak - 1;
                (suu, suv, svv) = (suu + w * u * u, suv + w * u * v, svv + w * v * v);
                (sxu, sxv, syu, syv) = (sxu + w * fx * u, sxv + w * fx * v, syu + w * fy * u, syv + w * fy * v);
                peaks++;
            }

            var det = suu * svv - suv * suv;
            if (peaks < minPeaks || det <= 0)
            {
                return grid;
            }

            // Rows of the fitted map: (cos, −sin)/(scale·aspect) and (sin, cos)·aspect/scale, in units of c0 and c1.
            var (r0x, r0y) = ((sxu * svv - sxv * suv) / det / c0, (sxv * suu - sxu * suv) / det / c0);
            var (r1x, r1y) = ((syu * svv - syv * suv) / det / c1, (syv * suu - syu * suv) / det / c1);
            var (n0, n1) = (Math.Sqrt(r0x * r0x + r0y * r0y), Math.Sqrt(r1x * r1x + r1y * r1y));
            var angle = Math.Atan2(-r0y / n0 + r1x / n1, r0x / n0 + r1y / n1);
            grid = grid with { Angle = angle, Scale = 1 / Math.Sqrt(n0 * n1), Aspect = Math.Sqrt(n1 / n0) };
        }

        return grid with { Score = Score(orientation, grid.Angle, grid.Scale, grid.Aspect) };
    }

    /// <summary>The brightest bin within one bin of (<paramref name="x"/>, <paramref name="y"/>), either way.</summary>
    private (int X, int Y) BrightestNear(int x, int y)
    {
        var best = (X: x, Y: y);
        for (var dy = -1; dy <= 1; dy++)
        {
            for (var dx = -1; dx <= 1; dx++)
            {
                if (Bin(x + dx, y + dy) > Bin(best.X, best.Y))
                {
                    best = (x + dx, y + dy);
                }
            }
        }

        return best;
    }

    /// <summary>The whitened magnitude at bin (<paramref name="x"/>, <paramref name="y"/>), negative frequencies wrapped.</summary>
    private double Bin(int x, int y) => _whitened[(y & (_height - 1)) * _width + (x & (_width - 1))];

    /// <summary>
    /// A z-like score: how far the mean whitened magnitude at the lattice points the grid predicts for the band in
    /// <paramref name="orientation"/> exceeds its noise level of 1.
    /// </summary>
    internal double Score(int orientation, double angle, double scale, double aspect)
    {
        var cos = Math.Cos(angle);
        var sin = Math.Sin(angle);
        // Tile frequency f = (u, v)/P cycles per canonical pixel → image frequency M^T f per pixel (M the grid's canonical
        // coordinates per image pixel, see TileGrid), twice that per half-resolution sample.
        var k = 2.0 / (WatermarkLayout.TilePeriod * scale);
        var (kx, ky) = (k / aspect * _width, k * aspect * _height);
        var limitX = 0.45 * _width;
        var limitY = 0.45 * _height;
        var sum = 0.0;
        var count = 0;
        foreach (var (u, v) in Orientations[orientation])
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
    internal void ScoreScales(int orientation, double angle, double aspect, List<double> scales, double[] scores)
    {
        var s = 0;
        if (Avx2.IsSupported)
        {
            for (; s + 4 <= scales.Count; s += 4)
            {
                ScoreFourScales(orientation, angle, aspect, scales, s, scores);
            }
        }

        for (; s < scales.Count; s++)
        {
            scores[s] = Score(orientation, angle, scales[s], aspect);
        }
    }

    /// <summary><see cref="ScoreScales"/> of the four scales from <paramref name="first"/> on, one per lane.</summary>
    private unsafe void ScoreFourScales(int orientation, double angle, double aspect, List<double> scales, int first, double[] scores)
    {
        var cos = Math.Cos(angle);
        var sin = Math.Sin(angle);
        Span<double> kx = stackalloc double[4];
        Span<double> ky = stackalloc double[4];
        for (var j = 0; j < 4; j++)
        {
            var k = 2.0 / (WatermarkLayout.TilePeriod * scales[first + j]);
            (kx[j], ky[j]) = (k / aspect * _width, k * aspect * _height);
        }

        var (kxs, kys) = (Vector256.Create<double>(kx), Vector256.Create<double>(ky));
        var (limitX, limitY) = (Vector256.Create(0.45 * _width), Vector256.Create(0.45 * _height));
        var (width, height) = (Vector256.Create((double)_width), Vector256.Create((double)_height));
        var (maskX, maskY, stride) = (Vector128.Create(_width - 1), Vector128.Create(_height - 1), Vector128.Create(_width));
        var one = Vector256.Create(1.0);
        var sum = Vector256<double>.Zero;
        var count = Vector256<double>.Zero;
        fixed (float* whitened = _whitened)
        {
            foreach (var (u, v) in Orientations[orientation])
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

    private static List<(int U, int V)[]> DistinctOrientations()
    {
        var orientations = new List<(int U, int V)[]>();
        var sets = new List<HashSet<(int U, int V)>>();
        for (var element = 0; element < TileDihedral.Elements.Count; element++)
        {
            var points = WatermarkLayout.Band.Select(p => TileDihedral.Apply(element, p.U, p.V)).ToArray();
            var set = points.Concat(points.Select(p => (-p.U, -p.V))).ToHashSet();
            if (!sets.Exists(s => s.SetEquals(set)))
            {
                sets.Add(set);
                orientations.Add(points);
            }
        }

        return orientations;
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
