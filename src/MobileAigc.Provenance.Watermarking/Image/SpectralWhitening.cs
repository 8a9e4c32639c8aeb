using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>The rows of <see cref="BlockFft"/>'s layout up to their mirror (<see cref="BlockFft.MirrorRow"/>): 33 of the 64, two of them their own mirror.</summary>
    private static readonly int[] RowsUpToMirror = Enumerable.Range(0, Block).Where(row => row <= BlockFft.MirrorRow(row)).ToArray();

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

    /// <summary>target[x] = a[x] · b[x] for every x of <paramref name="a"/> (through references: a block's rows are short, and slicing spans per vector cost as much as the arithmetic).</summary>
    private static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target)
    {
        var length = a.Length;
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b[..length]);
        ref var output = ref MemoryMarshal.GetReference(target[..length]);
        var x = 0;
        for (; x <= length - Vector<float>.Count; x += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref left, (nuint)x) * Vector.LoadUnsafe(ref right, (nuint)x)).StoreUnsafe(ref output, (nuint)x);
        }

        for (; x < length; x++)
        {
            Unsafe.Add(ref output, x) = Unsafe.Add(ref left, x) * Unsafe.Add(ref right, x);
        }
    }

    /// <summary>target[x] += a[x] · b[x] for every x of <paramref name="a"/>, as <see cref="Multiply"/>.</summary>
    private static void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> target)
    {
        var length = a.Length;
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b[..length]);
        ref var output = ref MemoryMarshal.GetReference(target[..length]);
        var x = 0;
        for (; x <= length - Vector<float>.Count; x += Vector<float>.Count)
        {
            (Vector.LoadUnsafe(ref output, (nuint)x) + Vector.LoadUnsafe(ref left, (nuint)x) * Vector.LoadUnsafe(ref right, (nuint)x)).StoreUnsafe(ref output, (nuint)x);
        }

        for (; x < length; x++)
        {
            Unsafe.Add(ref output, x) += Unsafe.Add(ref left, x) * Unsafe.Add(ref right, x);
        }
    }

    /// <summary>
    /// Given X = A + iB (the transform of two real blocks a + ib, in <see cref="BlockFft"/>'s layout), replaces it by
    /// A' + iB', where each spectrum is divided by its own magnitude floored at <see cref="FloorFraction"/> of its
    /// mean: its inverse is a' + ib'.
    /// </summary>
    /// <remarks>
    /// Every frequency is computed from X(k) and X(−k), in whole vectors: A(k) = (X(k) + conj X(−k)) / 2,
    /// B(k) = (X(k) − conj X(−k)) / 2i. A row and its mirror (<see cref="BlockFft.MirrorRow"/>) hold opposite frequencies,
    /// and the parts of A(−k) and B(−k) are those of A(k) and B(k), one of each negated, bit for bit: so the pair is
    /// computed from the row up to its mirror (<see cref="RowsUpToMirror"/>), the mirror row's magnitudes and results
    /// copied from it (<see cref="BlockFft.CopyMirroredRow"/>) with the very values computing them would give. The block's
    /// working set then stays small (two rows at a time and half the magnitudes), which is what the whitening is bound by.
    /// </remarks>
    private static void WhitenPair(Scratch scratch)
    {
        var (re, im) = (scratch.SpectrumRe, scratch.SpectrumIm);
        var (magnitudeA, magnitudeB) = (scratch.MagnitudeA, scratch.MagnitudeB);
        var (oppositeRe, oppositeIm) = (scratch.OppositeRe, scratch.OppositeIm);
        var half = new Vector<float>(0.5f);
        foreach (var row in RowsUpToMirror)
        {
            LoadOpposite(re, im, row, oppositeRe, oppositeIm);
            for (var c = 0; c < Block; c += Vector<float>.Count)
            {
                var i = row * Block + c;
                var (aRe, aIm, bRe, bIm) = Split(re, im, i, oppositeRe, oppositeIm, c, half);
                Vector.SquareRoot(aRe * aRe + aIm * aIm).CopyTo(magnitudeA, i);
                Vector.SquareRoot(bRe * bRe + bIm * bIm).CopyTo(magnitudeB, i);
            }
        }

        var (sumA, sumB) = (Sum(magnitudeA, scratch.OppositeRe), Sum(magnitudeB, scratch.OppositeRe));
        var floorA = new Vector<float>((float)(FloorFraction * sumA / (Block * Block) + 1e-9));
        var floorB = new Vector<float>((float)(FloorFraction * sumB / (Block * Block) + 1e-9));
        foreach (var row in RowsUpToMirror)
        {
            LoadOpposite(re, im, row, oppositeRe, oppositeIm);
            for (var c = 0; c < Block; c += Vector<float>.Count)
            {
                var i = row * Block + c;
                var (aRe, aIm, bRe, bIm) = Split(re, im, i, oppositeRe, oppositeIm, c, half);
                var na = Vector<float>.One / (new Vector<float>(magnitudeA, i) + floorA);
                var nb = Vector<float>.One / (new Vector<float>(magnitudeB, i) + floorB);

                // Y(k) = A'(k) + i B'(k), and Y(−k) = conj A'(k) + i conj B'(k) (in place of X(−k), read above).
                (aRe * na - bIm * nb).CopyTo(re, i);
                (aIm * na + bRe * nb).CopyTo(im, i);
                (aRe * na + bIm * nb).CopyTo(oppositeRe, c);
                (bRe * nb - aIm * na).CopyTo(oppositeIm, c);
            }

            var mirror = BlockFft.MirrorRow(row);
            if (mirror != row)
            {
                BlockFft.CopyMirroredRow(oppositeRe, re.AsSpan(mirror * Block, Block));
                BlockFft.CopyMirroredRow(oppositeIm, im.AsSpan(mirror * Block, Block));
            }
        }
    }

    /// <summary>X(−k) for the frequencies k of row <paramref name="row"/>, in that row's order: its mirror row, mirrored.</summary>
    private static void LoadOpposite(float[] re, float[] im, int row, float[] oppositeRe, float[] oppositeIm)
    {
        var mirror = BlockFft.MirrorRow(row) * Block;
        BlockFft.CopyMirroredRow(re.AsSpan(mirror, Block), oppositeRe);
        BlockFft.CopyMirroredRow(im.AsSpan(mirror, Block), oppositeIm);
    }

    /// <summary>
    /// The sum of a block's magnitudes, of which only the rows up to their mirror are filled in: summed vector by vector in
    /// position order, the mirror rows mirrored from theirs into <paramref name="row"/> (<see cref="Block"/> values) on the way.
    /// </summary>
    private static float Sum(float[] magnitudes, float[] row)
    {
        var sum = Vector<float>.Zero;
        for (var r = 0; r < Block; r++)
        {
            var mirror = BlockFft.MirrorRow(r);
            var values = magnitudes.AsSpan(r * Block, Block);
            if (mirror < r)
            {
                BlockFft.CopyMirroredRow(magnitudes.AsSpan(mirror * Block, Block), row);
                values = row;
            }

            for (var c = 0; c < Block; c += Vector<float>.Count)
            {
                sum += new Vector<float>(values[c..]);
            }
        }

        return Vector.Sum(sum);
    }

    private static (Vector<float> ARe, Vector<float> AIm, Vector<float> BRe, Vector<float> BIm) Split(
        float[] re, float[] im, int i, float[] oppositeRe, float[] oppositeIm, int c, Vector<float> half)
    {
        var xRe = new Vector<float>(re, i);
        var xIm = new Vector<float>(im, i);
        var mRe = new Vector<float>(oppositeRe, c);
        var mIm = new Vector<float>(oppositeIm, c);
        return (half * (xRe + mRe), half * (xIm - mIm), half * (xIm + mIm), half * (mRe - xRe));
    }

    /// <summary>The per-block buffers (one set per call, so the whitening stays thread-safe).</summary>
    private sealed class Scratch
    {
        public float[] Re { get; } = new float[Block * Block];

        public float[] Im { get; } = new float[Block * Block];

        public float[] SpectrumRe { get; } = new float[Block * Block];

        public float[] SpectrumIm { get; } = new float[Block * Block];

        public float[] MagnitudeA { get; } = new float[Block * Block];

        public float[] MagnitudeB { get; } = new float[Block * Block];

        /// <summary>One row's opposite frequencies X(−k) (then the whitened Y(−k)), real parts.</summary>
        public float[] OppositeRe { get; } = new float[Block];

        /// <summary>One row's opposite frequencies, imaginary parts.</summary>
        public float[] OppositeIm { get; } = new float[Block];
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
