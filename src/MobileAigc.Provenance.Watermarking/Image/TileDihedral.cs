namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The eight symmetries of the square (quarter turns and mirrors) as they act on the tile. The tile lattice looks the
/// same after any of them, so the grid search cannot tell them apart: a picture turned by 90° or mirrored folds onto a
/// turned or mirrored tile, and the reader tries each of the eight on the folded tile, the sync pattern telling which fits.
/// </summary>
internal static class TileDihedral
{
    /// <summary>The eight elements as integer matrices (u, v) → (Xu·u + Xv·v, Yu·u + Yv·v); the identity first.</summary>
    public static IReadOnlyList<(int Xu, int Xv, int Yu, int Yv)> Elements { get; } =
    [
        (1, 0, 0, 1), (0, -1, 1, 0), (-1, 0, 0, -1), (0, 1, -1, 0),
        (-1, 0, 0, 1), (1, 0, 0, -1), (0, 1, 1, 0), (0, -1, -1, 0),
    ];

    /// <summary>Applies element <paramref name="element"/> to the point (<paramref name="u"/>, <paramref name="v"/>).</summary>
    public static (int U, int V) Apply(int element, int u, int v)
    {
        var (xu, xv, yu, yv) = Elements[element];
        return (xu * u + xv * v, yu * u + yv * v);
    }

    /// <summary>The element that undoes <paramref name="element"/>: its matrix transposed (the matrices are orthogonal).</summary>
    public static int Inverse(int element)
    {
        var (xu, xv, yu, yv) = Elements[element];
        return Enumerable.Range(0, Elements.Count).First(i => Elements[i] == (xu, yu, xv, yv));
    }

    /// <summary>
    /// The tile whose pixel c is <paramref name="tile"/>'s pixel g·c (modulo the period) for element g =
    /// <paramref name="element"/>: a tile turned or mirrored about its origin (the reader finds the offset afterwards).
    /// </summary>
    public static double[] Transform(double[] tile, int element)
    {
        var source = Source(element);
        var result = new double[source.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = tile[source[i]];
        }

        return result;
    }

    /// <summary>Per row-major tile index c, the index of g·c (modulo the period) for element g = <paramref name="element"/>: what <see cref="Transform"/> reads.</summary>
    public static int[] Source(int element) => Sources[element];

    private static readonly int[][] Sources = [.. Enumerable.Range(0, Elements.Count).Select(BuildSource)];

    private static int[] BuildSource(int element)
    {
        const int P = WatermarkLayout.TilePeriod;
        var source = new int[P * P];
        for (var y = 0; y < P; y++)
        {
            for (var x = 0; x < P; x++)
            {
                var (sx, sy) = Apply(element, x, y);
                source[y * P + x] = (sy & (P - 1)) * P + (sx & (P - 1));
            }
        }

        return source;
    }
}
