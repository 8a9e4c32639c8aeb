using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Adds a luma pattern to an RGB picture the way the watermark does: per pixel, the pattern times a gain, rounded once,
/// added to R, G and B alike and clamped to a byte; and measures the squared error this leaves over all the bytes.
/// </summary>
/// <remarks>
/// The channels are whole numbers, so rounding the delta once is rounding each sum (but at exact ties). Sixteen pixels
/// (48 bytes) go through 128-bit vectors at a time: their deltas are spread over the interleaved channels with three
/// fixed shuffles, added, clamped and squared in 16-bit lanes. The results are exactly the scalar version's, which
/// handles the remainder and processors without such vectors.
/// </remarks>
internal static class LumaDelta
{
    private const int PixelsPerStep = 16;

    /// <summary>Chunks between two flushes of the 32-bit error sums to 64 bits: 12 squares of at most 255² per lane each.</summary>
    private const int ChunksPerFlush = 256;

    /// <summary>
    /// Writes <paramref name="source"/> plus round(<paramref name="gain"/> × <paramref name="pattern"/>[i]) on each channel
    /// of pixel i, clamped to [0, 255], to <paramref name="marked"/> and returns Σ (marked − source)² over every byte.
    /// </summary>
    /// <param name="source">RGB bytes, 3 per pixel.</param>
    /// <param name="pattern">One value per pixel.</param>
    /// <param name="gain">The factor on the pattern.</param>
    /// <param name="marked">Receives the result; as long as <paramref name="source"/>.</param>
    public static long Add(byte[] source, ReadOnlySpan<float> pattern, float gain, byte[] marked)
    {
        var pixels = pattern.Length;
        var vectorPixels = Vector128.IsHardwareAccelerated ? pixels - pixels % PixelsPerStep : 0;
        var total = vectorPixels > 0 ? AddVectorised(source, pattern[..vectorPixels], gain, marked) : 0L;
        for (int i = vectorPixels, j = 3 * vectorPixels; i < pixels; i++, j += 3)
        {
            var delta = (int)MathF.Round(gain * pattern[i]);
            var r = Math.Clamp(source[j] + delta, 0, 255);
            var g = Math.Clamp(source[j + 1] + delta, 0, 255);
            var b = Math.Clamp(source[j + 2] + delta, 0, 255);
            marked[j] = (byte)r;
            marked[j + 1] = (byte)g;
            marked[j + 2] = (byte)b;
            int e0 = r - source[j], e1 = g - source[j + 1], e2 = b - source[j + 2];
            total += e0 * e0 + e1 * e1 + e2 * e2;
        }

        return total;
    }

    /// <summary><see cref="Add"/> over a whole number of 16-pixel steps.</summary>
    private static long AddVectorised(byte[] source, ReadOnlySpan<float> pattern, float gain, byte[] marked)
    {
        var vectorGain = Vector128.Create(gain);
        var (lowest, highest) = (Vector128.Create(-255), Vector128.Create(255));
        var (zero, full) = (Vector128<short>.Zero, Vector128.Create((short)255));
        ref var patternBase = ref MemoryMarshal.GetReference(pattern);
        ref var sourceBase = ref MemoryMarshal.GetArrayDataReference(source);
        ref var markedBase = ref MemoryMarshal.GetArrayDataReference(marked);
        long total = 0;
        var sums = Vector128<int>.Zero;
        var chunks = 0;
        for (var i = 0; i < pattern.Length; i += PixelsPerStep)
        {
            var first = Deltas(ref patternBase, i, vectorGain, lowest, highest);
            var second = Deltas(ref patternBase, i + 8, vectorGain, lowest, highest);
            var deltas = (Spread0(first), Spread1(first), Spread2(first), Spread0(second), Spread1(second), Spread2(second));
            var offset = (nuint)(3 * i);
            var bytes0 = Vector128.LoadUnsafe(ref sourceBase, offset);
            var bytes1 = Vector128.LoadUnsafe(ref sourceBase, offset + 16);
            var bytes2 = Vector128.LoadUnsafe(ref sourceBase, offset + 32);
            var (out0, sum0) = AddHalves(bytes0, deltas.Item1, deltas.Item2, zero, full);
            var (out1, sum1) = AddHalves(bytes1, deltas.Item3, deltas.Item4, zero, full);
            var (out2, sum2) = AddHalves(bytes2, deltas.Item5, deltas.Item6, zero, full);
            out0.StoreUnsafe(ref markedBase, offset);
            out1.StoreUnsafe(ref markedBase, offset + 16);
            out2.StoreUnsafe(ref markedBase, offset + 32);
            sums += sum0 + sum1 + sum2;
            if (++chunks == ChunksPerFlush)
            {
                total += Vector128.Sum(sums);
                sums = Vector128<int>.Zero;
                chunks = 0;
            }
        }

        return total + Vector128.Sum(sums);
    }

    // Byte j of a step belongs to pixel j / 3: the 48 bytes' deltas are six groups of eight 16-bit lanes, each group
    // taken from the first (pixels 0–7) or second (pixels 8–15) half of the step's deltas. The indices must be
    // constants at the call for the shuffle to compile to one instruction.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Spread0(Vector128<short> deltas) => Vector128.Shuffle(deltas, Vector128.Create((short)0, 0, 0, 1, 1, 1, 2, 2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Spread1(Vector128<short> deltas) => Vector128.Shuffle(deltas, Vector128.Create((short)2, 3, 3, 3, 4, 4, 4, 5));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Spread2(Vector128<short> deltas) => Vector128.Shuffle(deltas, Vector128.Create((short)5, 5, 6, 6, 6, 7, 7, 7));

    /// <summary>Eight pixels' rounded deltas, clamped to ±255 (a larger delta clamps every channel the same way), as 16-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<short> Deltas(ref float patternBase, int i, Vector128<float> gain, Vector128<int> lowest, Vector128<int> highest)
    {
        var low = Vector128.ConvertToInt32(Vector128.Round(gain * Vector128.LoadUnsafe(ref patternBase, (nuint)i)));
        var high = Vector128.ConvertToInt32(Vector128.Round(gain * Vector128.LoadUnsafe(ref patternBase, (nuint)(i + 4))));
        return Vector128.Narrow(Vector128.Clamp(low, lowest, highest), Vector128.Clamp(high, lowest, highest));
    }

    /// <summary>Sixteen bytes plus their deltas (lower and upper eight), clamped to [0, 255]; and the squared changes, summed in pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte> Result, Vector128<int> Squares) AddHalves(
        Vector128<byte> bytes, Vector128<short> lowerDeltas, Vector128<short> upperDeltas, Vector128<short> zero, Vector128<short> full)
    {
        var lower = Vector128.WidenLower(bytes).AsInt16();
        var upper = Vector128.WidenUpper(bytes).AsInt16();
        var newLower = Vector128.Clamp(lower + lowerDeltas, zero, full);
        var newUpper = Vector128.Clamp(upper + upperDeltas, zero, full);
        var changeLower = newLower - lower;
        var changeUpper = newUpper - upper;
        var squares = Square(Vector128.WidenLower(changeLower)) + Square(Vector128.WidenUpper(changeLower))
            + Square(Vector128.WidenLower(changeUpper)) + Square(Vector128.WidenUpper(changeUpper));
        return (Vector128.Narrow(newLower.AsUInt16(), newUpper.AsUInt16()), squares);
    }

    private static Vector128<int> Square(Vector128<int> value) => value * value;
}
