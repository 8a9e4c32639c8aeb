namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// How much stronger than <see cref="ImageWatermarkOptions.TargetPsnrDb"/> a picture's own texture lets its mark be
/// (contrast masking: a pattern is harder to see on a busy background than on a flat one, and the harder the busier).
/// </summary>
/// <remarks>
/// <para>
/// The mark has the same amplitude everywhere, so it shows first where the picture is flattest. The measure is therefore
/// the texture of the picture's flattest part: the luma high-passed as the reader does (what is left after three box
/// blurs of radius 4, i.e. detail at the carriers' periods and finer), its RMS per block of <see cref="BlockSide"/> pixels,
/// and the <see cref="Percentile"/> of those blocks. A picture with any sky, wall, skin or bokeh has a flattest tenth at a
/// grey level or two and keeps the target; only a picture that is texture nearly everywhere (grass, gravel, foliage, a
/// circuit board) reaches the threshold.
/// </para>
/// <para>
/// The rule keeps the mark below a fixed fraction of that texture: while the texture's RMS is at most
/// <see cref="TextureToMarkRatio"/> times the mark's RMS at the target (2.0 grey levels at 42 dB, so 12 grey levels) the
/// picture keeps the target; above it the mark grows with the texture, keeping that ratio (the high-contrast regime of
/// contrast masking, where the detection threshold grows in proportion to the masker's contrast), down to the floor.
/// The measure is computed on the luma at the reader's resolution, once per picture.
/// </para>
/// </remarks>
internal static class TextureMasking
{
    /// <summary>The side, in pixels of the reader's resolution, of the blocks whose texture is measured: a quarter of a tile.</summary>
    public const int BlockSide = 16;

    /// <summary>Which block decides: the tenth flattest in a hundred, so a flat tenth of the picture keeps it at the target.</summary>
    public const double Percentile = 0.1;

    /// <summary>
    /// How many times the mark's RMS the flattest tenth's texture RMS must be before the mark grows, and the ratio it keeps
    /// when it grows: 6 (the mark at most about −15.6 dB under the texture that hides it).
    /// </summary>
    public const double TextureToMarkRatio = 6.0;

    /// <summary>
    /// The PSNR, in dB, at which to mark a picture whose reader-resolution luma is <paramref name="luma"/>: <paramref name="targetPsnrDb"/>
    /// unless its texture masks a stronger mark, never below <paramref name="floorPsnrDb"/>.
    /// </summary>
    public static double PsnrDb(LumaPlane luma, double targetPsnrDb, double floorPsnrDb)
    {
        var markRms = 255.0 / Math.Pow(10, targetPsnrDb / 20);
        var allowed = Activity(luma) / TextureToMarkRatio;
        return allowed <= markRms ? targetPsnrDb : Math.Max(floorPsnrDb, targetPsnrDb - 20 * Math.Log10(allowed / markRms));
    }

    /// <summary>The RMS of the high-passed luma, in grey levels, in the <see cref="Percentile"/> of blocks of <see cref="BlockSide"/> pixels.</summary>
    public static double Activity(LumaPlane luma)
    {
        var columns = luma.Width / BlockSide;
        var rows = luma.Height / BlockSide;
        if (columns == 0 || rows == 0)
        {
            return 0;
        }

        var smooth = LumaPlane.Rent(luma.Width, luma.Height);
        try
        {
            luma.BoxBlur(smooth.Values, radius: 4, passes: 3);
            var blocks = new double[columns * rows];
            for (var y = 0; y < rows * BlockSide; y++)
            {
                var row = y * luma.Width;
                var blockRow = y / BlockSide * columns;
                for (var x = 0; x < columns * BlockSide; x++)
                {
                    var detail = luma.Values[row + x] - smooth.Values[row + x];
                    blocks[blockRow + x / BlockSide] += detail * detail;
                }
            }

            Array.Sort(blocks);
            return Math.Sqrt(blocks[(int)(Percentile * blocks.Length)] / (BlockSide * BlockSide));
        }
        finally
        {
            smooth.Return();
        }
    }
}
