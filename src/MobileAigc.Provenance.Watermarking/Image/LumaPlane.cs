using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>A single-channel float plane (luma or a filtered version of it) and the box filters the watermark needs.</summary>
internal sealed class LumaPlane
{
    public LumaPlane(int width, int height)
        : this(width, height, new float[width * height])
    {
    }

    /// <summary>A plane over <paramref name="values"/>, row-major; the array may be longer than <paramref name="width"/> × <paramref name="height"/> (a pooled buffer).</summary>
    public LumaPlane(int width, int height, float[] values)
    {
        Width = width;
        Height = height;
        Values = values;
    }

    /// <summary>
    /// A plane whose values come from the shared array pool, not cleared: for the whole-plane intermediates of one call,
    /// which would otherwise land on the large-object heap at every call. Give it back with <see cref="Return"/>.
    /// </summary>
    public static LumaPlane Rent(int width, int height) => new(width, height, ArrayPool<float>.Shared.Rent(width * height));

    /// <summary>Gives the values of a plane from <see cref="Rent"/> back to the pool; the plane must not be used afterwards.</summary>
    public void Return() => ArrayPool<float>.Shared.Return(Values);

    public int Width { get; }

    public int Height { get; }

    public float[] Values { get; }

    /// <summary>BT.601 luma of <paramref name="image"/>, averaged over <paramref name="factor"/> × <paramref name="factor"/> blocks.</summary>
    public static LumaPlane FromImage(RgbImage image, int factor = 1) =>
        FromImage(image, factor, new LumaPlane(image.Width / factor, image.Height / factor));

    /// <summary><see cref="FromImage(RgbImage, int)"/> into <paramref name="plane"/> (<paramref name="image"/>'s size divided by <paramref name="factor"/>).</summary>
    public static LumaPlane FromImage(RgbImage image, int factor, LumaPlane plane)
    {
        var width = image.Width / factor;
        var height = image.Height / factor;
        var rgb = image.Pixels;
        var luma = plane.Values;
        if (factor == 1)
        {
            RgbLuma.Convert(rgb, luma.AsSpan(0, width * height));
            return plane;
        }

        var scale = 1f / (factor * factor);
        if (factor == 2)
        {
            // Every picture from about 768 to 1,279 pixels on the short side (1 MP among them): the same sums in the
            // same order as below, without the inner loops' overhead.
            for (var y = 0; y < height; y++)
            {
                var top = 6 * y * image.Width;
                var bottom = top + 3 * image.Width;
                for (var x = 0; x < width; x++, top += 6, bottom += 6)
                {
                    var sum = 0f;
                    sum += 0.299f * rgb[top] + 0.587f * rgb[top + 1] + 0.114f * rgb[top + 2];
                    sum += 0.299f * rgb[top + 3] + 0.587f * rgb[top + 4] + 0.114f * rgb[top + 5];
                    sum += 0.299f * rgb[bottom] + 0.587f * rgb[bottom + 1] + 0.114f * rgb[bottom + 2];
                    sum += 0.299f * rgb[bottom + 3] + 0.587f * rgb[bottom + 4] + 0.114f * rgb[bottom + 5];
                    luma[y * width + x] = sum * scale;
                }
            }

            return plane;
        }

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var dy = 0; dy < factor; dy++)
                {
                    var j = 3 * ((y * factor + dy) * image.Width + x * factor);
                    for (var dx = 0; dx < factor; dx++, j += 3)
                    {
                        sum += 0.299f * rgb[j] + 0.587f * rgb[j + 1] + 0.114f * rgb[j + 2];
                    }
                }

                luma[y * width + x] = sum * scale;
            }
        }

        return plane;
    }

    /// <summary>This plane averaged over <paramref name="factor"/> × <paramref name="factor"/> blocks (as <see cref="FromImage(RgbImage, int)"/> does), into <paramref name="plane"/>.</summary>
    public LumaPlane Downsample(int factor, LumaPlane plane)
    {
        var width = Width / factor;
        var height = Height / factor;
        var scale = 1f / (factor * factor);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var sum = 0f;
                for (var dy = 0; dy < factor; dy++)
                {
                    var row = (y * factor + dy) * Width + x * factor;
                    for (var dx = 0; dx < factor; dx++)
                    {
                        sum += Values[row + dx];
                    }
                }

                plane.Values[y * width + x] = sum * scale;
            }
        }

        return plane;
    }

    /// <summary>
    /// This plane resampled bilinearly to <paramref name="plane"/>'s size (pixel centres aligned, edges clamped), into
    /// <paramref name="plane"/>: the reader's enlargement of thumbnails.
    /// </summary>
    public LumaPlane Resample(LumaPlane plane)
    {
        var (sx, sy) = (Width / (double)plane.Width, Height / (double)plane.Height);
        var x0 = new int[plane.Width];
        var x1 = new int[plane.Width];
        var fx = new float[plane.Width];
        for (var x = 0; x < plane.Width; x++)
        {
            var source = Math.Clamp((x + 0.5) * sx - 0.5, 0, Width - 1);
            x0[x] = (int)source;
            x1[x] = Math.Min(x0[x] + 1, Width - 1);
            fx[x] = (float)(source - x0[x]);
        }

        for (var y = 0; y < plane.Height; y++)
        {
            var source = Math.Clamp((y + 0.5) * sy - 0.5, 0, Height - 1);
            var top = (int)source * Width;
            var bottom = Math.Min((int)source + 1, Height - 1) * Width;
            var fy = (float)(source - (int)source);
            var row = y * plane.Width;
            for (var x = 0; x < plane.Width; x++)
            {
                var upper = Values[top + x0[x]] + (Values[top + x1[x]] - Values[top + x0[x]]) * fx[x];
                var lower = Values[bottom + x0[x]] + (Values[bottom + x1[x]] - Values[bottom + x0[x]]) * fx[x];
                plane.Values[row + x] = upper + (lower - upper) * fy;
            }
        }

        return plane;
    }

    /// <summary>A box mean of side 2·<paramref name="radius"/>+1, edges clamped; applied <paramref name="passes"/> times (3 ≈ Gaussian).</summary>
    public LumaPlane BoxBlur(int radius, int passes = 1)
    {
        var result = new float[Values.Length];
        BoxBlur(result, radius, passes);
        return new LumaPlane(Width, Height, result);
    }

    /// <summary>
    /// <see cref="BoxBlur(int, int)"/> into <paramref name="result"/> (at least <see cref="Width"/> × <see cref="Height"/>
    /// long), with the intermediate buffer pooled: whole-plane float arrays land on the large-object heap, whose
    /// collections cost more than the blur itself.
    /// </summary>
    public void BoxBlur(float[] result, int radius, int passes = 1)
    {
        var source = Values;
        var scratch = ArrayPool<float>.Shared.Rent(Values.Length);
        try
        {
            for (var pass = 0; pass < passes; pass++)
            {
                BlurRows(source, scratch, Width, Height, radius);
                BlurColumns(scratch, result, Width, Height, radius);
                source = result;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    private static void BlurRows(float[] source, float[] target, int width, int height, int radius)
    {
        // A row's running sum is one long chain of dependent additions: eight rows at a time in the lanes of a vector
        // (with AVX), else four rows interleaved, each with the same arithmetic in the same order as alone.
        var y = 0;
        if (TileTranspose.IsSupported && width >= 8)
        {
            var band = ArrayPool<float>.Shared.Rent(8 * width);
            var blurred = ArrayPool<float>.Shared.Rent(8 * width);
            try
            {
                for (; y + 8 <= height; y += 8)
                {
                    BlurEightRows(source, target, y * width, width, radius, band, blurred);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(band);
                ArrayPool<float>.Shared.Return(blurred);
            }
        }

        for (; y + 4 <= height; y += 4)
        {
            BlurFourRows(source, target, y * width, width, radius);
        }

        for (; y < height; y++)
        {
            BlurRow(source.AsSpan(y * width, width), target.AsSpan(y * width, width), radius);
        }
    }

    private static void BlurRow(ReadOnlySpan<float> row, Span<float> output, int radius)
    {
        var norm = 1f / (2 * radius + 1);
        var width = row.Length;
        var last = width - 1;
        var sum = 0f;
        for (var i = -radius; i <= radius; i++)
        {
            sum += row[Math.Clamp(i, 0, last)];
        }

        // Edges clamp; the interior (both window ends inside the row) needs no bounds logic.
        var interiorStart = Math.Min(radius, width);
        var interiorEnd = Math.Max(interiorStart, width - radius - 1);
        var x = 0;
        for (; x < interiorStart; x++)
        {
            output[x] = sum * norm;
            sum += row[Math.Min(x + radius + 1, last)] - row[0];
        }

        for (; x < interiorEnd; x++)
        {
            output[x] = sum * norm;
            sum += row[x + radius + 1] - row[x - radius];
        }

        for (; x < width; x++)
        {
            output[x] = sum * norm;
            sum += row[Math.Min(x + radius + 1, last)] - row[Math.Max(x - radius, 0)];
        }
    }

    /// <summary>
    /// <see cref="BlurRow"/> of the eight rows starting at <paramref name="start"/>: transposed in 8 × 8 tiles into
    /// <paramref name="band"/> (one vector of the eight rows' values per column, small enough to stay in cache), blurred one
    /// vector per column into <paramref name="blurred"/>, and transposed back. Only when <see cref="TileTranspose.IsSupported"/>.
    /// </summary>
    private static void BlurEightRows(float[] source, float[] target, int start, int width, int radius, float[] band, float[] blurred)
    {
        var tiled = width - width % 8;
        ref var sourceRef = ref MemoryMarshal.GetArrayDataReference(source);
        ref var targetRef = ref MemoryMarshal.GetArrayDataReference(target);
        ref var bandRef = ref MemoryMarshal.GetArrayDataReference(band);
        ref var blurredRef = ref MemoryMarshal.GetArrayDataReference(blurred);
        for (var x = 0; x < tiled; x += 8)
        {
            TileTranspose.Transpose8(ref Unsafe.Add(ref sourceRef, start + x), width, ref Unsafe.Add(ref bandRef, 8 * x), 8);
        }

        for (var x = tiled; x < width; x++)
        {
            for (var r = 0; r < 8; r++)
            {
                band[8 * x + r] = source[start + r * width + x];
            }
        }

        var norm = Vector256.Create(1f / (2 * radius + 1));
        var last = width - 1;
        var sum = Vector256<float>.Zero;
        for (var i = -radius; i <= radius; i++)
        {
            sum += Vector256.LoadUnsafe(ref bandRef, (nuint)(8 * Math.Clamp(i, 0, last)));
        }

        for (var x = 0; x < width; x++)
        {
            (sum * norm).StoreUnsafe(ref blurredRef, (nuint)(8 * x));
            var (add, remove) = (Math.Min(x + radius + 1, last), Math.Max(x - radius, 0));
            sum += Vector256.LoadUnsafe(ref bandRef, (nuint)(8 * add)) - Vector256.LoadUnsafe(ref bandRef, (nuint)(8 * remove));
        }

        for (var x = 0; x < tiled; x += 8)
        {
            TileTranspose.Transpose8(ref Unsafe.Add(ref blurredRef, 8 * x), 8, ref Unsafe.Add(ref targetRef, start + x), width);
        }

        for (var x = tiled; x < width; x++)
        {
            for (var r = 0; r < 8; r++)
            {
                target[start + r * width + x] = blurred[8 * x + r];
            }
        }
    }

    /// <summary><see cref="BlurRow"/> of the four rows starting at <paramref name="start"/>, interleaved.</summary>
    private static void BlurFourRows(float[] source, float[] target, int start, int width, int radius)
    {
        var norm = 1f / (2 * radius + 1);
        var last = width - 1;
        var (r0, r1, r2, r3) = (start, start + width, start + 2 * width, start + 3 * width);
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (var i = -radius; i <= radius; i++)
        {
            var c = Math.Clamp(i, 0, last);
            s0 += source[r0 + c];
            s1 += source[r1 + c];
            s2 += source[r2 + c];
            s3 += source[r3 + c];
        }

        var interiorStart = Math.Min(radius, width);
        var interiorEnd = Math.Max(interiorStart, width - radius - 1);
        var x = 0;
        for (; x < width; x++)
        {
            if (x == interiorStart)
            {
                // The interior: both window ends inside the row, no clamping.
                for (; x < interiorEnd; x++)
                {
                    target[r0 + x] = s0 * norm;
                    target[r1 + x] = s1 * norm;
                    target[r2 + x] = s2 * norm;
                    target[r3 + x] = s3 * norm;
                    var (add, remove) = (x + radius + 1, x - radius);
                    s0 += source[r0 + add] - source[r0 + remove];
                    s1 += source[r1 + add] - source[r1 + remove];
                    s2 += source[r2 + add] - source[r2 + remove];
                    s3 += source[r3 + add] - source[r3 + remove];
                }

                if (x == width)
                {
                    break;
                }
            }

            target[r0 + x] = s0 * norm;
            target[r1 + x] = s1 * norm;
            target[r2 + x] = s2 * norm;
            target[r3 + x] = s3 * norm;
            var (a, r) = (Math.Min(x + radius + 1, last), Math.Max(x - radius, 0));
            s0 += source[r0 + a] - source[r0 + r];
            s1 += source[r1 + a] - source[r1 + r];
            s2 += source[r2 + a] - source[r2 + r];
            s3 += source[r3 + a] - source[r3 + r];
        }
    }

    private static void BlurColumns(float[] source, float[] target, int width, int height, int radius)
    {
        var norm = 1f / (2 * radius + 1);
        var sums = new float[width];
        for (var i = -radius; i <= radius; i++)
        {
            var row = Math.Clamp(i, 0, height - 1) * width;
            for (var x = 0; x < width; x++)
            {
                sums[x] += source[row + x];
            }
        }

        // Each column's running sum is independent of the others': whole vectors of columns at a time, the same arithmetic per
        // lane, through references (the planes checked once) rather than five bounds checks per vector.
        var lanes = Vector<float>.Count;
        var vectorEnd = width - width % lanes;
        var vectorNorm = new Vector<float>(norm);
        ref var sumsRef = ref MemoryMarshal.GetArrayDataReference(sums);
        ref var sourceRef = ref MemoryMarshal.GetReference(source.AsSpan(0, width * height));
        ref var targetRef = ref MemoryMarshal.GetReference(target.AsSpan(0, width * height));
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            var add = Math.Min(y + radius + 1, height - 1) * width;
            var remove = Math.Max(y - radius, 0) * width;
            for (var x = 0; x < vectorEnd; x += lanes)
            {
                var sum = Vector.LoadUnsafe(ref sumsRef, (nuint)x);
                (sum * vectorNorm).StoreUnsafe(ref targetRef, (nuint)(row + x));
                (sum + (Vector.LoadUnsafe(ref sourceRef, (nuint)(add + x)) - Vector.LoadUnsafe(ref sourceRef, (nuint)(remove + x)))).StoreUnsafe(ref sumsRef, (nuint)x);
            }

            for (var x = vectorEnd; x < width; x++)
            {
                target[row + x] = sums[x] * norm;
                sums[x] += source[add + x] - source[remove + x];
            }
        }
    }
}
