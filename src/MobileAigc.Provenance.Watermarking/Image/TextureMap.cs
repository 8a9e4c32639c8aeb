namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The luma's standard deviation, in grey levels, per block of <see cref="TextureMasking.BlockSide"/> pixels at the reader's
/// resolution, row-major (<paramref name="Columns"/> × <paramref name="Rows"/>; blocks cut off by the right or bottom edge left out).
/// </summary>
internal sealed record TextureMap(int Columns, int Rows, double[] Deviations)
{
    /// <summary>The <see cref="TextureMasking.Percentile"/> of the blocks' deviations (0 for a picture without a whole block).</summary>
    public double Activity
    {
        get
        {
            if (Deviations.Length == 0)
            {
                return 0;
            }

            var sorted = (double[])Deviations.Clone();
            Array.Sort(sorted);
            return sorted[(int)(TextureMasking.Percentile * sorted.Length)];
        }
    }

    /// <summary>
    /// The least deviation among the blocks that overlap the rectangle [x0, x1) × [y0, y1) of the reader's plane or touch it
    /// (one block more on every side): the texture of the flattest part of a region's whole neighbourhood, so that a region
    /// beside a flat area, or with one inside, measures as flat (a mark beside an edge shows on the edge's flat side). 0 when
    /// the rectangle reaches no whole block.
    /// </summary>
    public double LeastAround(int x0, int y0, int x1, int y1)
    {
        const int B = TextureMasking.BlockSide;
        var (c0, c1) = (Math.Max(0, x0 / B - 1), Math.Min(Columns, (x1 + B - 1) / B + 1));
        var (r0, r1) = (Math.Max(0, y0 / B - 1), Math.Min(Rows, (y1 + B - 1) / B + 1));
        var least = double.MaxValue;
        for (var row = r0; row < r1; row++)
        {
            for (var column = c0; column < c1; column++)
            {
                least = Math.Min(least, Deviations[row * Columns + column]);
            }
        }

        return least == double.MaxValue ? 0 : least;
    }
}
