using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// How much stronger than <see cref="ImageWatermarkOptions.TargetPsnrDb"/> a picture's own texture lets its mark be
/// (contrast masking: a pattern is harder to see on a busy background than on a flat one, and the harder the busier).
/// </summary>
/// <remarks>
/// <para>
/// The mark has the same amplitude everywhere, so it shows first where the picture is flattest. The measure is therefore
/// the texture of the picture's flattest part: the standard deviation of the luma per block of <see cref="BlockSide"/> pixels
/// (detail at the carriers' periods, 7 to 26 pixels, and finer; a block's mean and what varies slower drop out), and the
/// <see cref="Percentile"/> of those blocks. A picture with any sky, wall, skin or bokeh has a flattest tenth at a
/// grey level or two and keeps the target; only a picture that is texture nearly everywhere (grass, gravel, foliage, a
/// circuit board) reaches the threshold.
/// </para>
/// <para>
/// The rule keeps the mark below a fixed fraction of that texture: while its standard deviation is at most
/// <see cref="TextureToMarkRatio"/> times the mark's RMS at the target (2.0 grey levels at 42 dB, so 14 grey levels) the
/// picture keeps the target; above it the mark grows with the texture, keeping that ratio (the high-contrast regime of
/// contrast masking, where the detection threshold grows in proportion to the masker's contrast), down to the floor.
/// The measure is computed on the luma at the reader's resolution, once per picture. With strength by need (the default) this
/// whole-picture allowance goes only to a picture that needs it, which may also get more in its regions textured all around
/// (<see cref="StrengthByNeed"/>, <see cref="TextureMap.LeastAround"/>).
/// </para>
/// </remarks>
internal static class TextureMasking
{
    /// <summary>The side, in pixels of the reader's resolution, of the blocks whose texture is measured: a quarter of a tile.</summary>
    public const int BlockSide = 16;

    /// <summary>Which block decides: the tenth flattest in a hundred, so a flat tenth of the picture keeps it at the target.</summary>
    public const double Percentile = 0.1;

    /// <summary>
    /// How many times the mark's RMS the flattest tenth's standard deviation must be before the mark grows, and the ratio
    /// it keeps when it grows: 7 (the mark at most 16.9 dB under the texture that hides it). The smallest whole ratio at which
    /// most pictures of the repository's image model, whose striations are texture nearly everywhere, keep the target (at 7,
    /// 7 of the robustness benchmark's 60 are strengthened, 5 of them by under 0.5 dB; at 6, about 40 of 60).
    /// </summary>
    public const double TextureToMarkRatio = 7.0;

    /// <summary>
    /// The PSNR, in dB, at which to mark a picture whose reader-resolution luma's <paramref name="texture"/> is given:
    /// <paramref name="targetPsnrDb"/> unless its texture masks a stronger mark, never below <paramref name="floorPsnrDb"/>.
    /// </summary>
    public static double PsnrDb(TextureMap texture, double targetPsnrDb, double floorPsnrDb)
    {
        var markRms = 255.0 / Math.Pow(10, targetPsnrDb / 20);
        var allowed = texture.Activity / TextureToMarkRatio;
        return allowed <= markRms ? targetPsnrDb : Math.Max(floorPsnrDb, targetPsnrDb - 20 * Math.Log10(allowed / markRms));
    }

    /// <summary>The standard deviation of the luma, in grey levels, in every whole block of <see cref="BlockSide"/> pixels.</summary>
    public static TextureMap Map(LumaPlane luma)
    {
        var columns = luma.Width / BlockSide;
        var rows = luma.Height / BlockSide;
        if (columns == 0 || rows == 0)
        {
            return new TextureMap(0, 0, []);
        }

        // One pass, sums per block: 0.2 ms at the reader's 512 pixels, where the reader's high-pass filter alone costs about 1.5 ms.
        var sums = new double[columns];
        var squares = new double[columns];
        var deviations = new double[columns * rows];
        const double Count = BlockSide * BlockSide;
        for (var blockRow = 0; blockRow < rows; blockRow++)
        {
            Array.Clear(sums);
            Array.Clear(squares);
            for (var y = blockRow * BlockSide; y < (blockRow + 1) * BlockSide; y++)
            {
                var row = luma.Values.AsSpan(y * luma.Width, columns * BlockSide);
                for (var column = 0; column < columns; column++)
                {
                    // A vector's width (4, 8 or 16 floats) divides the block's side on every platform.
                    var (sum, square) = (Vector<float>.Zero, Vector<float>.Zero);
                    for (var x = column * BlockSide; x < (column + 1) * BlockSide; x += Vector<float>.Count)
                    {
                        var value = new Vector<float>(row[x..]);
                        sum += value;
                        square += value * value;
                    }

                    sums[column] += Vector.Sum(sum);
                    squares[column] += Vector.Sum(square);
                }
            }

            for (var column = 0; column < columns; column++)
            {
                var mean = sums[column] / Count;
                deviations[blockRow * columns + column] = Math.Sqrt(Math.Max(0, squares[column] / Count - mean * mean));
            }
        }

        return new TextureMap(columns, rows, deviations);
    }
}
