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
    private const int Block = 64;
    private const int Hop = Block / 2;
    private const double FloorFraction = 0.1;

    private static readonly float[] Window = BuildWindow();

    /// <summary>The whitened copy of <paramref name="plane"/> (same size).</summary>
    public static LumaPlane Apply(LumaPlane plane) => Apply(plane, null).First;

    /// <summary>
    /// The whitened copies of <paramref name="first"/> and, when given, <paramref name="second"/> (same size as the first).
    /// Two real blocks go through one complex transform (the first as real part, the second as imaginary part), so
    /// whitening two planes costs about as much as one; a single plane is paired with itself shifted by a block.
    /// </summary>
    public static (LumaPlane First, LumaPlane? Second) Apply(LumaPlane first, LumaPlane? second)
    {
        var width = first.Width;
        var height = first.Height;
        var outFirst = new float[width * height];
        var outSecond = second is null ? null : new float[width * height];
        var re = new float[Block * Block];
        var im = new float[Block * Block];
        var magnitudeA = new float[Block * Block];
        var magnitudeB = new float[Block * Block];
        for (var by = -Hop; by < height; by += Hop)
        {
            for (var bx = -Hop; bx < width; bx += second is null ? 2 * Hop : Hop)
            {
                // With one plane, the imaginary part carries the next block along the row.
                var (otherPlane, otherX) = second is null ? (first, bx + Hop) : (second, bx);
                var hasOther = second is not null || otherX < width;
                Load(first, bx, by, re);
                if (hasOther)
                {
                    Load(otherPlane, otherX, by, im);
                }
                else
                {
                    Array.Clear(im);
                }

                Fft.Transform2D(re, im, Block, Block, inverse: false);
                WhitenPair(re, im, magnitudeA, magnitudeB);
                Fft.Transform2D(re, im, Block, Block, inverse: true);
                Store(re, bx, by, width, height, outFirst);
                if (hasOther)
                {
                    Store(im, otherX, by, width, height, outSecond ?? outFirst);
                }
            }
        }

        return (new LumaPlane(width, height, outFirst), outSecond is null ? null : new LumaPlane(width, height, outSecond));
    }

    private static void Load(LumaPlane plane, int bx, int by, float[] target)
    {
        var values = plane.Values;
        if (bx >= 0 && by >= 0 && bx + Block <= plane.Width && by + Block <= plane.Height)
        {
            // Inside the plane (most blocks): no bounds logic.
            for (var y = 0; y < Block; y++)
            {
                var row = values.AsSpan((by + y) * plane.Width + bx, Block);
                var wy = Window[y];
                var target0 = y * Block;
                for (var x = 0; x < Block; x++)
                {
                    target[target0 + x] = row[x] * wy * Window[x];
                }
            }

            return;
        }

        for (var y = 0; y < Block; y++)
        {
            var py = by + y;
            for (var x = 0; x < Block; x++)
            {
                var px = bx + x;
                var inside = py >= 0 && py < plane.Height && px >= 0 && px < plane.Width;
                target[y * Block + x] = inside ? values[py * plane.Width + px] * Window[y] * Window[x] : 0;
            }
        }
    }

    private static void Store(float[] source, int bx, int by, int width, int height, float[] output)
    {
        const float inverseScale = 1f / (Block * Block);
        if (bx >= 0 && by >= 0 && bx + Block <= width && by + Block <= height)
        {
            // Inside the plane (most blocks): no bounds logic.
            for (var y = 0; y < Block; y++)
            {
                var row = output.AsSpan((by + y) * width + bx, Block);
                var wy = Window[y];
                var source0 = y * Block;
                for (var x = 0; x < Block; x++)
                {
                    row[x] += source[source0 + x] * inverseScale * wy * Window[x];
                }
            }

            return;
        }

        for (var y = Math.Max(0, -by); y < Block && by + y < height; y++)
        {
            var row = (by + y) * width;
            for (var x = Math.Max(0, -bx); x < Block && bx + x < width; x++)
            {
                output[row + bx + x] += source[y * Block + x] * inverseScale * Window[y] * Window[x];
            }
        }
    }

    /// <summary>
    /// Given X = A + iB (the transform of two real blocks a + ib), replaces it by A' + iB', where each spectrum is
    /// divided by its own magnitude floored at <see cref="FloorFraction"/> of its mean: its inverse is a' + ib'.
    /// </summary>
    /// <remarks>The magnitudes are computed once, in <paramref name="magnitudeA"/> and <paramref name="magnitudeB"/> (scratch).</remarks>
    private static void WhitenPair(float[] re, float[] im, float[] magnitudeA, float[] magnitudeB)
    {
        const int M = Block - 1;
        // |A(−k)| = |A(k)| exactly (the same sums, one sign flipped), so each pair's magnitudes are computed once;
        // the means are then summed in index order, as before.
        for (var v = 0; v < Block; v++)
        {
            for (var u = 0; u < Block; u++)
            {
                var i = v * Block + u;
                var j = ((Block - v) & M) * Block + ((Block - u) & M);
                if (j < i)
                {
                    continue;
                }

                // A = (X(k) + conj X(−k)) / 2, B = (X(k) − conj X(−k)) / 2i.
                var aRe = 0.5f * (re[i] + re[j]);
                var aIm = 0.5f * (im[i] - im[j]);
                var bRe = 0.5f * (im[i] + im[j]);
                var bIm = -0.5f * (re[i] - re[j]);
                var a = MathF.Sqrt(aRe * aRe + aIm * aIm);
                var b = MathF.Sqrt(bRe * bRe + bIm * bIm);
                magnitudeA[i] = a;
                magnitudeB[i] = b;
                magnitudeA[j] = a;
                magnitudeB[j] = b;
            }
        }

        var meanA = 0.0;
        var meanB = 0.0;
        for (var i = 0; i < Block * Block; i++)
        {
            meanA += magnitudeA[i];
            meanB += magnitudeB[i];
        }

        var floorA = (float)(FloorFraction * meanA / (Block * Block) + 1e-9);
        var floorB = (float)(FloorFraction * meanB / (Block * Block) + 1e-9);

        // Each pair (k, −k) is read before either is written.
        for (var v = 0; v < Block; v++)
        {
            for (var u = 0; u < Block; u++)
            {
                var i = v * Block + u;
                var j = ((Block - v) & M) * Block + ((Block - u) & M);
                if (j < i)
                {
                    continue;
                }

                var aRe = 0.5f * (re[i] + re[j]);
                var aIm = 0.5f * (im[i] - im[j]);
                var bRe = 0.5f * (im[i] + im[j]);
                var bIm = -0.5f * (re[i] - re[j]);
                var na = 1 / (magnitudeA[i] + floorA);
                var nb = 1 / (magnitudeB[i] + floorB);
                aRe *= na;
                aIm *= na;
                bRe *= nb;
                bIm *= nb;

                // Y(k) = A'(k) + i B'(k); Y(−k) = conj A'(k) + i conj B'(k).
                re[i] = aRe - bIm;
                im[i] = aIm + bRe;
                re[j] = aRe + bIm;
                im[j] = -aIm + bRe;
            }
        }
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
