using System.Buffers;
using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Where the watermark lives, drawn from the key. The mark is one tile of <see cref="TilePeriod"/> ×
/// <see cref="TilePeriod"/> canonical pixels repeated over the image; the tile is a sum of 2-D
/// sinusoids at the integer frequencies (cycles per tile) of a mid-frequency annulus. Each such
/// coefficient carries two ±1 chips (its real and imaginary part after a key-random phase). Some
/// coefficients (<see cref="SyncCoefficientCount"/>) are a fixed, key-derived sync pattern that locates the tile; the others carry the
/// scrambled codeword bits, each spread over several chips in key-random places.
/// </summary>
internal sealed class WatermarkLayout
{
    public const int TilePeriod = 64;
    public const double MinRadius = 2.5;
    public const double MaxRadius = 9.5;
    public const int SyncCoefficientCount = 30;

    public WatermarkLayout(byte[] layoutKey, int codewordBits)
    {
        var stream = new KeyStream(layoutKey);
        var order = Enumerable.Range(0, Band.Length).ToArray();
        stream.Shuffle(order);
        SyncCoefficients = order[..SyncCoefficientCount];
        MessageCoefficients = order[SyncCoefficientCount..];
        if (2 * MessageCoefficients.Length < codewordBits)
        {
            throw new ArgumentOutOfRangeException(nameof(codewordBits), codewordBits, $"The tile holds only {2 * MessageCoefficients.Length} message chips.");
        }

        Phases = new Complex[Band.Length];
        for (var i = 0; i < Band.Length; i++)
        {
            Phases[i] = Complex.FromPolarCoordinates(1, 2 * Math.PI * stream.NextDouble());
        }

        SyncChips = new Complex[SyncCoefficientCount];
        for (var i = 0; i < SyncCoefficientCount; i++)
        {
            SyncChips[i] = new Complex(stream.NextBool() ? 1 : -1, stream.NextBool() ? 1 : -1);
        }

        // Message chip 2k is the real part of message coefficient k, 2k+1 its imaginary part.
        var chips = Enumerable.Range(0, 2 * MessageCoefficients.Length).ToArray();
        stream.Shuffle(chips);
        ChipBits = new int[chips.Length];
        for (var i = 0; i < chips.Length; i++)
        {
            ChipBits[chips[i]] = i % codewordBits;
        }

        Scramble = new bool[codewordBits];
        for (var i = 0; i < codewordBits; i++)
        {
            Scramble[i] = stream.NextBool();
        }
    }

    /// <summary>The (u, v) frequencies, in cycles per tile, of one half-plane of the annulus (the other half is their conjugate).</summary>
    public static (int U, int V)[] Band { get; } = BuildBand();

    public int[] SyncCoefficients { get; }

    public int[] MessageCoefficients { get; }

    /// <summary>Per band coefficient: its key-random unit phase.</summary>
    public Complex[] Phases { get; }

    /// <summary>Per sync coefficient: its two ±1 chips as a complex number.</summary>
    public Complex[] SyncChips { get; }

    /// <summary>Per message chip: the codeword bit it carries.</summary>
    public int[] ChipBits { get; }

    /// <summary>Per codeword bit: whether it is inverted before embedding (so that no payload gives a plain pattern).</summary>
    public bool[] Scramble { get; }

    /// <summary>The expected (noise-free) value of a sync coefficient, phase included.</summary>
    public Complex SyncReference(int syncIndex) => SyncChips[syncIndex] * Phases[SyncCoefficients[syncIndex]];

    /// <summary>The tile for a codeword: <see cref="TilePeriod"/>² values, row-major, zero mean, unit RMS.</summary>
    public float[] BuildTile(ReadOnlySpan<bool> codeword)
    {
        var chips = Chips(codeword);
        var coefficients = new Complex[Band.Length];
        for (var i = 0; i < coefficients.Length; i++)
        {
            coefficients[i] = chips[i] * Phases[i];
        }

        var tile = Synthesize(coefficients);
        var energy = 0.0;
        foreach (var value in tile)
        {
            energy += value * value;
        }

        var scale = (float)(1 / Math.Sqrt(energy / tile.Length));
        for (var i = 0; i < tile.Length; i++)
        {
            tile[i] *= scale;
        }

        return tile;
    }

    /// <summary>
    /// Per band coefficient, the two ±1 chips it should carry for <paramref name="codeword"/> (real and imaginary
    /// part, before the key's phase): the sync chips on sync coefficients, the scrambled codeword bits on the others.
    /// </summary>
    public Complex[] Chips(ReadOnlySpan<bool> codeword)
    {
        var chips = new Complex[Band.Length];
        for (var s = 0; s < SyncCoefficients.Length; s++)
        {
            chips[SyncCoefficients[s]] = SyncChips[s];
        }

        for (var m = 0; m < MessageCoefficients.Length; m++)
        {
            chips[MessageCoefficients[m]] = new Complex(ChipSign(codeword, 2 * m), ChipSign(codeword, 2 * m + 1));
        }

        return chips;
    }

    /// <summary>The real tile (unnormalised inverse transform) whose band coefficients are <paramref name="coefficients"/> (one per <see cref="Band"/> entry).</summary>
    public static float[] Synthesize(ReadOnlySpan<Complex> coefficients) => Synthesize(coefficients, default).First;

    /// <summary>
    /// <see cref="Synthesize(ReadOnlySpan{Complex})"/> of two coefficient sets at once (the second may be empty; its tile is then
    /// zero): one complex single-precision transform (<see cref="BlockFft"/>) carries the first tile as its real part and the
    /// second as its imaginary part. The embedder synthesises a tile per region of the picture, and a double-precision
    /// transform per tile cost more than the rest of its arithmetic on them.
    /// </summary>
    public static (float[] First, float[] Second) Synthesize(ReadOnlySpan<Complex> first, ReadOnlySpan<Complex> second)
    {
        const int P = TilePeriod;
        var spectrumRe = ArrayPool<float>.Shared.Rent(P * P);
        var spectrumIm = ArrayPool<float>.Shared.Rent(P * P);
        try
        {
            Array.Clear(spectrumRe, 0, P * P);
            Array.Clear(spectrumIm, 0, P * P);
            for (var k = 0; k < Band.Length; k++)
            {
                // Z = A + iB with A(−k) = conj A(k), B(−k) = conj B(k): the inverse's real part is the first tile, its imaginary part the second.
                var (u, v) = Band[k];
                var a = first[k];
                var b = second.IsEmpty ? Complex.Zero : second[k];
                var index = BlockFft.Position(u, v);
                var mirror = BlockFft.Position(-u, -v);
                spectrumRe[index] = (float)(a.Real - b.Imaginary);
                spectrumIm[index] = (float)(a.Imaginary + b.Real);
                spectrumRe[mirror] = (float)(a.Real + b.Imaginary);
                spectrumIm[mirror] = (float)(b.Real - a.Imaginary);
            }

            var firstTile = new float[P * P];
            var secondTile = new float[P * P];
            BlockFft.Inverse(spectrumRe, spectrumIm, firstTile, secondTile);
            return (firstTile, secondTile);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(spectrumRe);
            ArrayPool<float>.Shared.Return(spectrumIm);
        }
    }

    /// <summary>
    /// The band coefficients (one per <see cref="Band"/> entry, as the unnormalised forward transform gives them) of two real
    /// tiles at once, <see cref="TilePeriod"/>² values each, row-major: one complex single-precision transform of
    /// first + i·second, split by conjugate symmetry.
    /// </summary>
    public static (Complex[] First, Complex[] Second) BandCoefficients(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        const int P = TilePeriod;
        var re = ArrayPool<float>.Shared.Rent(P * P);
        var im = ArrayPool<float>.Shared.Rent(P * P);
        var spectrumRe = ArrayPool<float>.Shared.Rent(P * P);
        var spectrumIm = ArrayPool<float>.Shared.Rent(P * P);
        try
        {
            for (var i = 0; i < P * P; i++)
            {
                re[i] = (float)first[i];
                im[i] = (float)second[i];
            }

            BlockFft.Forward(re, im, spectrumRe, spectrumIm);
            var firstBand = new Complex[Band.Length];
            var secondBand = new Complex[Band.Length];
            for (var k = 0; k < Band.Length; k++)
            {
                // A(k) = (X(k) + conj X(−k)) / 2, B(k) = (X(k) − conj X(−k)) / 2i.
                var (u, v) = Band[k];
                var index = BlockFft.Position(u, v);
                var mirror = BlockFft.Position(-u, -v);
                var (xr, xi, mr, mi) = ((double)spectrumRe[index], (double)spectrumIm[index], (double)spectrumRe[mirror], (double)spectrumIm[mirror]);
                firstBand[k] = new Complex(0.5 * (xr + mr), 0.5 * (xi - mi));
                secondBand[k] = new Complex(0.5 * (xi + mi), 0.5 * (mr - xr));
            }

            return (firstBand, secondBand);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(re);
            ArrayPool<float>.Shared.Return(im);
            ArrayPool<float>.Shared.Return(spectrumRe);
            ArrayPool<float>.Shared.Return(spectrumIm);
        }
    }

    /// <summary>The array index of frequency (u, v) in a row-major <see cref="TilePeriod"/>² spectrum.</summary>
    public static int Index(int u, int v) => ((v + TilePeriod) % TilePeriod) * TilePeriod + (u + TilePeriod) % TilePeriod;

    private double ChipSign(ReadOnlySpan<bool> codeword, int chip)
    {
        var bit = ChipBits[chip];
        return codeword[bit] ^ Scramble[bit] ? -1 : 1;
    }

    private static (int U, int V)[] BuildBand()
    {
        var band = new List<(int U, int V)>();
        var limit = (int)Math.Ceiling(MaxRadius);
        for (var v = 0; v <= limit; v++)
        {
            for (var u = -limit; u <= limit; u++)
            {
                if (v == 0 && u <= 0)
                {
                    continue;
                }

                var radius = Math.Sqrt(u * u + v * v);
                // Multiples of 8 cycles per tile are the 8-pixel JPEG block grid: blocking artefacts land there.
                if (radius >= MinRadius && radius <= MaxRadius && !(u % 8 == 0 && v % 8 == 0))
                {
                    band.Add((u, v));
                }
            }
        }

        return [.. band];
    }
}
