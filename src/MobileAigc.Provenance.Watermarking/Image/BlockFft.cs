using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The 64 × 64 single-precision 2-D FFT of <see cref="SpectralWhitening"/>'s blocks, forward into a scrambled layout
/// and back (unnormalised both ways, as <see cref="Fft"/>).
/// </summary>
/// <remarks>
/// The whitening runs hundreds of these per picture and only divides each frequency by a magnitude in between, so the
/// spectrum's order does not matter to it. The forward transform is decimation in frequency (natural order in,
/// bit-reversed out) and the inverse decimation in time (bit-reversed in, natural out), so neither permutes; and the
/// forward transform leaves the spectrum transposed, which the inverse undoes, so each direction transposes once
/// instead of twice. Every butterfly combines two whole rows, vectorised along the row (512-bit vectors where the
/// processor has them). The spectrum value of frequency (u, v) (u along a row) sits at row
/// <c>BitReverse(u)</c>, column <c>BitReverse(v)</c>; <see cref="Mirror"/> gives, per position, the position of (−u, −v).
/// </remarks>
internal static class BlockFft
{
    /// <summary>The block side, in samples.</summary>
    public const int Side = 64;

    private const int Length = Side * Side;
    private const int Bits = 6;

    private static readonly float[] Cos = Twiddles(Math.Cos, 1);
    private static readonly float[] ForwardSin = Twiddles(Math.Sin, -1);
    private static readonly float[] InverseSin = Twiddles(Math.Sin, 1);

    /// <summary>Per position of the scrambled spectrum, the position of the conjugate-symmetric frequency (−u, −v).</summary>
    public static int[] Mirror { get; } = BuildMirror();

    /// <summary>Along one axis, per position, the position of the opposite frequency (the rows of <see cref="Mirror"/>).</summary>
    private static readonly int[] MirrorAxis = BuildMirrorAxis();

    /// <summary>
    /// Writes to every position of <paramref name="target"/> the value of <paramref name="source"/> (a scrambled
    /// spectrum) at that position's <see cref="Mirror"/>: the spectrum at (−u, −v) beside the one at (u, v).
    /// </summary>
    /// <remarks>
    /// Along either axis, the positions of the frequencies of one octave, [2^m, 2^(m+1)), mirror onto themselves in
    /// reverse order (see <see cref="BuildMirror"/>), so each row is the mirrored row's octaves reversed: eight fixed
    /// shuffles of 8 values instead of 64 gathers.
    /// </remarks>
    public static void CopyMirrored(float[] source, float[] target)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            var mirror = Mirror;
            for (var i = 0; i < Length; i++)
            {
                target[i] = source[mirror[i]];
            }

            return;
        }

        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        for (var r = 0; r < Side; r++)
        {
            var from = source.AsSpan(MirrorAxis[r] * Side, Side);
            var to = target.AsSpan(r * Side, Side);

            // Octaves {0}, {1}, [2, 3], [4, 7] in the first 8 positions, [8, 15] in the next 8.
            Vector256.Shuffle(Vector256.Create<float>(from), Vector256.Create(0, 1, 3, 2, 7, 6, 5, 4)).CopyTo(to);
            Vector256.Shuffle(Vector256.Create<float>(from[8..]), reverse).CopyTo(to[8..]);

            // [16, 31] and [32, 63]: position p takes p's mirror within its octave, 8 values at a time.
            Vector256.Shuffle(Vector256.Create<float>(from[24..]), reverse).CopyTo(to[16..]);
            Vector256.Shuffle(Vector256.Create<float>(from[16..]), reverse).CopyTo(to[24..]);
            Vector256.Shuffle(Vector256.Create<float>(from[56..]), reverse).CopyTo(to[32..]);
            Vector256.Shuffle(Vector256.Create<float>(from[48..]), reverse).CopyTo(to[40..]);
            Vector256.Shuffle(Vector256.Create<float>(from[40..]), reverse).CopyTo(to[48..]);
            Vector256.Shuffle(Vector256.Create<float>(from[32..]), reverse).CopyTo(to[56..]);
        }
    }

    /// <summary>
    /// Transforms the block (<paramref name="re"/>, <paramref name="im"/>, row-major, not kept) into
    /// (<paramref name="spectrumRe"/>, <paramref name="spectrumIm"/>) in the scrambled layout.
    /// </summary>
    public static void Forward(float[] re, float[] im, float[] spectrumRe, float[] spectrumIm)
    {
        ColumnsForward(re, im);
        Transpose(re, spectrumRe);
        Transpose(im, spectrumIm);
        ColumnsForward(spectrumRe, spectrumIm);
    }

    /// <summary>
    /// The inverse of <see cref="Forward"/> (without the 1/4096 factor): from the scrambled spectrum
    /// (<paramref name="spectrumRe"/>, <paramref name="spectrumIm"/>, not kept) back to the block in
    /// (<paramref name="re"/>, <paramref name="im"/>), row-major.
    /// </summary>
    public static void Inverse(float[] spectrumRe, float[] spectrumIm, float[] re, float[] im)
    {
        ColumnsInverse(spectrumRe, spectrumIm);
        Transpose(spectrumRe, re);
        Transpose(spectrumIm, im);
        ColumnsInverse(re, im);
    }

    /// <summary>Decimation in frequency along the columns: row r of the result holds frequency BitReverse(r).</summary>
    private static void ColumnsForward(float[] re, float[] im)
    {
        for (var half = Side / 2; half >= 1; half >>= 1)
        {
            var stride = Side / (2 * half);
            for (var start = 0; start < Side; start += 2 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    var a = (start + k) * Side;
                    var b = a + half * Side;
                    // (a, b) ← (a + b, (a − b)·w), w = e^(−2πi·k·stride/64).
                    ButterflyForward(re, im, a, b, Cos[k * stride], ForwardSin[k * stride]);
                }
            }
        }
    }

    /// <summary>Decimation in time along the columns, from bit-reversed rows to natural ones.</summary>
    private static void ColumnsInverse(float[] re, float[] im)
    {
        for (var half = 1; half < Side; half <<= 1)
        {
            var stride = Side / (2 * half);
            for (var start = 0; start < Side; start += 2 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    var a = (start + k) * Side;
                    var b = a + half * Side;
                    // (a, b) ← (a + b·w, a − b·w), w = e^(+2πi·k·stride/64).
                    ButterflyInverse(re, im, a, b, Cos[k * stride], InverseSin[k * stride]);
                }
            }
        }
    }

    private static void ButterflyForward(float[] re, float[] im, int a, int b, float wr, float wi)
    {
        ref var reBase = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imBase = ref MemoryMarshal.GetArrayDataReference(im);
        if (Vector512.IsHardwareAccelerated)
        {
            var vwr = Vector512.Create(wr);
            var vwi = Vector512.Create(wi);
            for (var x = 0; x < Side; x += Vector512<float>.Count)
            {
                var ra = Vector512.LoadUnsafe(ref reBase, (nuint)(a + x));
                var ia = Vector512.LoadUnsafe(ref imBase, (nuint)(a + x));
                var rb = Vector512.LoadUnsafe(ref reBase, (nuint)(b + x));
                var ib = Vector512.LoadUnsafe(ref imBase, (nuint)(b + x));
                (ra + rb).StoreUnsafe(ref reBase, (nuint)(a + x));
                (ia + ib).StoreUnsafe(ref imBase, (nuint)(a + x));
                var dr = ra - rb;
                var di = ia - ib;
                (dr * vwr - di * vwi).StoreUnsafe(ref reBase, (nuint)(b + x));
                (dr * vwi + di * vwr).StoreUnsafe(ref imBase, (nuint)(b + x));
            }

            return;
        }

        var pwr = new Vector<float>(wr);
        var pwi = new Vector<float>(wi);
        for (var x = 0; x < Side; x += Vector<float>.Count)
        {
            var ra = Vector.LoadUnsafe(ref reBase, (nuint)(a + x));
            var ia = Vector.LoadUnsafe(ref imBase, (nuint)(a + x));
            var rb = Vector.LoadUnsafe(ref reBase, (nuint)(b + x));
            var ib = Vector.LoadUnsafe(ref imBase, (nuint)(b + x));
            (ra + rb).StoreUnsafe(ref reBase, (nuint)(a + x));
            (ia + ib).StoreUnsafe(ref imBase, (nuint)(a + x));
            var dr = ra - rb;
            var di = ia - ib;
            (dr * pwr - di * pwi).StoreUnsafe(ref reBase, (nuint)(b + x));
            (dr * pwi + di * pwr).StoreUnsafe(ref imBase, (nuint)(b + x));
        }
    }

    private static void ButterflyInverse(float[] re, float[] im, int a, int b, float wr, float wi)
    {
        ref var reBase = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imBase = ref MemoryMarshal.GetArrayDataReference(im);
        if (Vector512.IsHardwareAccelerated)
        {
            var vwr = Vector512.Create(wr);
            var vwi = Vector512.Create(wi);
            for (var x = 0; x < Side; x += Vector512<float>.Count)
            {
                var ra = Vector512.LoadUnsafe(ref reBase, (nuint)(a + x));
                var ia = Vector512.LoadUnsafe(ref imBase, (nuint)(a + x));
                var rb = Vector512.LoadUnsafe(ref reBase, (nuint)(b + x));
                var ib = Vector512.LoadUnsafe(ref imBase, (nuint)(b + x));
                var tr = rb * vwr - ib * vwi;
                var ti = rb * vwi + ib * vwr;
                (ra + tr).StoreUnsafe(ref reBase, (nuint)(a + x));
                (ia + ti).StoreUnsafe(ref imBase, (nuint)(a + x));
                (ra - tr).StoreUnsafe(ref reBase, (nuint)(b + x));
                (ia - ti).StoreUnsafe(ref imBase, (nuint)(b + x));
            }

            return;
        }

        var pwr = new Vector<float>(wr);
        var pwi = new Vector<float>(wi);
        for (var x = 0; x < Side; x += Vector<float>.Count)
        {
            var ra = Vector.LoadUnsafe(ref reBase, (nuint)(a + x));
            var ia = Vector.LoadUnsafe(ref imBase, (nuint)(a + x));
            var rb = Vector.LoadUnsafe(ref reBase, (nuint)(b + x));
            var ib = Vector.LoadUnsafe(ref imBase, (nuint)(b + x));
            var tr = rb * pwr - ib * pwi;
            var ti = rb * pwi + ib * pwr;
            (ra + tr).StoreUnsafe(ref reBase, (nuint)(a + x));
            (ia + ti).StoreUnsafe(ref imBase, (nuint)(a + x));
            (ra - tr).StoreUnsafe(ref reBase, (nuint)(b + x));
            (ia - ti).StoreUnsafe(ref imBase, (nuint)(b + x));
        }
    }

    /// <summary>Writes the transpose of the 64 × 64 block <paramref name="source"/> to <paramref name="target"/>, in 8 × 8 tiles that stay in cache lines.</summary>
    private static void Transpose(float[] source, float[] target)
    {
        if (TileTranspose.IsSupported)
        {
            TransposeAvx(source, target);
            return;
        }

        ref var s = ref MemoryMarshal.GetArrayDataReference(source);
        ref var t = ref MemoryMarshal.GetArrayDataReference(target);
        for (var y0 = 0; y0 < Side; y0 += 8)
        {
            for (var x0 = 0; x0 < Side; x0 += 8)
            {
                for (var y = y0; y < y0 + 8; y++)
                {
                    for (var x = x0; x < x0 + 8; x++)
                    {
                        Unsafe.Add(ref t, x * Side + y) = Unsafe.Add(ref s, y * Side + x);
                    }
                }
            }
        }
    }

    /// <summary><see cref="Transpose"/> with each 8 × 8 tile transposed in registers (<see cref="TileTranspose"/>).</summary>
    private static void TransposeAvx(float[] source, float[] target)
    {
        ref var s = ref MemoryMarshal.GetArrayDataReference(source);
        ref var t = ref MemoryMarshal.GetArrayDataReference(target);
        for (var y0 = 0; y0 < Side; y0 += 8)
        {
            for (var x0 = 0; x0 < Side; x0 += 8)
            {
                TileTranspose.Transpose8(ref Unsafe.Add(ref s, y0 * Side + x0), Side, ref Unsafe.Add(ref t, x0 * Side + y0), Side);
            }
        }
    }

    private static float[] Twiddles(Func<double, double> function, int sign)
    {
        var values = new float[Side / 2];
        for (var k = 0; k < values.Length; k++)
        {
            values[k] = (float)(sign * function(2 * Math.PI * k / Side));
        }

        return values;
    }

    private static int BitReverse(int i)
    {
        var reversed = 0;
        for (var b = 0; b < Bits; b++)
        {
            reversed |= ((i >> b) & 1) << (Bits - 1 - b);
        }

        return reversed;
    }

    private static int[] BuildMirrorAxis()
    {
        // The position holding frequency f is BitReverse(f); −f sits at BitReverse((64 − f) mod 64).
        var axis = new int[Side];
        for (var p = 0; p < Side; p++)
        {
            axis[p] = BitReverse((Side - BitReverse(p)) & (Side - 1));
        }

        return axis;
    }

    private static int[] BuildMirror()
    {
        var axis = BuildMirrorAxis();
        var mirror = new int[Length];
        for (var r = 0; r < Side; r++)
        {
            for (var c = 0; c < Side; c++)
            {
                mirror[r * Side + c] = axis[r] * Side + axis[c];
            }
        }

        return mirror;
    }
}
