using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Which square regions of a picture a fold takes: <see cref="Side"/> pixels each, in rows of <see cref="Columns"/> from the
/// top left, <see cref="Keep"/> row-major (a region cut by the picture's right or bottom edge is smaller).
/// </summary>
internal sealed record RegionMask(int Side, int Columns, bool[] Keep)
{
    /// <summary>Whether the region holding pixel (<paramref name="x"/>, <paramref name="y"/>) is kept.</summary>
    public bool Keeps(int x, int y) => Keep[y / Side * Columns + x / Side];
}

/// <summary>
/// Finds the regions of a picture that carry the mark as a reading found it, so that the fold can leave out the rest: a
/// rotation's corners filled by reflection (they carry the mark mirrored: another lattice, or the same lattice turned, and
/// fold in as noise), or parts pasted from another picture. Each region is scored by how well its residual correlates
/// with the tile the reading expects (the sync pattern and the message chips as read, at the offset found).
/// </summary>
internal static class MarkedRegions
{
    private const int P = WatermarkLayout.TilePeriod;

    /// <summary>
    /// The share of the marked regions' typical score a region needs to be kept: 0.35 read three more photographs after a
    /// rotation cropped to the upright rectangle than 0.5, and the same elsewhere (docs/benchmarks/watermark-robustness.md).
    /// </summary>
    private const double KeepLevel = 0.35;

    /// <summary>
    /// The sync pattern as <paramref name="reading"/> found it, in the frame of the fold it was read from: at the reading's
    /// offset, turned back by the inverse of <paramref name="element"/> (the reading was taken on the fold turned or mirrored
    /// by it, see <see cref="TileDihedral"/>). It owes nothing to the reading's bits, so it tells the mark as found from a
    /// mirrored copy even when the two weigh the same in the fold (and the bits read are theirs half and half).
    /// </summary>
    public static double[] SyncTile(WatermarkLayout layout, TileReading reading, int element) => Tile(layout, reading, element, withMessage: false);

    /// <summary>
    /// <see cref="SyncTile"/> plus the message chips as <paramref name="reading"/> read them (their signs): four and a half
    /// times the carriers, for a reading whose bits are mostly the mark's own.
    /// </summary>
    public static double[] ExpectedTile(WatermarkLayout layout, TileReading reading, int element) => Tile(layout, reading, element, withMessage: true);

    private static double[] Tile(WatermarkLayout layout, TileReading reading, int element, bool withMessage)
    {
        var coefficients = new Complex[WatermarkLayout.Band.Length];
        for (var s = 0; s < layout.SyncCoefficients.Length; s++)
        {
            coefficients[layout.SyncCoefficients[s]] = layout.SyncReference(s);
        }

        for (var m = 0; m < layout.MessageCoefficients.Length && withMessage; m++)
        {
            var coefficient = layout.MessageCoefficients[m];
            var chips = new Complex(Math.Sign(reading.SoftBits[layout.ChipBits[2 * m]]), Math.Sign(reading.SoftBits[layout.ChipBits[2 * m + 1]]));
            coefficients[coefficient] = chips * layout.Phases[coefficient];
        }

        // The reading found the tile shifted by the offset d: A'(k) = A(k)·e^(−2πi k·d/P).
        for (var k = 0; k < coefficients.Length; k++)
        {
            var (u, v) = WatermarkLayout.Band[k];
            coefficients[k] *= Complex.FromPolarCoordinates(1, -2 * Math.PI * (u * reading.OffsetX + v * reading.OffsetY) / P);
        }

        var turned = Array.ConvertAll(WatermarkLayout.Synthesize(coefficients), value => (double)value);
        return element == 0 ? turned : TileDihedral.Transform(turned, TileDihedral.Inverse(element));
    }

    /// <summary>
    /// Scores each region (one tile at the grid's scale, square) of <paramref name="residual"/> by the normalised correlation
    /// of its pixels with <paramref name="expected"/> laid out under <paramref name="grid"/> (as
    /// <see cref="TileReader.Fold(LumaPlane, TileGrid)"/> folds), and keeps the regions that carry the mark.
    /// </summary>
    public static RegionMask Find(LumaPlane residual, TileGrid grid, double[] expected)
    {
        var side = Math.Max(16, (int)Math.Round(P * grid.Scale));
        var columns = (residual.Width + side - 1) / side;
        var rows = (residual.Height + side - 1) / side;
        var scores = Correlations(residual, grid, expected, side, columns, rows);
        return new RegionMask(side, columns, Select(scores));
    }

    /// <summary>Per region, Σ r·t / √(Σ r² · Σ t²) over its pixels (r the residual, t the expected tile at the pixel's tile point).</summary>
    private static double[] Correlations(LumaPlane residual, TileGrid grid, double[] expected, int side, int columns, int rows)
    {
        var (uu, uv, vu, vv) = grid.ToCanonical();
        var (cx, cy) = (residual.Width / 2.0, residual.Height / 2.0);
        var products = new double[columns * rows];
        var residualEnergy = new double[products.Length];
        var expectedEnergy = new double[products.Length];
        var values = residual.Values;
        for (var y = 0; y < residual.Height; y++)
        {
            var dy = y - cy;
            // As in the fold: canonical coordinates offset by whole tiles to stay positive, plus a half to round.
            var u = uu * -cx + uv * dy + 4096 * P + 0.5;
            var v = vu * -cx + vv * dy + 4096 * P + 0.5;
            var rowStart = y * residual.Width;
            var regionRow = y / side * columns;
            for (var x = 0; x < residual.Width; x++, u += uu, v += vu)
            {
                var t = expected[((int)v & (P - 1)) * P + ((int)u & (P - 1))];
                var r = (double)values[rowStart + x];
                var region = regionRow + x / side;
                products[region] += r * t;
                residualEnergy[region] += r * r;
                expectedEnergy[region] += t * t;
            }
        }

        var scores = new double[products.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = products[i] / (Math.Sqrt(residualEnergy[i] * expectedEnergy[i]) + 1e-12);
        }

        return scores;
    }

    /// <summary>
    /// The regions to keep: those whose score reaches <see cref="KeepLevel"/> of the mean of the upper half of the scores (the
    /// marked regions' typical score while at least half the picture carries the mark as found; a fill or a mirrored part
    /// scores near 0).
    /// </summary>
    private static bool[] Select(double[] scores)
    {
        var sorted = scores.Order().ToArray();
        var upper = sorted[(sorted.Length / 2)..];
        var level = upper.Average();
        return [.. scores.Select(s => s >= KeepLevel * level)];
    }
}
