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

    /// <summary>The position in the scrambled spectrum of frequency (<paramref name="u"/>, <paramref name="v"/>), in cycles per block of either sign, u along a row.</summary>
    public static int Position(int u, int v) => BitReverse(u & (Side - 1)) * Side + BitReverse(v & (Side - 1));

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
    /// <remarks>
    /// Two stages per pass over the block (halves H and H/2, four rows at a time): every element goes through the same
    /// butterflies in the same order as stage by stage, with half the loads and stores.
    /// </remarks>
    private static void ColumnsForward(float[] re, float[] im)
    {
        for (var half = Side / 2; half >= 2; half >>= 2)
        {
            var quarter = half / 2;
            var stride = Side / (2 * half);
            for (var start = 0; start < Side; start += 2 * half)
            {
                for (var k = 0; k < quarter; k++)
                {
                    // Stage H: (0, 2) and (1, 3); stage H/2: (0, 1) and (2, 3); rows 0 to 3 a quarter group apart.
                    var row = (start + k) * Side;
                    ForwardQuad(re, im, row, quarter * Side, k * stride, (k + quarter) * stride, 2 * k * stride);
                }
            }
        }
    }

    /// <summary>Decimation in time along the columns, from bit-reversed rows to natural ones, two stages (halves H and 2H) per pass as <see cref="ColumnsForward"/>.</summary>
    private static void ColumnsInverse(float[] re, float[] im)
    {
        for (var half = 1; half < Side; half <<= 2)
        {
            var stride = Side / (2 * half);
            for (var start = 0; start < Side; start += 4 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    // Stage H: (0, 1) and (2, 3); stage 2H: (0, 2) and (1, 3); rows 0 to 3 H apart.
                    var row = (start + k) * Side;
                    InverseQuad(re, im, row, half * Side, k * stride, k * stride / 2, (k + half) * stride / 2);
                }
            }
        }
    }

    /// <summary>
    /// Two decimation-in-frequency stages on rows r, r + d, r + 2d, r + 3d: (a, b) ← (a + b, (a − b)·w), w = e^(−2πi·t/64),
    /// first on rows (0, 2) with twiddle <paramref name="first"/> and (1, 3) with <paramref name="second"/>, then on (0, 1)
    /// and (2, 3) with <paramref name="third"/>.
    /// </summary>
    private static void ForwardQuad(float[] re, float[] im, int r, int d, int first, int second, int third)
    {
        ref var reBase = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imBase = ref MemoryMarshal.GetArrayDataReference(im);
        var (r1, r2, r3) = (r + d, r + 2 * d, r + 3 * d);
        if (Vector512.IsHardwareAccelerated)
        {
            var (w1r, w1i) = (Vector512.Create(Cos[first]), Vector512.Create(ForwardSin[first]));
            var (w2r, w2i) = (Vector512.Create(Cos[second]), Vector512.Create(ForwardSin[second]));
            var (w3r, w3i) = (Vector512.Create(Cos[third]), Vector512.Create(ForwardSin[third]));
            for (var x = 0; x < Side; x += Vector512<float>.Count)
            {
                var (a0r, a0i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r + x)));
                var (a1r, a1i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r1 + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r1 + x)));
                var (a2r, a2i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r2 + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r2 + x)));
                var (a3r, a3i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r3 + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r3 + x)));
                var (s0r, s0i, d2r, d2i) = (a0r + a2r, a0i + a2i, a0r - a2r, a0i - a2i);
                var (s1r, s1i, d3r, d3i) = (a1r + a3r, a1i + a3i, a1r - a3r, a1i - a3i);
                var (b2r, b2i) = (d2r * w1r - d2i * w1i, d2r * w1i + d2i * w1r);
                var (b3r, b3i) = (d3r * w2r - d3i * w2i, d3r * w2i + d3i * w2r);
                (s0r + s1r).StoreUnsafe(ref reBase, (nuint)(r + x));
                (s0i + s1i).StoreUnsafe(ref imBase, (nuint)(r + x));
                var (e1r, e1i) = (s0r - s1r, s0i - s1i);
                (e1r * w3r - e1i * w3i).StoreUnsafe(ref reBase, (nuint)(r1 + x));
                (e1r * w3i + e1i * w3r).StoreUnsafe(ref imBase, (nuint)(r1 + x));
                (b2r + b3r).StoreUnsafe(ref reBase, (nuint)(r2 + x));
                (b2i + b3i).StoreUnsafe(ref imBase, (nuint)(r2 + x));
                var (e3r, e3i) = (b2r - b3r, b2i - b3i);
                (e3r * w3r - e3i * w3i).StoreUnsafe(ref reBase, (nuint)(r3 + x));
                (e3r * w3i + e3i * w3r).StoreUnsafe(ref imBase, (nuint)(r3 + x));
            }

            return;
        }

        var (v1r, v1i) = (new Vector<float>(Cos[first]), new Vector<float>(ForwardSin[first]));
        var (v2r, v2i) = (new Vector<float>(Cos[second]), new Vector<float>(ForwardSin[second]));
        var (v3r, v3i) = (new Vector<float>(Cos[third]), new Vector<float>(ForwardSin[third]));
        for (var x = 0; x < Side; x += Vector<float>.Count)
        {
            var (a0r, a0i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r + x)));
            var (a1r, a1i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r1 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r1 + x)));
            var (a2r, a2i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r2 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r2 + x)));
            var (a3r, a3i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r3 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r3 + x)));
            var (s0r, s0i, d2r, d2i) = (a0r + a2r, a0i + a2i, a0r - a2r, a0i - a2i);
            var (s1r, s1i, d3r, d3i) = (a1r + a3r, a1i + a3i, a1r - a3r, a1i - a3i);
            var (b2r, b2i) = (d2r * v1r - d2i * v1i, d2r * v1i + d2i * v1r);
            var (b3r, b3i) = (d3r * v2r - d3i * v2i, d3r * v2i + d3i * v2r);
            (s0r + s1r).StoreUnsafe(ref reBase, (nuint)(r + x));
            (s0i + s1i).StoreUnsafe(ref imBase, (nuint)(r + x));
            var (e1r, e1i) = (s0r - s1r, s0i - s1i);
            (e1r * v3r - e1i * v3i).StoreUnsafe(ref reBase, (nuint)(r1 + x));
            (e1r * v3i + e1i * v3r).StoreUnsafe(ref imBase, (nuint)(r1 + x));
            (b2r + b3r).StoreUnsafe(ref reBase, (nuint)(r2 + x));
            (b2i + b3i).StoreUnsafe(ref imBase, (nuint)(r2 + x));
            var (e3r, e3i) = (b2r - b3r, b2i - b3i);
            (e3r * v3r - e3i * v3i).StoreUnsafe(ref reBase, (nuint)(r3 + x));
            (e3r * v3i + e3i * v3r).StoreUnsafe(ref imBase, (nuint)(r3 + x));
        }
    }

    /// <summary>
    /// Two decimation-in-time stages on rows r, r + d, r + 2d, r + 3d: (a, b) ← (a + b·w, a − b·w), w = e^(+2πi·t/64),
    /// first on rows (0, 1) and (2, 3) with twiddle <paramref name="first"/>, then on (0, 2) with <paramref name="second"/>
    /// and (1, 3) with <paramref name="third"/>.
    /// </summary>
    private static void InverseQuad(float[] re, float[] im, int r, int d, int first, int second, int third)
    {
        ref var reBase = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imBase = ref MemoryMarshal.GetArrayDataReference(im);
        var (r1, r2, r3) = (r + d, r + 2 * d, r + 3 * d);
        if (Vector512.IsHardwareAccelerated)
        {
            var (w1r, w1i) = (Vector512.Create(Cos[first]), Vector512.Create(InverseSin[first]));
            var (w2r, w2i) = (Vector512.Create(Cos[second]), Vector512.Create(InverseSin[second]));
            var (w3r, w3i) = (Vector512.Create(Cos[third]), Vector512.Create(InverseSin[third]));
            for (var x = 0; x < Side; x += Vector512<float>.Count)
            {
                var (a0r, a0i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r + x)));
                var (a1r, a1i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r1 + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r1 + x)));
                var (a2r, a2i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r2 + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r2 + x)));
                var (a3r, a3i) = (Vector512.LoadUnsafe(ref reBase, (nuint)(r3 + x)), Vector512.LoadUnsafe(ref imBase, (nuint)(r3 + x)));
                var (t1r, t1i) = (a1r * w1r - a1i * w1i, a1r * w1i + a1i * w1r);
                var (t3r, t3i) = (a3r * w1r - a3i * w1i, a3r * w1i + a3i * w1r);
                var (b0r, b0i, b1r, b1i) = (a0r + t1r, a0i + t1i, a0r - t1r, a0i - t1i);
                var (b2r, b2i, b3r, b3i) = (a2r + t3r, a2i + t3i, a2r - t3r, a2i - t3i);
                var (u2r, u2i) = (b2r * w2r - b2i * w2i, b2r * w2i + b2i * w2r);
                var (u3r, u3i) = (b3r * w3r - b3i * w3i, b3r * w3i + b3i * w3r);
                (b0r + u2r).StoreUnsafe(ref reBase, (nuint)(r + x));
                (b0i + u2i).StoreUnsafe(ref imBase, (nuint)(r + x));
                (b1r + u3r).StoreUnsafe(ref reBase, (nuint)(r1 + x));
                (b1i + u3i).StoreUnsafe(ref imBase, (nuint)(r1 + x));
                (b0r - u2r).StoreUnsafe(ref reBase, (nuint)(r2 + x));
                (b0i - u2i).StoreUnsafe(ref imBase, (nuint)(r2 + x));
                (b1r - u3r).StoreUnsafe(ref reBase, (nuint)(r3 + x));
                (b1i - u3i).StoreUnsafe(ref imBase, (nuint)(r3 + x));
            }

            return;
        }

        var (v1r, v1i) = (new Vector<float>(Cos[first]), new Vector<float>(InverseSin[first]));
        var (v2r, v2i) = (new Vector<float>(Cos[second]), new Vector<float>(InverseSin[second]));
        var (v3r, v3i) = (new Vector<float>(Cos[third]), new Vector<float>(InverseSin[third]));
        for (var x = 0; x < Side; x += Vector<float>.Count)
        {
            var (a0r, a0i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r + x)));
            var (a1r, a1i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r1 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r1 + x)));
            var (a2r, a2i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r2 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r2 + x)));
            var (a3r, a3i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r3 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r3 + x)));
            var (t1r, t1i) = (a1r * v1r - a1i * v1i, a1r * v1i + a1i * v1r);
            var (t3r, t3i) = (a3r * v1r - a3i * v1i, a3r * v1i + a3i * v1r);
            var (b0r, b0i, b1r, b1i) = (a0r + t1r, a0i + t1i, a0r - t1r, a0i - t1i);
            var (b2r, b2i, b3r, b3i) = (a2r + t3r, a2i + t3i, a2r - t3r, a2i - t3i);
            var (u2r, u2i) = (b2r * v2r - b2i * v2i, b2r * v2i + b2i * v2r);
            var (u3r, u3i) = (b3r * v3r - b3i * v3i, b3r * v3i + b3i * v3r);
            (b0r + u2r).StoreUnsafe(ref reBase, (nuint)(r + x));
            (b0i + u2i).StoreUnsafe(ref imBase, (nuint)(r + x));
            (b1r + u3r).StoreUnsafe(ref reBase, (nuint)(r1 + x));
            (b1i + u3i).StoreUnsafe(ref imBase, (nuint)(r1 + x));
            (b0r - u2r).StoreUnsafe(ref reBase, (nuint)(r2 + x));
            (b0i - u2i).StoreUnsafe(ref imBase, (nuint)(r2 + x));
            (b1r - u3r).StoreUnsafe(ref reBase, (nuint)(r3 + x));
            (b1i - u3i).StoreUnsafe(ref imBase, (nuint)(r3 + x));
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
