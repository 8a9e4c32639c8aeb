using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// A soft reading of the codeword at one tile offset: per bit, the sum of its chips' log-likelihood ratios (positive = bit as
/// scrambled 0); the offset (<paramref name="OffsetX"/>, <paramref name="OffsetY"/>, tile pixels) at which the sync pattern was found.
/// </summary>
internal readonly record struct TileReading(double[] SoftBits, double SyncScore, double OffsetX, double OffsetY);

/// <summary>
/// Reads the tile once its grid is known: folds the whole residual onto one tile (averaging every
/// repetition), finds the tile's offset by correlating with the key's sync coefficients (so crops and
/// shifts cost nothing), and reads each codeword bit as the sum of its chips' log-likelihood ratios, each chip weighed by
/// how much of the mark the sync carriers show at its radius (<see cref="CarrierChannel"/>).
/// </summary>
internal static class TileReader
{
    private const int P = WatermarkLayout.TilePeriod;

    /// <summary>Bins per tile pixel along each axis in which <see cref="Fold(LumaPlane, TileGrid, int, int, int, int)"/> gathers pixels first.</summary>
    private const int Subdivisions = 4;

    /// <summary>Folds <paramref name="residual"/> onto one canonical tile under <paramref name="grid"/>, with bilinear splatting.</summary>
    public static double[] Fold(LumaPlane residual, TileGrid grid) => Fold(residual, grid, 0, 0, residual.Width, residual.Height);

    /// <summary>
    /// <see cref="Fold(LumaPlane, TileGrid)"/> of the rectangle [x0, x1) × [y0, y1) of <paramref name="residual"/> as a
    /// picture of its own (the grid centred on the rectangle's centre), without copying it out.
    /// </summary>
    /// <remarks>
    /// Each pixel lands at a point of the tile, rounded to a quarter of a tile pixel: it is added to that point's bin
    /// (<see cref="Subdivisions"/>² bins per tile pixel), and the bins are then splatted bilinearly onto the tile's pixels
    /// with their counts as weights. That is bilinear splatting with the position rounded by at most an eighth of a pixel
    /// (a phase error of at most 2π · 9.5 / 512 at the highest carrier), at one addition per pixel instead of eight.
    /// </remarks>
    public static double[] Fold(LumaPlane residual, TileGrid grid, int x0, int y0, int x1, int y1)
    {
        var (uu, uv, vu, vv) = grid.ToCanonical();
        var (cx, cy) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
        return uu == 1 && uv == 0 && vu == 0 && vv == 1 && cx == Math.Floor(cx) && cy == Math.Floor(cy)
            ? FoldUnscaled(residual, x0, y0, x1, y1)
            : FoldBinned(residual, grid, x0, y0, x1, y1, null);
    }

    /// <summary>
    /// <see cref="Fold(LumaPlane, TileGrid)"/> of only the regions of <paramref name="residual"/> that <paramref name="regions"/>
    /// keeps: the others (a reflected fill, a pasted part) add neither their values nor their counts.
    /// </summary>
    public static double[] Fold(LumaPlane residual, TileGrid grid, RegionMask regions) =>
        FoldBinned(residual, grid, 0, 0, residual.Width, residual.Height, regions);

    /// <summary>
    /// The general fold: each pixel lands at a point of the tile, rounded to a quarter of a tile pixel; it is added to that
    /// point's bin (<see cref="Subdivisions"/>² bins per tile pixel), and the bins are then splatted bilinearly onto the
    /// tile's pixels with their counts as weights (see <see cref="Fold(LumaPlane, TileGrid, int, int, int, int)"/>). Pixels
    /// of the regions <paramref name="regions"/> drops (when given; its regions start at (x0, y0)) are skipped.
    /// </summary>
    private static double[] FoldBinned(LumaPlane residual, TileGrid grid, int x0, int y0, int x1, int y1, RegionMask? regions)
    {
        var (uu, uv, vu, vv) = grid.ToCanonical();
        var (width, height) = (x1 - x0, y1 - y0);
        var cx = width / 2.0;
        var cy = height / 2.0;
        const int Bins = P * Subdivisions;
        var sums = ArrayPool<float>.Shared.Rent(Bins * Bins);
        var counts = ArrayPool<int>.Shared.Rent(Bins * Bins);
        try
        {
            Array.Clear(sums, 0, Bins * Bins);
            Array.Clear(counts, 0, Bins * Bins);
            var values = residual.Values;
            var (du, dv) = (uu * Subdivisions, vu * Subdivisions);
            // Without regions a row is one run; with them, a run per region, the dropped ones skipped.
            var runLength = regions?.Side ?? width;
            for (var y = 0; y < height; y++)
            {
                var dy = y - cy;
                var row = (y0 + y) * residual.Width + x0;
                for (var start = 0; start < width; start += runLength)
                {
                    if (regions is not null && !regions.Keeps(start, y))
                    {
                        continue;
                    }

                    // Canonical coordinates c = M(p − centre) (M the grid's inverse map) in bins, offset by a whole number of
                    // tiles to stay positive, plus half a bin so that truncating rounds to the nearest bin.
                    var dx = start - cx;
                    var u = (uu * dx + uv * dy + 4096 * P) * Subdivisions + 0.5;
                    var v = (vu * dx + vv * dy + 4096 * P) * Subdivisions + 0.5;
                    var end = Math.Min(width, start + runLength);
                    for (var x = start; x < end; x++, u += du, v += dv)
                    {
                        var bin = ((int)v & (Bins - 1)) * Bins + ((int)u & (Bins - 1));
                        sums[bin] += values[row + x];
                        counts[bin]++;
                    }
                }
            }

            return Splat(sums, counts);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sums);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>The bins of <see cref="Fold(LumaPlane, TileGrid, int, int, int, int)"/> splatted bilinearly onto the tile, along rows then along columns, and normalised by their weights.</summary>
    private static double[] Splat(float[] sums, int[] counts)
    {
        const int Bins = P * Subdivisions;
        var tile = new double[P * P];
        var weights = new double[P * P];
        Span<double> rowSums = stackalloc double[P];
        Span<double> rowWeights = stackalloc double[P];
        for (var bv = 0; bv < Bins; bv++)
        {
            rowSums.Clear();
            rowWeights.Clear();
            for (var bu = 0; bu < Bins; bu++)
            {
                // Empty bins add zeros: cheaper than a branch that mispredicts on about one bin in fifty.
                var count = counts[bv * Bins + bu];
                var (sum, f) = ((double)sums[bv * Bins + bu], (bu & (Subdivisions - 1)) / (double)Subdivisions);
                var c0 = bu / Subdivisions;
                var c1 = (c0 + 1) & (P - 1);
                rowSums[c0] += (1 - f) * sum;
                rowWeights[c0] += (1 - f) * count;
                rowSums[c1] += f * sum;
                rowWeights[c1] += f * count;
            }

            var g = (bv & (Subdivisions - 1)) / (double)Subdivisions;
            var r0 = bv / Subdivisions * P;
            var r1 = ((bv / Subdivisions + 1) & (P - 1)) * P;
            for (var c = 0; c < P; c++)
            {
                tile[r0 + c] += (1 - g) * rowSums[c];
                weights[r0 + c] += (1 - g) * rowWeights[c];
                tile[r1 + c] += g * rowSums[c];
                weights[r1 + c] += g * rowWeights[c];
            }
        }

        for (var i = 0; i < tile.Length; i++)
        {
            tile[i] = weights[i] > 1e-9 ? tile[i] / weights[i] : 0;
        }

        return tile;
    }

    /// <summary>
    /// <see cref="Fold(LumaPlane, TileGrid)"/> under the unrotated, unscaled grid with the centre on a whole pixel (what the embedder
    /// measures): every pixel lands on exactly one tile pixel, so the splatting weights are 1 and 0 and are skipped.
    /// </summary>
    private static double[] FoldUnscaled(LumaPlane residual, int x0, int y0, int x1, int y1)
    {
        var sum = new double[P * P];
        var values = residual.Values;
        var (width, height) = (x1 - x0, y1 - y0);
        var cx = width / 2;
        var cy = height / 2;
        var u0 = (-cx + 4096 * P) & (P - 1);

        // Within a row, a run of P pixels starting at tile column 0 adds to one tile row in order: whole vectors at a
        // time. Each tile pixel still receives its values in the same order (rows down, then along the row), so the
        // sums are the same as adding one pixel at a time.
        var firstRun = Math.Min(width, (P - u0) & (P - 1));
        var lanes = Vector<float>.Count;
        for (var y = 0; y < height; y++)
        {
            var tileRow = ((y - cy + 4096 * P) & (P - 1)) * P;
            var row = (y0 + y) * residual.Width + x0;
            var x = 0;
            for (; x < firstRun; x++)
            {
                sum[tileRow + u0 + x] += values[row + x];
            }

            for (; x + P <= width; x += P)
            {
                // Through references (each run checked once): slicing spans per vector cost more than the additions.
                ref var target = ref MemoryMarshal.GetReference(sum.AsSpan(tileRow, P));
                ref var source = ref MemoryMarshal.GetReference(values.AsSpan(row + x, P));
                for (var k = 0; k < P; k += lanes)
                {
                    Vector.Widen(Vector.LoadUnsafe(ref source, (nuint)k), out var low, out var high);
                    (Vector.LoadUnsafe(ref target, (nuint)k) + low).StoreUnsafe(ref target, (nuint)k);
                    (Vector.LoadUnsafe(ref target, (nuint)(k + Vector<double>.Count)) + high).StoreUnsafe(ref target, (nuint)(k + Vector<double>.Count));
                }
            }

            for (; x < width; x++)
            {
                sum[tileRow + ((u0 + x) & (P - 1))] += values[row + x];
            }
        }

        // Each tile pixel averages the pixels that land on it: a count of rows times a count of columns.
        for (var v = 0; v < P; v++)
        {
            var rows = Hits((v + cy) & (P - 1), height);
            for (var u = 0; u < P; u++)
            {
                var count = (double)rows * Hits((u - u0 + P) & (P - 1), width);
                sum[v * P + u] = count > 1e-9 ? sum[v * P + u] / count : 0;
            }
        }

        return sum;
    }

    /// <summary>How many of the coordinates 0 … <paramref name="length"/> − 1 are <paramref name="phase"/> modulo the tile period.</summary>
    private static int Hits(int phase, int length) => phase >= length ? 0 : ((length - 1 - phase) / P) + 1;

    /// <summary>The codeword readings of the folded tile whose transform is <paramref name="spectrum"/> at the <paramref name="count"/> most likely tile offsets, best first.</summary>
    public static List<TileReading> Read(TileSpectrum spectrum, WatermarkLayout layout, int codewordBits, int count)
    {
        // The correlation is scratch: pooled, since the reader correlates up to 88 tiles per picture.
        var xr = ArrayPool<double>.Shared.Rent(P * P);
        var xi = ArrayPool<double>.Shared.Rent(P * P);
        try
        {
            return Read(spectrum, layout, codewordBits, count, xr, xi);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xr);
            ArrayPool<double>.Shared.Return(xi);
        }
    }

    private static List<TileReading> Read(TileSpectrum spectrum, WatermarkLayout layout, int codewordBits, int count, double[] xr, double[] xi)
    {
        // Cross-correlation with the sync pattern: inverse transform of A(k)·conj(S(k)), phase-normalised
        // so that strong image content at one frequency cannot dominate.
        Array.Clear(xr, 0, P * P);
        Array.Clear(xi, 0, P * P);
        for (var s = 0; s < layout.SyncCoefficients.Length; s++)
        {
            var (u, v) = WatermarkLayout.Band[layout.SyncCoefficients[s]];
            var index = WatermarkLayout.Index(u, v);
            var product = spectrum[index] * Complex.Conjugate(layout.SyncReference(s));
            product /= product.Magnitude + 1e-12;
            xr[index] = product.Real;
            xi[index] = product.Imaginary;
            var mirror = WatermarkLayout.Index(-u, -v);
            xr[mirror] = product.Real;
            xi[mirror] = -product.Imaginary;
        }

        Fft.Transform2D(xr, xi, P, P, inverse: true);
        var (mean, deviation) = MeanAndDeviation(xr.AsSpan(0, P * P));

        var readings = new List<TileReading>();
        var taken = new List<(int X, int Y)>();
        while (readings.Count < count && NextPeak(xr, taken) is { } peak)
        {
            var (px, py) = (peak % P, peak / P);
            taken.Add((px, py));
            var dx = px + Parabolic(xr[py * P + (px + P - 1) % P], xr[peak], xr[py * P + (px + 1) % P]);
            var dy = py + Parabolic(xr[(py + P - 1) % P * P + px], xr[peak], xr[(py + 1) % P * P + px]);
            readings.Add(new TileReading(SoftBits(spectrum, layout, codewordBits, dx, dy), (xr[peak] - mean) / deviation, dx, dy));
        }

        return readings;
    }

    /// <summary>
    /// The mean of <paramref name="values"/> and their standard deviation (plus 1e-12, so that it divides), summed in order
    /// as LINQ's Average and Sum over an array do (so the scores are theirs to the last bit) without a delegate call per value.
    /// </summary>
    private static (double Mean, double Deviation) MeanAndDeviation(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        var mean = sum / values.Length;
        var squares = 0.0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        return (mean, Math.Sqrt(squares / values.Length) + 1e-12);
    }

    /// <summary>
    /// The codeword's soft bits at tile offset (<paramref name="dx"/>, <paramref name="dy"/>): per bit, the sum of its chips'
    /// log-likelihood ratios, each chip's projection weighed by what the reading's sync carriers say survives at its radius
    /// (<see cref="CarrierChannel"/>).
    /// </summary>
    internal static double[] SoftBits(TileSpectrum spectrum, WatermarkLayout layout, int codewordBits, double dx, double dy)
    {
        var sync = new (int, double)[2 * layout.SyncCoefficients.Length];
        for (var s = 0; s < layout.SyncCoefficients.Length; s++)
        {
            var (z, r2) = Demodulate(spectrum, layout, layout.SyncCoefficients[s], dx, dy);
            var chips = layout.SyncChips[s];
            sync[2 * s] = (r2, z.Real * chips.Real);
            sync[2 * s + 1] = (r2, z.Imaginary * chips.Imaginary);
        }

        var message = new (int SquaredRadius, double Projection)[2 * layout.MessageCoefficients.Length];
        for (var m = 0; m < layout.MessageCoefficients.Length; m++)
        {
            var (z, r2) = Demodulate(spectrum, layout, layout.MessageCoefficients[m], dx, dy);
            message[2 * m] = (r2, z.Real);
            message[2 * m + 1] = (r2, z.Imaginary);
        }

        var channel = new CarrierChannel(sync, message);
        var soft = new double[codewordBits];
        for (var chip = 0; chip < message.Length; chip++)
        {
            var (r2, projection) = message[chip];
            soft[layout.ChipBits[chip]] += channel.Weight(r2) * projection;
        }

        return soft;
    }

    /// <summary>Band coefficient <paramref name="coefficient"/> of the tile with the offset and the key's phase undone, and its squared radius.</summary>
    private static (Complex Value, int SquaredRadius) Demodulate(TileSpectrum spectrum, WatermarkLayout layout, int coefficient, double dx, double dy)
    {
        var (u, v) = WatermarkLayout.Band[coefficient];
        var index = WatermarkLayout.Index(u, v);
        // Undo the shift (A'(k) = A(k)·e^(−2πi k·d/P)) and the key's phase.
        var unshift = Complex.FromPolarCoordinates(1, 2 * Math.PI * (u * dx + v * dy) / P);
        return (spectrum[index] * unshift * Complex.Conjugate(layout.Phases[coefficient]), u * u + v * v);
    }

    /// <summary>
    /// The highest correlation (the first of equal ones) more than 2 tile pixels from every offset already
    /// <paramref name="taken"/>, or null when none is left: the next offset candidate. A scan per candidate instead of
    /// sorting all 4,096 offsets, for the same candidates in the same order.
    /// </summary>
    private static int? NextPeak(double[] correlation, List<(int X, int Y)> taken)
    {
        int? best = null;
        for (var i = 0; i < correlation.Length; i++)
        {
            if (best is { } current && !(correlation[i] > correlation[current]))
            {
                continue;
            }

            if (!NearAny(taken, i % P, i / P))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Whether an offset already <paramref name="taken"/> is within 2 tile pixels of (<paramref name="x"/>, <paramref name="y"/>) along both axes (a loop, not a lambda: a closure per offset scanned cost 200 kB per reading).</summary>
    private static bool NearAny(List<(int X, int Y)> taken, int x, int y)
    {
        foreach (var (tx, ty) in taken)
        {
            if (WrapDistance(tx, x) <= 2 && WrapDistance(ty, y) <= 2)
            {
                return true;
            }
        }

        return false;
    }

    private static int WrapDistance(int a, int b)
    {
        var d = Math.Abs(a - b);
        return Math.Min(d, P - d);
    }

    /// <summary>The offset, within half a sample either way, of the vertex of the parabola through three equally spaced values.</summary>
    internal static double Parabolic(double left, double centre, double right)
    {
        var denominator = left - 2 * centre + right;
        return Math.Abs(denominator) < 1e-12 ? 0 : Math.Clamp(0.5 * (left - right) / denominator, -0.5, 0.5);
    }
}
