using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// An in-place radix-2 complex FFT (unnormalised in both directions). The forward transform uses
/// e^(-2πi·k·n/N); the inverse e^(+2πi·k·n/N) without the 1/N factor.
/// </summary>
/// <remarks>
/// The twiddles and the bit-reversal permutation are computed once per length and cached, and the butterflies
/// run on whole rows with SIMD vectors (the whitening's many 64 × 64 blocks have their own transform, <see cref="BlockFft"/>). The
/// arithmetic (no fused multiply-adds), and so every result, is the same as the scalar textbook version's.
/// </remarks>
internal static class Fft
{
    private static readonly ConcurrentDictionary<(int Length, bool Inverse), Plan> Plans = new();

    public static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;

    public static int NextPowerOfTwo(int n)
    {
        var p = 1;
        while (p < n)
        {
            p <<= 1;
        }

        return p;
    }

    /// <summary>A 2-D transform of a <paramref name="width"/> × <paramref name="height"/> row-major array; both sides powers of two.</summary>
    /// <remarks>
    /// Rows first, then columns. Both passes run as column transforms whose butterflies combine whole rows at a
    /// time, so they vectorise along the row (the row pass on the transposed array); every element still goes
    /// through the same operations in the same order as a one-dimensional transform of its row or column.
    /// </remarks>
    public static void Transform2D(double[] re, double[] im, int width, int height, bool inverse)
    {
        var (rowPlan, columnPlan) = (GetPlan(width, inverse), GetPlan(height, inverse));
        Transform2D(re, im, width, height, (rowPlan.Cos, rowPlan.Sin, rowPlan.Swaps), (columnPlan.Cos, columnPlan.Sin, columnPlan.Swaps));
    }

    /// <summary>
    /// <see cref="Transform2D(double[], double[], int, int, bool)"/> in single precision (twiddles rounded from the double
    /// ones): twice the lanes per vector and half the memory, for callers that only rank magnitudes (the grid search).
    /// </summary>
    public static void Transform2D(float[] re, float[] im, int width, int height, bool inverse)
    {
        var (rowPlan, columnPlan) = (GetPlan(width, inverse), GetPlan(height, inverse));
        Transform2D(re, im, width, height, (rowPlan.CosSingle, rowPlan.SinSingle, rowPlan.Swaps), (columnPlan.CosSingle, columnPlan.SinSingle, columnPlan.Swaps));
    }

    private static void Transform2D<T>(T[] re, T[] im, int width, int height, (T[] Cos, T[] Sin, int[] Swaps) rowPlan, (T[] Cos, T[] Sin, int[] Swaps) columnPlan)
        where T : unmanaged, INumber<T>
    {
        var n = width * height;
        var scratchRe = ArrayPool<T>.Shared.Rent(n);
        var scratchIm = ArrayPool<T>.Shared.Rent(n);
        try
        {
            Transpose(re, scratchRe, width, height);
            Transpose(im, scratchIm, width, height);
            TransformColumns(scratchRe, scratchIm, height, width, rowPlan.Cos, rowPlan.Sin, rowPlan.Swaps);
            Transpose(scratchRe, re, height, width);
            Transpose(scratchIm, im, height, width);
            TransformColumns(re, im, width, height, columnPlan.Cos, columnPlan.Sin, columnPlan.Swaps);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratchRe);
            ArrayPool<T>.Shared.Return(scratchIm);
        }
    }

    /// <summary>Writes the transpose of the <paramref name="width"/> × <paramref name="height"/> array <paramref name="source"/> to <paramref name="target"/>.</summary>
    private static void Transpose<T>(T[] source, T[] target, int width, int height)
    {
        if (typeof(T) == typeof(float) && TileTranspose.IsSupported && width % 8 == 0 && height % 8 == 0)
        {
            TransposeTiles((float[])(object)source, (float[])(object)target, width, height);
            return;
        }

        for (var y = 0; y < height; y++)
        {
            var row = source.AsSpan(y * width, width);
            for (var x = 0; x < width; x++)
            {
                target[x * height + y] = row[x];
            }
        }
    }

    /// <summary><see cref="Transpose{T}"/> of single-precision values, 8 × 8 tiles at a time in registers.</summary>
    private static void TransposeTiles(float[] source, float[] target, int width, int height)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(source);
        ref var t = ref MemoryMarshal.GetArrayDataReference(target);
        for (var y0 = 0; y0 < height; y0 += 8)
        {
            for (var x0 = 0; x0 < width; x0 += 8)
            {
                TileTranspose.Transpose8(ref Unsafe.Add(ref s, y0 * width + x0), width, ref Unsafe.Add(ref t, x0 * height + y0), height);
            }
        }
    }

    /// <summary>Transforms every column of a <paramref name="width"/> × <paramref name="height"/> array; a butterfly combines two rows.</summary>
    private static void TransformColumns<T>(T[] re, T[] im, int width, int height, T[] cos, T[] sin, int[] swaps)
        where T : unmanaged, INumber<T>
    {
        for (var s = 0; s < swaps.Length; s += 2)
        {
            SwapRows(re, swaps[s], swaps[s + 1], width);
            SwapRows(im, swaps[s], swaps[s + 1], width);
        }

        var lanes = Vector<T>.Count;
        var vectorEnd = width - width % lanes;
        for (var length = 2; length <= height; length <<= 1)
        {
            var half = length >> 1;
            var stride = height / length;
            for (var start = 0; start < height; start += length)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = cos[k * stride];
                    var wi = sin[k * stride];
                    var a = (start + k) * width;
                    var b = a + half * width;
                    var reA = re.AsSpan(a, width);
                    var imA = im.AsSpan(a, width);
                    var reB = re.AsSpan(b, width);
                    var imB = im.AsSpan(b, width);
                    var vwr = new Vector<T>(wr);
                    var vwi = new Vector<T>(wi);
                    var x = 0;
                    for (; x < vectorEnd; x += lanes)
                    {
                        var ra = new Vector<T>(reA[x..]);
                        var ia = new Vector<T>(imA[x..]);
                        var rb = new Vector<T>(reB[x..]);
                        var ib = new Vector<T>(imB[x..]);
                        var vr = rb * vwr - ib * vwi;
                        var vi = rb * vwi + ib * vwr;
                        (ra - vr).CopyTo(reB[x..]);
                        (ia - vi).CopyTo(imB[x..]);
                        (ra + vr).CopyTo(reA[x..]);
                        (ia + vi).CopyTo(imA[x..]);
                    }

                    for (; x < width; x++)
                    {
                        var vr = reB[x] * wr - imB[x] * wi;
                        var vi = reB[x] * wi + imB[x] * wr;
                        reB[x] = reA[x] - vr;
                        imB[x] = imA[x] - vi;
                        reA[x] += vr;
                        imA[x] += vi;
                    }
                }
            }
        }
    }

    private static void SwapRows<T>(T[] values, int i, int j, int width)
    {
        var rowI = values.AsSpan(i * width, width);
        var rowJ = values.AsSpan(j * width, width);
        for (var x = 0; x < width; x++)
        {
            (rowI[x], rowJ[x]) = (rowJ[x], rowI[x]);
        }
    }

    private static Plan GetPlan(int n, bool inverse) => Plans.GetOrAdd((n, inverse), static key => Plan.Create(key.Length, key.Inverse));

    /// <summary>The twiddles of one length and direction, and its bit-reversal permutation as pairs to swap.</summary>
    private sealed record Plan(double[] Cos, double[] Sin, int[] Swaps)
    {
        /// <summary>The twiddles rounded to single precision, for the single-precision transform.</summary>
        public float[] CosSingle { get; } = Array.ConvertAll(Cos, c => (float)c);

        /// <summary>The sines rounded to single precision.</summary>
        public float[] SinSingle { get; } = Array.ConvertAll(Sin, c => (float)c);

        public static Plan Create(int n, bool inverse)
        {
            var cos = new double[Math.Max(1, n / 2)];
            var sin = new double[cos.Length];
            var sign = inverse ? 1.0 : -1.0;
            for (var k = 0; k < n / 2; k++)
            {
                var angle = 2 * Math.PI * k / n;
                cos[k] = Math.Cos(angle);
                sin[k] = sign * Math.Sin(angle);
            }

            var swaps = new List<int>();
            for (int i = 1, j = 0; i < n; i++)
            {
                var bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1)
                {
                    j ^= bit;
                }

                j ^= bit;
                if (i < j)
                {
                    swaps.Add(i);
                    swaps.Add(j);
                }
            }

            return new Plan(cos, sin, swaps.ToArray());
        }
    }
}
