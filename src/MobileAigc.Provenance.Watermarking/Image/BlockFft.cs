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

    private static int[] BuildMirror()
    {
        // Along one axis, the position holding frequency f is BitReverse(f); −f sits at BitReverse((64 − f) mod 64).
        var axis = new int[Side];
        for (var p = 0; p < Side; p++)
        {
            axis[p] = BitReverse((Side - BitReverse(p)) & (Side - 1));
        }

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
