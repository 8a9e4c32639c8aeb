using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Adds a luma pattern to an RGB picture the way the watermark does: per pixel, the pattern times a gain, rounded once,
/// added to R, G and B alike and clamped to a byte; and measures the squared error this leaves over all the bytes.
/// </summary>
/// <remarks>
/// The channels are whole numbers, so rounding the delta once is rounding each sum (but at exact ties). Thirty-two pixels
/// (96 bytes) go through 256-bit vectors at a time where AVX-512 can permute their 16-bit lanes, then sixteen (48 bytes)
/// through 128-bit vectors: their deltas are spread over the interleaved channels with fixed shuffles, added, clamped and
/// squared in 16-bit lanes. The results are exactly the scalar version's, which handles the remainder and processors
/// without such vectors.
/// </remarks>
internal static class LumaDelta
{
    private const int PixelsPerStep = 16;

    /// <summary>Pixels per step of the 256-bit path (<see cref="AddWide"/>).</summary>
    private const int WidePixelsPerStep = 32;

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
        var wideEnd = Avx512BW.VL.IsSupported ? pixels - pixels % WidePixelsPerStep : 0;
        var total = wideEnd > 0 ? AddWide(source, pattern[..wideEnd], gain, marked) : 0L;
        var vectorEnd = Vector128.IsHardwareAccelerated ? pixels - (pixels - wideEnd) % PixelsPerStep : wideEnd;
        total += vectorEnd > wideEnd ? AddVectorised(source, pattern[..vectorEnd], wideEnd, gain, marked) : 0L;
        for (int i = vectorEnd, j = 3 * vectorEnd; i < pixels; i++, j += 3)
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

    /// <summary>
    /// <see cref="Add"/> over a whole number of 32-pixel steps in 256-bit vectors: the 96 bytes' deltas are six groups of
    /// sixteen 16-bit lanes, spread from the two halves' deltas by one lane permutation each (AVX-512's vpermw, hence only
    /// with <see cref="Avx512BW.VL"/>); otherwise as <see cref="AddVectorised"/>.
    /// </summary>
    private static long AddWide(byte[] source, ReadOnlySpan<float> pattern, float gain, byte[] marked)
    {
        var vectorGain = Vector256.Create(gain);
        var (lowest, highest) = (Vector256.Create(-255), Vector256.Create(255));
        var (zero, full) = (Vector256<short>.Zero, Vector256.Create((short)255));
        ref var patternBase = ref MemoryMarshal.GetReference(pattern);
        ref var sourceBase = ref MemoryMarshal.GetReference(source.AsSpan(0, 3 * pattern.Length));
        ref var markedBase = ref MemoryMarshal.GetReference(marked.AsSpan(0, 3 * pattern.Length));
        long total = 0;
        var sums = Vector256<int>.Zero;
        var chunks = 0;
        for (var i = 0; i < pattern.Length; i += WidePixelsPerStep)
        {
            var first = WideDeltas(ref patternBase, i, vectorGain, lowest, highest);
            var second = WideDeltas(ref patternBase, i + 16, vectorGain, lowest, highest);
            var offset = (nuint)(3 * i);
            var bytes0 = Vector256.LoadUnsafe(ref sourceBase, offset);
            var bytes1 = Vector256.LoadUnsafe(ref sourceBase, offset + 32);
            var bytes2 = Vector256.LoadUnsafe(ref sourceBase, offset + 64);
            var (out0, sum0) = AddHalves(bytes0, WideSpread0(first), WideSpread1(first), zero, full);
            var (out1, sum1) = AddHalves(bytes1, WideSpread2(first), WideSpread0(second), zero, full);
            var (out2, sum2) = AddHalves(bytes2, WideSpread1(second), WideSpread2(second), zero, full);
            out0.StoreUnsafe(ref markedBase, offset);
            out1.StoreUnsafe(ref markedBase, offset + 32);
            out2.StoreUnsafe(ref markedBase, offset + 64);
            sums += sum0 + sum1 + sum2;
            if (++chunks == ChunksPerFlush)
            {
                total += Vector256.Sum(sums);
                sums = Vector256<int>.Zero;
                chunks = 0;
            }
        }

        return total + Vector256.Sum(sums);
    }

    // Byte b of a wide step belongs to pixel b / 3: group g holds bytes 16g to 16g + 15, groups 0–2 taken from the first
    // half's deltas (pixels 0–15) and groups 3–5 the same way from the second's (pixels 16–31). Constant indices, so that
    // each shuffle compiles to one vpermw.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> WideSpread0(Vector256<short> deltas) => Vector256.Shuffle(deltas, Vector256.Create((short)0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> WideSpread1(Vector256<short> deltas) => Vector256.Shuffle(deltas, Vector256.Create((short)5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> WideSpread2(Vector256<short> deltas) => Vector256.Shuffle(deltas, Vector256.Create((short)10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15));

    /// <summary>Sixteen pixels' rounded deltas, clamped to ±255, as 16-bit lanes (<see cref="Deltas"/> in 256-bit vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> WideDeltas(ref float patternBase, int i, Vector256<float> gain, Vector256<int> lowest, Vector256<int> highest)
    {
        var low = Vector256.ConvertToInt32(Vector256.Round(gain * Vector256.LoadUnsafe(ref patternBase, (nuint)i)));
        var high = Vector256.ConvertToInt32(Vector256.Round(gain * Vector256.LoadUnsafe(ref patternBase, (nuint)(i + 8))));
        return Vector256.Narrow(Vector256.Clamp(low, lowest, highest), Vector256.Clamp(high, lowest, highest));
    }

    /// <summary>Thirty-two bytes plus their deltas (lower and upper sixteen), clamped to [0, 255]; and the squared changes, summed in fours.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<byte> Result, Vector256<int> Squares) AddHalves(
        Vector256<byte> bytes, Vector256<short> lowerDeltas, Vector256<short> upperDeltas, Vector256<short> zero, Vector256<short> full)
    {
        var lower = Vector256.WidenLower(bytes).AsInt16();
        var upper = Vector256.WidenUpper(bytes).AsInt16();
        var newLower = Vector256.Clamp(lower + lowerDeltas, zero, full);
        var newUpper = Vector256.Clamp(upper + upperDeltas, zero, full);
        var changeLower = newLower - lower;
        var changeUpper = newUpper - upper;
        var squares = Square(Vector256.WidenLower(changeLower)) + Square(Vector256.WidenUpper(changeLower))
            + Square(Vector256.WidenLower(changeUpper)) + Square(Vector256.WidenUpper(changeUpper));
        return (Vector256.Narrow(newLower.AsUInt16(), newUpper.AsUInt16()), squares);
    }

    private static Vector256<int> Square(Vector256<int> value) => value * value;

    /// <summary><see cref="Add"/> from pixel <paramref name="start"/> over a whole number of 16-pixel steps.</summary>
    private static long AddVectorised(byte[] source, ReadOnlySpan<float> pattern, int start, float gain, byte[] marked)
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
        for (var i = start; i < pattern.Length; i += PixelsPerStep)
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
