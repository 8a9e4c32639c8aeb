namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The 2-D transform (unnormalised, <see cref="Fft"/>'s) of a folded tile, <see cref="WatermarkLayout.TilePeriod"/>² values
/// each, row-major: what <see cref="TileReader.Read(TileSpectrum, WatermarkLayout, int, int)"/> reads. Treat as immutable.
/// </summary>
/// <remarks>
/// The reader tries each folded tile in its eight turns and mirrors (<see cref="TileDihedral"/>). A tile turned by an
/// element g, r(c) = t(g·c), has the transform R(k) = T(g·k) (substitute d = g·c, g orthogonal and integer), the same
/// permutation of the frequencies as of the pixels: so a fold is transformed once and its spectrum permuted per element,
/// instead of a transform per element (equal up to the transform's rounding).
/// </remarks>
internal readonly record struct TileSpectrum(double[] Re, double[] Im)
{
    /// <summary>The transform of <paramref name="tile"/> (not changed).</summary>
    public static TileSpectrum Of(double[] tile)
    {
        const int P = WatermarkLayout.TilePeriod;
        var re = (double[])tile.Clone();
        var im = new double[P * P];
        Fft.Transform2D(re, im, P, P, inverse: false);
        return new TileSpectrum(re, im);
    }

    /// <summary>The transform of the tile turned or mirrored by <paramref name="element"/> (<see cref="TileDihedral.Transform"/>); this one for the identity.</summary>
    public TileSpectrum Turned(int element) =>
        element == 0 ? this : new TileSpectrum(TileDihedral.Transform(Re, element), TileDihedral.Transform(Im, element));
}
