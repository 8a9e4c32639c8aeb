using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The 2-D transform (unnormalised, <see cref="Fft"/>'s) of a folded tile, <see cref="WatermarkLayout.TilePeriod"/>² values
/// each, row-major: what <see cref="TileReader.Read(TileSpectrum, WatermarkLayout, int, int)"/> reads. Treat as immutable.
/// </summary>
/// <remarks>
/// The reader tries each folded tile in its eight turns and mirrors (<see cref="TileDihedral"/>). A tile turned by an
/// element g, r(c) = t(g·c), has the transform R(k) = T(g·k) (substitute d = g·c, g orthogonal and integer), the same
/// permutation of the frequencies as of the pixels: so a fold is transformed once and its spectrum permuted per element,
/// instead of a transform per element (equal up to the transform's rounding), and only the few frequencies the reader
/// reads are looked up through the permutation.
/// </remarks>
internal readonly record struct TileSpectrum(double[] Re, double[] Im)
{
    /// <summary>The element of <see cref="TileDihedral"/> by which this view turns <see cref="Re"/> and <see cref="Im"/>: 0, none.</summary>
    public int Element { get; private init; }

    /// <summary>The transform at frequency index <paramref name="index"/> (row-major), of the tile turned by <see cref="Element"/>.</summary>
    public Complex this[int index]
    {
        get
        {
            var source = Element == 0 ? index : TileDihedral.Source(Element)[index];
            return new Complex(Re[source], Im[source]);
        }
    }

    /// <summary>The transform of <paramref name="tile"/> (not changed).</summary>
    public static TileSpectrum Of(double[] tile)
    {
        const int P = WatermarkLayout.TilePeriod;
        var re = (double[])tile.Clone();
        var im = new double[P * P];
        Fft.Transform2D(re, im, P, P, inverse: false);
        return new TileSpectrum(re, im);
    }

    /// <summary>
    /// The transform of this spectrum's tile turned or mirrored by <paramref name="element"/> (<see cref="TileDihedral.Transform"/>),
    /// as a view of the same values: nothing is copied.
    /// </summary>
    /// <exception cref="InvalidOperationException">When this spectrum is itself turned.</exception>
    public TileSpectrum Turned(int element) =>
        Element == 0 ? this with { Element = element } : throw new InvalidOperationException("Turn the untransformed spectrum.");
}
