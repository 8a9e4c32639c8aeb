using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="TileReader.Fold(LumaPlane, TileGrid, int, int, int, int)"/> against the fold by definition: every pixel of
/// the rectangle taken to its place on the tile, one at a time, in double precision.
/// </summary>
/// <remarks>
/// Under the plain grid with the rectangle's centre on a whole pixel, the fold adds whole tile rows as widened
/// <c>Vector&lt;float&gt;</c>s between a scalar head (up to the first tile column 0) and a scalar tail: widths are
/// chosen so the head, the vectors and the tail each come and go. Any other grid gathers pixels into quarter-pixel bins
/// first (scalar), which the definition splats straight onto the tile.
/// </remarks>
public sealed class TileFoldTests
{
    private const int P = WatermarkLayout.TilePeriod;

    public static TheoryData<int, int, int, int, string> UnscaledCases()
    {
        var cases = new TheoryData<int, int, int, int, string>();
        // (width, height) even, so the centre is a whole pixel; (x0, y0) places the rectangle inside a larger plane.
        foreach (var (width, height, x0, y0) in new[] { (2, 2, 0, 0), (10, 4, 3, 1), (64, 64, 0, 0), (70, 46, 5, 9), (128, 66, 0, 0), (130, 66, 1, 2), (200, 134, 7, 3) })
        {
            foreach (var signal in new[] { "random", "impulse", "constant" })
            {
                cases.Add(width, height, x0, y0, signal);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(UnscaledCases))]
    public void Fold_PlainGrid_EqualsThePixelByPixelAverageExactly(int width, int height, int x0, int y0, string signal)
    {
        var residual = Residual(signal, x0 + width + 3, y0 + height + 2);

        var folded = TileReader.Fold(residual, new TileGrid(0, 1, 0), x0, y0, x0 + width, y0 + height);

        // Each tile pixel receives its pixels in the same order as here (rows down, then along the row), each widened to
        // double before it is added, and its count is a whole number: nothing is rounded differently, so the results are
        // the same bit for bit.
        var (sum, count) = (new double[P * P], new int[P * P]);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var tile = Mod(y - height / 2) * P + Mod(x - width / 2);
                sum[tile] += residual.Values[(y0 + y) * residual.Width + x0 + x];
                count[tile]++;
            }
        }

        for (var i = 0; i < P * P; i++)
        {
            var expected = count[i] == 0 ? 0 : sum[i] / count[i];
            Assert.True(expected == folded[i], $"{width}x{height} at ({x0}, {y0}) {signal}: tile pixel {i} expected {expected:r}, got {folded[i]:r}");
        }
    }

    public static TheoryData<int, int, double, double, string> BinnedCases()
    {
        var cases = new TheoryData<int, int, double, double, string>();
        foreach (var (width, height) in new[] { (1, 1), (3, 5), (67, 41), (150, 90) })
        {
            // The plain grid with an odd size (the centre between pixels) takes the binned path too.
            foreach (var (angle, scale) in new[] { (0.0, 1.0), (0.3, 1.0), (-1.1, 1.37), (Math.PI / 2, 0.8) })
            {
                foreach (var signal in new[] { "random", "impulse", "constant" })
                {
                    cases.Add(width, height, angle, scale, signal);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(BinnedCases))]
    public void Fold_RotatedOrScaledGrid_MatchesBilinearSplattingAtQuarterPixels(int width, int height, double angle, double scale, string signal)
    {
        var (x0, y0) = (2, 1);
        var residual = Residual(signal, width + 5, height + 3);

        var folded = TileReader.Fold(residual, new TileGrid(angle, scale, 0), x0, y0, x0 + width, y0 + height);

        AssertSplatted(residual, folded, x0, y0, width, height, angle, scale, (_, _) => true, $"{width}x{height} θ={angle} s={scale} {signal}");
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 1.0)]
    [InlineData(-1.1, 1.37)]
    public void Fold_WithRegions_MatchesBilinearSplattingOfTheKeptPixelsOnly(double angle, double scale)
    {
        // 150 × 90 in regions of 32: 5 × 3 regions, the last column and row cut by the edge; a checkerboard of them kept.
        var residual = Residual("random", 150, 90);
        var regions = new RegionMask(32, 5, [.. Enumerable.Range(0, 15).Select(i => (i % 5 + i / 5) % 2 == 0)]);

        var folded = TileReader.Fold(residual, new TileGrid(angle, scale, 0), regions);

        AssertSplatted(residual, folded, 0, 0, 150, 90, angle, scale, regions.Keeps, $"θ={angle} s={scale}");
    }

    /// <summary>
    /// Asserts that <paramref name="folded"/> is the fold by definition of the pixels of the rectangle that
    /// <paramref name="keeps"/> (rectangle coordinates) takes: each pixel's canonical position R(−θ)(p − centre)/s, rounded to
    /// the nearest quarter of a tile pixel, splatted onto the four tile pixels around it with bilinear weights; each tile
    /// pixel the weighted mean of what lands on it.
    /// </summary>
    private static void AssertSplatted(
        LumaPlane residual, double[] folded, int x0, int y0, int width, int height, double angle, double scale, Func<int, int, bool> keeps, string label)
    {
        const int Bins = P * 4;
        var (cos, sin) = (Math.Cos(angle) / scale, Math.Sin(angle) / scale);
        var (cx, cy) = (width / 2.0, height / 2.0);
        var (sum, weight, binCounts) = (new double[P * P], new double[P * P], new int[Bins * Bins]);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (!keeps(x, y))
                {
                    continue;
                }

                var (dx, dy) = (x - cx, y - cy);
                var bu = (int)Math.Floor(((cos * dx) + (sin * dy) + (4096 * P)) * 4 + 0.5) & (Bins - 1);
                var bv = (int)Math.Floor(((-sin * dx) + (cos * dy) + (4096 * P)) * 4 + 0.5) & (Bins - 1);
                binCounts[bv * Bins + bu]++;
                var value = (double)residual.Values[(y0 + y) * residual.Width + x0 + x];
                var (f, g) = (bu % 4 / 4.0, bv % 4 / 4.0);
                foreach (var (tu, tv, w) in new[] { (bu / 4, bv / 4, (1 - f) * (1 - g)), (bu / 4 + 1, bv / 4, f * (1 - g)), (bu / 4, bv / 4 + 1, (1 - f) * g), (bu / 4 + 1, bv / 4 + 1, f * g) })
                {
                    sum[Mod(tv) * P + Mod(tu)] += w * value;
                    weight[Mod(tv) * P + Mod(tu)] += w;
                }
            }
        }

        // The kernel adds each bin's pixels in single precision: a bin of n pixels, each at most M, errs by at most
        // n·ε·n·M, and a tile pixel's weighted mean of bins by at most max n·ε·M. The splatting and the division are in
        // double (64 ulps of M cover them).
        var maximum = residual.Values.Max(Math.Abs);
        var tolerance = (binCounts.Max() * NaiveReference.SingleEpsilon + 64 * NaiveReference.DoubleEpsilon) * maximum;
        for (var i = 0; i < P * P; i++)
        {
            var expected = weight[i] > 1e-9 ? sum[i] / weight[i] : 0;
            Assert.True(Math.Abs(expected - folded[i]) <= tolerance, $"{label}: tile pixel {i} expected {expected:r}, got {folded[i]:r}; tolerance {tolerance:g3}");
        }
    }

    private static int Mod(int value) => ((value % P) + P) % P;

    private static LumaPlane Residual(string signal, int width, int height)
    {
        var values = new float[width * height];
        switch (signal)
        {
            case "random":
                // A residual: signed, around zero.
                var random = new Random(width * 1000 + height);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)((random.NextDouble() - 0.5) * 40);
                }

                break;
            case "impulse":
                values[(height / 2 * width) + (width / 2)] = 25f;
                break;
            case "constant":
                Array.Fill(values, -3.7f);
                break;
        }

        return new LumaPlane(width, height, values);
    }
}
