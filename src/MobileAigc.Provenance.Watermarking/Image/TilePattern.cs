namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The watermark's tile repeated over an image at full resolution (scaled with the image above 512 pixels on the short
/// side), times the perceptual mask when there is one: what the embedder adds to the luma, before the final gain.
/// </summary>
internal static class TilePattern
{
    private const int P = WatermarkLayout.TilePeriod;

    /// <summary>
    /// Writes the pattern over the rectangle [x0, x1) × [y0, y1) of <paramref name="target"/> (row-major,
    /// <paramref name="width"/> wide): the tile repeated from the origin, scaled by <paramref name="tileScale"/>, times
    /// <paramref name="mask"/> when given.
    /// </summary>
    public static void Paint(float[] target, int width, LumaPlane? mask, float[] tile, double tileScale, int x0, int y0, int x1, int y1)
    {
        if (WholePeriod(tileScale) is { } period && (tileScale == 1.0 || (double)period * period < (double)(x1 - x0) * (y1 - y0)))
        {
            PaintPeriod(target, width, mask, ScaledPeriod(tile, tileScale, period), period, x0, y0, x1, y1);
            return;
        }

        for (var y = y0; y < y1; y++)
        {
            var v = y / tileScale;
            var v0 = (int)v;
            var fv = (float)(v - v0);
            var top = (v0 & (P - 1)) * P;
            var bottom = ((v0 + 1) & (P - 1)) * P;
            var row = y * width;
            for (var x = x0; x < x1; x++)
            {
                var u = x / tileScale;
                var u0 = (int)u;
                var fu = (float)(u - u0);
                var a = u0 & (P - 1);
                var b = (u0 + 1) & (P - 1);
                var sample = (tile[top + a] * (1 - fu) + tile[top + b] * fu) * (1 - fv) + (tile[bottom + a] * (1 - fu) + tile[bottom + b] * fu) * fv;
                target[row + x] = mask is null ? sample : mask.Values[row + x] * sample;
            }
        }
    }

    /// <summary>
    /// Writes to <paramref name="view"/> the pattern <see cref="Paint"/> draws over a whole <paramref name="width"/> ×
    /// <paramref name="height"/> image as the reader sees it (averaged over <paramref name="factor"/> × <paramref name="factor"/>
    /// blocks, as <see cref="LumaPlane.FromImage(MobileAigc.Provenance.Imaging.RgbImage, int)"/> does), and returns the
    /// full-resolution pattern's mean square.
    /// </summary>
    /// <remarks>
    /// Without a mask and with a tile spanning a whole number of pixels (every short side divisible by 8), the pattern
    /// repeats one period: the average is taken from that period directly and the mean square from how often each of
    /// its pixels occurs, with no full-resolution plane (4 MB of floats per megapixel). Otherwise the full-resolution
    /// pattern is drawn into a pooled buffer and averaged.
    /// </remarks>
    public static double ReaderView(float[] tile, double tileScale, int width, int height, int factor, LumaPlane? mask, LumaPlane view)
    {
        if (mask is null && WholePeriod(tileScale) is { } period)
        {
            var scaled = ScaledPeriod(tile, tileScale, period);
            PeriodView(scaled, period, factor, view);
            return PeriodMeanSquare(scaled, period, width, height);
        }

        var full = LumaPlane.Rent(width, height);
        try
        {
            Paint(full.Values, width, mask, tile, tileScale, 0, 0, width, height);
            var total = 0.0;
            for (var i = 0; i < width * height; i++)
            {
                total += full.Values[i] * full.Values[i];
            }

            if (factor == 1)
            {
                Array.Copy(full.Values, view.Values, width * height);
            }
            else
            {
                full.Downsample(factor, view);
            }

            return total / ((double)width * height);
        }
        finally
        {
            full.Return();
        }
    }

    /// <summary>The scaled tile's period in whole pixels, or null when it is not a whole number of pixels.</summary>
    private static int? WholePeriod(double tileScale)
    {
        var exact = P * tileScale;
        var period = (int)Math.Round(exact);
        return Math.Abs(exact - period) < 1e-9 ? period : null;
    }

    /// <summary>
    /// One period (<paramref name="period"/> pixels square, from the origin) of the tile scaled by
    /// <paramref name="tileScale"/>, bilinearly interpolated once: the same samples as interpolating every pixel.
    /// </summary>
    private static float[] ScaledPeriod(float[] tile, double tileScale, int period)
    {
        if (tileScale == 1.0)
        {
            return tile;
        }

        var scaled = new float[period * period];
        for (var y = 0; y < period; y++)
        {
            var v = y / tileScale;
            var v0 = (int)v;
            var fv = (float)(v - v0);
            var top = (v0 & (P - 1)) * P;
            var bottom = ((v0 + 1) & (P - 1)) * P;
            for (var x = 0; x < period; x++)
            {
                var u = x / tileScale;
                var u0 = (int)u;
                var fu = (float)(u - u0);
                var a = u0 & (P - 1);
                var b = (u0 + 1) & (P - 1);
                scaled[y * period + x] = (tile[top + a] * (1 - fu) + tile[top + b] * fu) * (1 - fv) + (tile[bottom + a] * (1 - fu) + tile[bottom + b] * fu) * fv;
            }
        }

        return scaled;
    }

    private static void PaintPeriod(float[] target, int width, LumaPlane? mask, float[] scaled, int period, int x0, int y0, int x1, int y1)
    {
        for (var y = y0; y < y1; y++)
        {
            var periodRow = scaled.AsSpan(y % period * period, period);
            var row = target.AsSpan(y * width, width);
            var maskRow = mask is null ? default : mask.Values.AsSpan(y * width, width);
            var x = x0;
            var u = x0 % period;
            while (x < x1)
            {
                var run = Math.Min(x1 - x, period - u);
                var source = periodRow.Slice(u, run);
                if (mask is null)
                {
                    source.CopyTo(row.Slice(x, run));
                }
                else
                {
                    var maskRun = maskRow.Slice(x, run);
                    var output = row.Slice(x, run);
                    for (var i = 0; i < run; i++)
                    {
                        output[i] = maskRun[i] * source[i];
                    }
                }

                x += run;
                u = 0;
            }
        }
    }

    /// <summary>The repeated period averaged over <paramref name="factor"/> × <paramref name="factor"/> blocks, summed in the order of <see cref="LumaPlane.Downsample"/>.</summary>
    private static void PeriodView(float[] scaled, int period, int factor, LumaPlane view)
    {
        if (factor == 1)
        {
            // Every block is one pixel: the view is the pattern itself, copied a period's run at a time.
            PaintPeriod(view.Values, view.Width, null, scaled, period, 0, 0, view.Width, view.Height);
            return;
        }

        var values = view.Values;
        var scale = 1f / (factor * factor);
        var columns = new int[view.Width * factor];
        for (var x = 0; x < columns.Length; x++)
        {
            columns[x] = x % period;
        }

        for (var y = 0; y < view.Height; y++)
        {
            for (var x = 0; x < view.Width; x++)
            {
                var sum = 0f;
                for (var dy = 0; dy < factor; dy++)
                {
                    var row = (y * factor + dy) % period * period;
                    for (var dx = 0; dx < factor; dx++)
                    {
                        sum += scaled[row + columns[x * factor + dx]];
                    }
                }

                values[y * view.Width + x] = factor == 1 ? sum : sum * scale;
            }
        }
    }

    /// <summary>The mean square of the period repeated over the image: each period pixel weighted by how often it occurs.</summary>
    private static double PeriodMeanSquare(float[] scaled, int period, int width, int height)
    {
        var total = 0.0;
        for (var v = 0; v < period; v++)
        {
            var rows = Occurrences(v, period, height);
            if (rows == 0)
            {
                continue;
            }

            var rowTotal = 0.0;
            for (var u = 0; u < period; u++)
            {
                var value = scaled[v * period + u];
                rowTotal += (double)(value * value) * Occurrences(u, period, width);
            }

            total += rowTotal * rows;
        }

        return total / ((double)width * height);
    }

    /// <summary>How many of the coordinates 0 … <paramref name="length"/> − 1 are <paramref name="phase"/> modulo <paramref name="period"/>.</summary>
    private static int Occurrences(int phase, int period, int length) => phase >= length ? 0 : ((length - 1 - phase) / period) + 1;
}
