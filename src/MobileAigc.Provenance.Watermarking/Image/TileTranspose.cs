using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Transposes 8 × 8 tiles of single-precision values in AVX registers: the transforms transpose whole planes between
/// their row and column passes, and element by element that cost as much as the butterflies (every store a cache
/// line apart from the previous one).
/// </summary>
internal static class TileTranspose
{
    /// <summary>Whether <see cref="Transpose8"/> may be called (AVX available); otherwise callers transpose element by element.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// Writes the transpose of the 8 × 8 tile at <paramref name="source"/> (rows <paramref name="sourceStride"/> apart) to
    /// <paramref name="target"/> (rows <paramref name="targetStride"/> apart). Only when <see cref="IsSupported"/>.
    /// </summary>
    public static void Transpose8(ref float source, int sourceStride, ref float target, int targetStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref source, (nuint)sourceStride);
        var r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        var r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        var r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        var r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        var r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));

        // Pairs of rows interleaved, then pairs of pairs: each 128-bit half then holds a transposed 4 × 4 quarter,
        // and swapping halves between registers puts the quarters in place.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var q0 = Avx.Shuffle(t0, t2, 0x44);
        var q1 = Avx.Shuffle(t0, t2, 0xEE);
        var q2 = Avx.Shuffle(t1, t3, 0x44);
        var q3 = Avx.Shuffle(t1, t3, 0xEE);
        var q4 = Avx.Shuffle(t4, t6, 0x44);
        var q5 = Avx.Shuffle(t4, t6, 0xEE);
        var q6 = Avx.Shuffle(t5, t7, 0x44);
        var q7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Permute2x128(q0, q4, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(q1, q5, 0x20).StoreUnsafe(ref target, (nuint)targetStride);
        Avx.Permute2x128(q2, q6, 0x20).StoreUnsafe(ref target, (nuint)(2 * targetStride));
        Avx.Permute2x128(q3, q7, 0x20).StoreUnsafe(ref target, (nuint)(3 * targetStride));
        Avx.Permute2x128(q0, q4, 0x31).StoreUnsafe(ref target, (nuint)(4 * targetStride));
        Avx.Permute2x128(q1, q5, 0x31).StoreUnsafe(ref target, (nuint)(5 * targetStride));
        Avx.Permute2x128(q2, q6, 0x31).StoreUnsafe(ref target, (nuint)(6 * targetStride));
        Avx.Permute2x128(q3, q7, 0x31).StoreUnsafe(ref target, (nuint)(7 * targetStride));
    }
}
