using System.Numerics;
namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Locally flattens the spectrum of a plane: in overlapping 64 × 64 blocks, each frequency is divided by its own
/// magnitude (floored at a tenth of the block's mean magnitude), then the blocks are overlap-added.
/// </summary>
/// <remarks>
/// Picture texture is locally concentrated on a few frequencies (an edge, a stripe pattern, the striations of
/// generated images), so this suppresses it where it is strong; the watermark is spread evenly over many
/// carriers and, in any one block, mostly sits where the picture is quiet, so it passes. On 20 generated
/// pictures this alone raised unattacked recovery of the plain mark from 3 to 19; 32-pixel blocks, or
/// smoothing the magnitude over neighbouring frequencies first, did worse.
/// </remarks>
internal static class SpectralWhitening
{
    private const int Block = BlockFft.Side;
    private const int Hop = Block / 2;
    private const double FloorFraction = 0.1;

    private static readonly float[] Window = BuildWindow();

    /// <summary>The block's analysis window, Window[y] · Window[x], row-major.</summary>
    private static readonly float[] LoadWindow = BuildBlockWindow(1f);

    /// <summary>The synthesis window with the inverse transform's 1/4096 folded in.</summary>
    private static readonly float[] StoreWindow = BuildBlockWindow(1f / (Block * Block));

    /// <summary>Writes the whitened <paramref name="plane"/> to <paramref name="output"/> (same size).</summary>
    public static void Apply(LumaPlane plane, LumaPlane output) => Apply(plane, null, output, null);

    /// <summary>
    /// Writes the whitened <paramref name="first"/> to <paramref name="outFirst"/> and, when given, the whitened
    /// <paramref name="second"/> to <paramref name="outSecond"/> (all the first's size; the outputs' previous values are
    /// ignored, so they may be pooled: see <see cref="Store"/>). Two real blocks go through one complex transform (the first as real part, the
    /// second as imaginary part), so whitening two planes costs about as much as one; a single plane is paired with
    /// itself shifted by a block.
    /// </summary>
    public static void Apply(LumaPlane first, LumaPlane? second, LumaPlane outFirst, LumaPlane? outSecond)
    {
        var width = first.Width;
        var height = first.Height;
        var scratch = new Scratch();
        for (var by = -Hop; by < height; by += Hop)
        {
            for (var bx = -Hop; bx < width; bx += second is null ? 2 * Hop : Hop)
            {
                // With one plane, the imaginary part carries the next block along the row.
                var (otherPlane, otherX) = second is null ? (first, bx + Hop) : (second, bx);
                var hasOther = second is not null || otherX < width;
                Load(first, bx, by, scratch.Re);
                if (hasOther)
                {
                    Load(otherPlane, otherX, by, scratch.Im);
                }
                else
                {
                    Array.Clear(scratch.Im);
                }

                BlockFft.Forward(scratch.Re, scratch.Im, scratch.SpectrumRe, scratch.SpectrumIm);
                WhitenPair(scratch);
                BlockFft.Inverse(scratch.SpectrumRe, scratch.SpectrumIm, scratch.Re, scratch.Im);
                Store(scratch.Re, bx, by, width, height, outFirst.Values);
                if (hasOther)
                {
                    Store(scratch.Im, otherX, by, width, height, (second is null ? outFirst : outSecond!).Values);
                }
            }
        }
    }

    /// <summary>The block at (<paramref name="bx"/>, <paramref name="by"/>) times the analysis window; zero outside the plane.</summary>
    private static void Load(LumaPlane plane, int bx, int by, float[] target)
    {
        var (x0, x1, y0, y1) = Clip(bx, by, plane.Width, plane.Height);
        if (x1 - x0 < Block || y1 - y0 < Block)
        {
            Array.Clear(target);
        }

        for (var y = y0; y < y1; y++)
        {
            var offset = y * Block + x0;
            Multiply(plane.Values.AsSpan((by + y) * plane.Width + bx + x0, x1 - x0), LoadWindow.AsSpan(offset, x1 - x0), target.AsSpan(offset, x1 - x0));
        }
    }

    /// <summary>
    /// Adds the block times the synthesis window to <paramref name="output"/> at (<paramref name="bx"/>, <paramref name="by"/>),
    /// inside the plane only; its bottom-right quadrant is written instead of added to.
    /// </summary>
    /// <remarks>
    /// The blocks go row by row, each a hop right of the last, starting a hop before the plane: the first block to reach a
    /// pixel is the one whose bottom-right quadrant holds it. Writing there (what adding to zero gives) spares clearing
    /// the whole output first, which cost as much as a tenth of the embedder's time.
    /// </remarks>
    private static void Store(float[] source, int bx, int by, int width, int height, float[] output)
    {
        var (x0, x1, y0, y1) = Clip(bx, by, width, height);
        for (var y = y0; y < y1; y++)
        {
            var offset = y * Block + x0;
            var target = output.AsSpan((by + y) * width + bx + x0, x1 - x0);
            var added = y < Hop ? target.Length : Math.Clamp(Hop - x0, 0, target.Length);
            MultiplyAdd(source.AsSpan(offset, added), StoreWindow.AsSpan(offset, added), target[..added]);
            Multiply(source.AsSpan(offset + added, target.Length - added), StoreWindow.AsSpan(offset + added, target.Length - added), target[added..]);
        }
    }

    /// <summary>The part [x0, x1) × [y0, y1), in block coordinates, of the block at (<paramref name="bx"/>, <paramref name="by"/>) that lies inside the plane.</summary>
    private static (int X0, int X1, int Y0, int Y1) Clip(int bx, int by, int width, int height) =>
        (Math.Max(0, -bx), Math.Min(Block, width - bx), Math.Max(0, -by), Math.Min(Block, height - by));

    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target)
    {
        var x = 0;
        for (; x <= a.Length - Vector<float>.Count; x += Vector<float>.Count)
        {
            (new Vector<float>(a[x..]) * new Vector<float>(b[x..])).CopyTo(target[x..]);
        }

        for (; x < a.Length; x++)
        {
            target[x] = a[x] * b[x];
        }
    }

    private static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target)
    {
        var x = 0;
        for (; x <= a.Length - Vector<float>.Count; x += Vector<float>.Count)
        {
            (new Vector<float>(target[x..]) + new Vector<float>(a[x..]) * new Vector<float>(b[x..])).CopyTo(target[x..]);
        }

        for (; x < a.Length; x++)
        {
            target[x] += a[x] * b[x];
        }
    }

    /// <summary>
    /// Given X = A + iB (the transform of two real blocks a + ib, in <see cref="BlockFft"/>'s layout), replaces it by
    /// A' + iB', where each spectrum is divided by its own magnitude floored at <see cref="FloorFraction"/> of its
    /// mean: its inverse is a' + ib'.
    /// </summary>
    /// <remarks>
    /// With X(−k) copied beside X(k) first, every frequency is computed on its own from the two, in whole vectors:
    /// A(k) = (X(k) + conj X(−k)) / 2, B(k) = (X(k) − conj X(−k)) / 2i, and |A(−k)| = |A(k)|.
    /// </remarks>
    private static void WhitenPair(Scratch scratch)
    {
        var (re, im, mirrorRe, mirrorIm) = (scratch.SpectrumRe, scratch.SpectrumIm, scratch.MirrorRe, scratch.MirrorIm);
        BlockFft.CopyMirrored(re, mirrorRe);
        BlockFft.CopyMirrored(im, mirrorIm);

        var half = new Vector<float>(0.5f);
        var sumA = Vector<float>.Zero;
        var sumB = Vector<float>.Zero;
        for (var i = 0; i < re.Length; i += Vector<float>.Count)
        {
            var (aRe, aIm, bRe, bIm) = Split(re, im, mirrorRe, mirrorIm, i, half);
            var a = Vector.SquareRoot(aRe * aRe + aIm * aIm);
            var b = Vector.SquareRoot(bRe * bRe + bIm * bIm);
            a.CopyTo(scratch.MagnitudeA, i);
            b.CopyTo(scratch.MagnitudeB, i);
            sumA += a;
            sumB += b;
        }

        var floorA = new Vector<float>((float)(FloorFraction * Vector.Sum(sumA) / (Block * Block) + 1e-9));
        var floorB = new Vector<float>((float)(FloorFraction * Vector.Sum(sumB) / (Block * Block) + 1e-9));
        for (var i = 0; i < re.Length; i += Vector<float>.Count)
        {
            var (aRe, aIm, bRe, bIm) = Split(re, im, mirrorRe, mirrorIm, i, half);
            var na = Vector<float>.One / (new Vector<float>(scratch.MagnitudeA, i) + floorA);
            var nb = Vector<float>.One / (new Vector<float>(scratch.MagnitudeB, i) + floorB);

            // Y(k) = A'(k) + i B'(k).
            (aRe * na - bIm * nb).CopyTo(re, i);
            (aIm * na + bRe * nb).CopyTo(im, i);
        }
    }

    private static (Vector<float> ARe, Vector<float> AIm, Vector<float> BRe, Vector<float> BIm) Split(
        float[] re, float[] im, float[] mirrorRe, float[] mirrorIm, int i, Vector<float> half)
    {
        var xRe = new Vector<float>(re, i);
        var xIm = new Vector<float>(im, i);
        var mRe = new Vector<float>(mirrorRe, i);
        var mIm = new Vector<float>(mirrorIm, i);
        return (half * (xRe + mRe), half * (xIm - mIm), half * (xIm + mIm), half * (mRe - xRe));
    }

    /// <summary>The per-block buffers (one set per call, so the whitening stays thread-safe).</summary>
    private sealed class Scratch
    {
        public float[] Re { get; } = new float[Block * Block];

        public float[] Im { get; } = new float[Block * Block];

        public float[] SpectrumRe { get; } = new float[Block * Block];

        public float[] SpectrumIm { get; } = new float[Block * Block];

        public float[] MirrorRe { get; } = new float[Block * Block];

        public float[] MirrorIm { get; } = new float[Block * Block];

        public float[] MagnitudeA { get; } = new float[Block * Block];

        public float[] MagnitudeB { get; } = new float[Block * Block];
    }

    private static float[] BuildBlockWindow(float scale)
    {
        var window = new float[Block * Block];
        for (var y = 0; y < Block; y++)
        {
            for (var x = 0; x < Block; x++)
            {
                window[y * Block + x] = scale * Window[y] * Window[x];
            }
        }

        return window;
    }

    /// <summary>A periodic square-root Hann window: its squares, shifted by half a block, sum to 1.</summary>
    private static float[] BuildWindow()
    {
        var window = new float[Block];
        for (var i = 0; i < Block; i++)
        {
            window[i] = (float)Math.Sin(Math.PI * (i + 0.5) / Block);
        }

        return window;
    }
}
