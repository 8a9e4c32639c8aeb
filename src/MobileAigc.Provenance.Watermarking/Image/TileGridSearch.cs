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
    private const double CoarseScaleStep = 1.025;

    private readonly LatticeSpectrum _spectrum;

    private TileGridSearch(LatticeSpectrum spectrum) => _spectrum = spectrum;

    /// <summary>
    /// The band's points (both halves of the spectrum, since the magnitude is symmetric) in each of their distinct
    /// orientations under the eight symmetries of the square: one for a band that has them all, as the annulus does.
    /// Taken from the layout, so a band without that symmetry is still searched in every orientation.
    /// </summary>
    internal static IReadOnlyList<(int U, int V)[]> Orientations { get; } = DistinctOrientations();

    /// <summary>Transforms the centre of <paramref name="residual"/> at half resolution and whitens its magnitude (<see cref="LatticeSpectrum"/>), ready for <see cref="Find"/>.</summary>
    public static TileGridSearch Analyse(LumaPlane residual) => new(LatticeSpectrum.Analyse(residual));

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
            peaks.AddRange(LocalMaxima(angles, scales, (a, row) => _spectrum.ScoreScales(Orientations[orientation], a * Math.PI / 180, 1, scales, row))
                .Select(p => (p.Score, new TileGrid(p.First * Math.PI / 180, p.Second, p.Score), orientation)));
            if (aspects.Count > 1)
            {
                peaks.AddRange(LocalMaxima(aspects, scales, (a, row) => _spectrum.ScoreScales(Orientations[orientation], 0, a, scales, row))
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
        var (c0, c1) = (2.0 / WatermarkLayout.TilePeriod * _spectrum.Width, 2.0 / WatermarkLayout.TilePeriod * _spectrum.Height);
        for (var pass = 0; pass < 2; pass++)
        {
            var (cos, sin) = (Math.Cos(grid.Angle), Math.Sin(grid.Angle));
            var (kx, ky) = (c0 / (grid.Scale * grid.Aspect), c1 * grid.Aspect / grid.Scale);
            double suu = 0, suv = 0, svv = 0, sxu = 0, sxv = 0, syu = 0, syv = 0;
            var peaks = 0;
            foreach (var (u, v) in Orientations[orientation])
            {
                var (bx, by) = ((cos * u - sin * v) * kx, (sin * u + cos * v) * ky);
                if (Math.Abs(bx) > 0.45 * _spectrum.Width || Math.Abs(by) > 0.45 * _spectrum.Height)
                {
                    continue;
                }

                var (px, py) = BrightestNear((int)Math.Round(bx), (int)Math.Round(by));
                var peak = _spectrum.Bin(px, py);
                if (peak < peakLevel)
                {
                    continue;
                }

                var fx = px + TileReader.Parabolic(_spectrum.Bin(px - 1, py), peak, _spectrum.Bin(px + 1, py));
                var fy = py + TileReader.Parabolic(_spectrum.Bin(px, py - 1), peak, _spectrum.Bin(px, py + 1));
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
                if (_spectrum.Bin(x + dx, y + dy) > _spectrum.Bin(best.X, best.Y))
                {
                    best = (x + dx, y + dy);
                }
            }
        }

        return best;
    }

    /// <summary><see cref="LatticeSpectrum.Score"/> of the band in <paramref name="orientation"/> (an index of <see cref="Orientations"/>).</summary>
    private double Score(int orientation, double angle, double scale, double aspect) => _spectrum.Score(Orientations[orientation], angle, scale, aspect);

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
}
