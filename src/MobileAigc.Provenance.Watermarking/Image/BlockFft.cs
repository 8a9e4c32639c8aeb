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
/// instead of twice. Every butterfly combines two whole rows, vectorised along the row in <see cref="Vector{T}"/>s (a
/// 512-bit path measured no faster on the project's processor, which runs such vectors as two halves). The spectrum value of frequency (u, v) (u along a row) sits at row
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

    /// <summary>The row holding the frequencies opposite to those of row <paramref name="row"/> (their rows of <see cref="Mirror"/>).</summary>
    public static int MirrorRow(int row) => MirrorAxis[row];

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
        for (var r = 0; r < Side; r++)
        {
            CopyMirroredRow(source.AsSpan(MirrorAxis[r] * Side, Side), target.AsSpan(r * Side, Side));
        }
    }

    /// <summary>
    /// Writes to <paramref name="target"/>[c] the value <paramref name="source"/>[<see cref="MirrorRow"/>(c)], for the
    /// <see cref="Side"/> positions of a row: row <see cref="MirrorRow"/>(r) of <see cref="CopyMirrored"/>'s target is this of row r.
    /// </summary>
    public static void CopyMirroredRow(ReadOnlySpan<float> source, Span<float> target)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var c = 0; c < Side; c++)
            {
                target[c] = source[MirrorAxis[c]];
            }

            return;
        }

        // Octaves {0}, {1}, [2, 3], [4, 7] in the first 8 positions, [8, 15] in the next 8; [16, 31] and [32, 63]: position
        // p takes p's mirror within its octave, 8 values at a time. (Loads and stores through references: the spans'
        // slicing and length checks cost more than the shuffles.)
        ref var from = ref MemoryMarshal.GetReference(source[..Side]);
        ref var to = ref MemoryMarshal.GetReference(target[..Side]);
        var reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from), Vector256.Create(0, 1, 3, 2, 7, 6, 5, 4)).StoreUnsafe(ref to);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 8), reverse).StoreUnsafe(ref to, 8);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 24), reverse).StoreUnsafe(ref to, 16);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 16), reverse).StoreUnsafe(ref to, 24);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 56), reverse).StoreUnsafe(ref to, 32);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 48), reverse).StoreUnsafe(ref to, 40);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 40), reverse).StoreUnsafe(ref to, 48);
        Vector256.Shuffle(Vector256.LoadUnsafe(ref from, 32), reverse).StoreUnsafe(ref to, 56);
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
    /// Three stages per pass over the block (halves H, H/2 and H/4: 32, 16, 8, then 4, 2, 1), eight rows at a time: every
    /// element goes through the same butterflies in the same order as stage by stage, with a third of the loads and stores.
    /// </remarks>
    private static void ColumnsForward(float[] re, float[] im)
    {
        for (var half = Side / 2; half >= 4; half >>= 3)
        {
            var eighth = half / 4;
            var stride = Side / (2 * half);
            for (var start = 0; start < Side; start += 2 * half)
            {
                for (var k = 0; k < eighth; k++)
                {
                    // Rows 0 to 7 an eighth of a group apart; stage H's twiddles go by (k + j·eighth)·stride for pairs j = 0 to 3.
                    ForwardOctet(re, im, (start + k) * Side, eighth * Side, k * stride, eighth * stride);
                }
            }
        }
    }

    /// <summary>Decimation in time along the columns, from bit-reversed rows to natural ones, three stages (halves H, 2H and 4H: 1, 2, 4, then 8, 16, 32) per pass as <see cref="ColumnsForward"/>.</summary>
    private static void ColumnsInverse(float[] re, float[] im)
    {
        for (var half = 1; half < Side; half <<= 3)
        {
            var stride = Side / (2 * half);
            for (var start = 0; start < Side; start += 8 * half)
            {
                for (var k = 0; k < half; k++)
                {
                    // Rows 0 to 7 H apart; stage 4H's twiddles go by (k + j·H)·stride/4 for pairs j = 0 to 3.
                    InverseOctet(re, im, (start + k) * Side, half * Side, k * stride, half * stride);
                }
            }
        }
    }

    /// <summary>
    /// Three decimation-in-frequency stages on rows r + j·d (j = 0 to 7): (a, b) ← (a + b, (a − b)·w), w = e^(−2πi·t/64);
    /// first on rows (j, j + 4) with t = <paramref name="first"/> + j·<paramref name="step"/>, then on (0, 2), (4, 6) with
    /// t = 2·<paramref name="first"/> and (1, 3), (5, 7) with 2·(<paramref name="first"/> + <paramref name="step"/>), then on
    /// (0, 1), (2, 3), (4, 5), (6, 7) with 4·<paramref name="first"/>.
    /// </summary>
    private static void ForwardOctet(float[] re, float[] im, int r0, int d, int first, int step)
    {
        ref var reBase = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imBase = ref MemoryMarshal.GetArrayDataReference(im);
        var (r1, r2, r3, r4, r5, r6, r7) = (r0 + d, r0 + 2 * d, r0 + 3 * d, r0 + 4 * d, r0 + 5 * d, r0 + 6 * d, r0 + 7 * d);
        var (t0r, t0i) = (new Vector<float>(Cos[first]), new Vector<float>(ForwardSin[first]));
        var (t1r, t1i) = (new Vector<float>(Cos[first + step]), new Vector<float>(ForwardSin[first + step]));
        var (t2r, t2i) = (new Vector<float>(Cos[first + 2 * step]), new Vector<float>(ForwardSin[first + 2 * step]));
        var (t3r, t3i) = (new Vector<float>(Cos[first + 3 * step]), new Vector<float>(ForwardSin[first + 3 * step]));
        var (u0r, u0i) = (new Vector<float>(Cos[2 * first]), new Vector<float>(ForwardSin[2 * first]));
        var (u1r, u1i) = (new Vector<float>(Cos[2 * (first + step)]), new Vector<float>(ForwardSin[2 * (first + step)]));
        var (vr, vi) = (new Vector<float>(Cos[4 * first]), new Vector<float>(ForwardSin[4 * first]));
        for (var x = 0; x < Side; x += Vector<float>.Count)
        {
            var (a0r, a0i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r0 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r0 + x)));
            var (a1r, a1i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r1 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r1 + x)));
            var (a2r, a2i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r2 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r2 + x)));
            var (a3r, a3i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r3 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r3 + x)));
            var (a4r, a4i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r4 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r4 + x)));
            var (a5r, a5i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r5 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r5 + x)));
            var (a6r, a6i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r6 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r6 + x)));
            var (a7r, a7i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r7 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r7 + x)));

            // Stage H: (0, 4), (1, 5), (2, 6), (3, 7).
            var (s0r, s0i, d4r, d4i) = (a0r + a4r, a0i + a4i, a0r - a4r, a0i - a4i);
            var (s1r, s1i, d5r, d5i) = (a1r + a5r, a1i + a5i, a1r - a5r, a1i - a5i);
            var (s2r, s2i, d6r, d6i) = (a2r + a6r, a2i + a6i, a2r - a6r, a2i - a6i);
            var (s3r, s3i, d7r, d7i) = (a3r + a7r, a3i + a7i, a3r - a7r, a3i - a7i);
            var (s4r, s4i) = (d4r * t0r - d4i * t0i, d4r * t0i + d4i * t0r);
            var (s5r, s5i) = (d5r * t1r - d5i * t1i, d5r * t1i + d5i * t1r);
            var (s6r, s6i) = (d6r * t2r - d6i * t2i, d6r * t2i + d6i * t2r);
            var (s7r, s7i) = (d7r * t3r - d7i * t3i, d7r * t3i + d7i * t3r);

            // Stage H/2: (0, 2), (1, 3), (4, 6), (5, 7).
            var (c0r, c0i, e2r, e2i) = (s0r + s2r, s0i + s2i, s0r - s2r, s0i - s2i);
            var (c1r, c1i, e3r, e3i) = (s1r + s3r, s1i + s3i, s1r - s3r, s1i - s3i);
            var (c4r, c4i, e6r, e6i) = (s4r + s6r, s4i + s6i, s4r - s6r, s4i - s6i);
            var (c5r, c5i, e7r, e7i) = (s5r + s7r, s5i + s7i, s5r - s7r, s5i - s7i);
            var (c2r, c2i) = (e2r * u0r - e2i * u0i, e2r * u0i + e2i * u0r);
            var (c3r, c3i) = (e3r * u1r - e3i * u1i, e3r * u1i + e3i * u1r);
            var (c6r, c6i) = (e6r * u0r - e6i * u0i, e6r * u0i + e6i * u0r);
            var (c7r, c7i) = (e7r * u1r - e7i * u1i, e7r * u1i + e7i * u1r);

            // Stage H/4: (0, 1), (2, 3), (4, 5), (6, 7).
            (c0r + c1r).StoreUnsafe(ref reBase, (nuint)(r0 + x));
            (c0i + c1i).StoreUnsafe(ref imBase, (nuint)(r0 + x));
            var (f1r, f1i) = (c0r - c1r, c0i - c1i);
            (f1r * vr - f1i * vi).StoreUnsafe(ref reBase, (nuint)(r1 + x));
            (f1r * vi + f1i * vr).StoreUnsafe(ref imBase, (nuint)(r1 + x));
            (c2r + c3r).StoreUnsafe(ref reBase, (nuint)(r2 + x));
            (c2i + c3i).StoreUnsafe(ref imBase, (nuint)(r2 + x));
            var (f3r, f3i) = (c2r - c3r, c2i - c3i);
            (f3r * vr - f3i * vi).StoreUnsafe(ref reBase, (nuint)(r3 + x));
            (f3r * vi + f3i * vr).StoreUnsafe(ref imBase, (nuint)(r3 + x));
            (c4r + c5r).StoreUnsafe(ref reBase, (nuint)(r4 + x));
            (c4i + c5i).StoreUnsafe(ref imBase, (nuint)(r4 + x));
            var (f5r, f5i) = (c4r - c5r, c4i - c5i);
            (f5r * vr - f5i * vi).StoreUnsafe(ref reBase, (nuint)(r5 + x));
            (f5r * vi + f5i * vr).StoreUnsafe(ref imBase, (nuint)(r5 + x));
            (c6r + c7r).StoreUnsafe(ref reBase, (nuint)(r6 + x));
            (c6i + c7i).StoreUnsafe(ref imBase, (nuint)(r6 + x));
            var (f7r, f7i) = (c6r - c7r, c6i - c7i);
            (f7r * vr - f7i * vi).StoreUnsafe(ref reBase, (nuint)(r7 + x));
            (f7r * vi + f7i * vr).StoreUnsafe(ref imBase, (nuint)(r7 + x));
        }
    }

    /// <summary>
    /// Three decimation-in-time stages on rows r + j·d (j = 0 to 7): (a, b) ← (a + b·w, a − b·w), w = e^(+2πi·t/64);
    /// first on (0, 1), (2, 3), (4, 5), (6, 7) with t = <paramref name="first"/>, then on (0, 2), (4, 6) with
    /// <paramref name="first"/>/2 and (1, 3), (5, 7) with (<paramref name="first"/> + <paramref name="step"/>)/2, then on
    /// (j, j + 4) with (<paramref name="first"/> + j·<paramref name="step"/>)/4.
    /// </summary>
    private static void InverseOctet(float[] re, float[] im, int r0, int d, int first, int step)
    {
        ref var reBase = ref MemoryMarshal.GetArrayDataReference(re);
        ref var imBase = ref MemoryMarshal.GetArrayDataReference(im);
        var (r1, r2, r3, r4, r5, r6, r7) = (r0 + d, r0 + 2 * d, r0 + 3 * d, r0 + 4 * d, r0 + 5 * d, r0 + 6 * d, r0 + 7 * d);
        var (w1r, w1i) = (new Vector<float>(Cos[first]), new Vector<float>(InverseSin[first]));
        var (w2r, w2i) = (new Vector<float>(Cos[first / 2]), new Vector<float>(InverseSin[first / 2]));
        var (w3r, w3i) = (new Vector<float>(Cos[(first + step) / 2]), new Vector<float>(InverseSin[(first + step) / 2]));
        var (q0r, q0i) = (new Vector<float>(Cos[first / 4]), new Vector<float>(InverseSin[first / 4]));
        var (q1r, q1i) = (new Vector<float>(Cos[(first + step) / 4]), new Vector<float>(InverseSin[(first + step) / 4]));
        var (q2r, q2i) = (new Vector<float>(Cos[(first + 2 * step) / 4]), new Vector<float>(InverseSin[(first + 2 * step) / 4]));
        var (q3r, q3i) = (new Vector<float>(Cos[(first + 3 * step) / 4]), new Vector<float>(InverseSin[(first + 3 * step) / 4]));
        for (var x = 0; x < Side; x += Vector<float>.Count)
        {
            var (a0r, a0i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r0 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r0 + x)));
            var (a1r, a1i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r1 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r1 + x)));
            var (a2r, a2i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r2 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r2 + x)));
            var (a3r, a3i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r3 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r3 + x)));
            var (a4r, a4i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r4 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r4 + x)));
            var (a5r, a5i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r5 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r5 + x)));
            var (a6r, a6i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r6 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r6 + x)));
            var (a7r, a7i) = (Vector.LoadUnsafe(ref reBase, (nuint)(r7 + x)), Vector.LoadUnsafe(ref imBase, (nuint)(r7 + x)));

            // Stage H: (0, 1), (2, 3), (4, 5), (6, 7).
            var (t1r, t1i) = (a1r * w1r - a1i * w1i, a1r * w1i + a1i * w1r);
            var (t3r, t3i) = (a3r * w1r - a3i * w1i, a3r * w1i + a3i * w1r);
            var (t5r, t5i) = (a5r * w1r - a5i * w1i, a5r * w1i + a5i * w1r);
            var (t7r, t7i) = (a7r * w1r - a7i * w1i, a7r * w1i + a7i * w1r);
            var (b0r, b0i, b1r, b1i) = (a0r + t1r, a0i + t1i, a0r - t1r, a0i - t1i);
            var (b2r, b2i, b3r, b3i) = (a2r + t3r, a2i + t3i, a2r - t3r, a2i - t3i);
            var (b4r, b4i, b5r, b5i) = (a4r + t5r, a4i + t5i, a4r - t5r, a4i - t5i);
            var (b6r, b6i, b7r, b7i) = (a6r + t7r, a6i + t7i, a6r - t7r, a6i - t7i);

            // Stage 2H: (0, 2), (1, 3), (4, 6), (5, 7).
            var (u2r, u2i) = (b2r * w2r - b2i * w2i, b2r * w2i + b2i * w2r);
            var (u3r, u3i) = (b3r * w3r - b3i * w3i, b3r * w3i + b3i * w3r);
            var (u6r, u6i) = (b6r * w2r - b6i * w2i, b6r * w2i + b6i * w2r);
            var (u7r, u7i) = (b7r * w3r - b7i * w3i, b7r * w3i + b7i * w3r);
            var (c0r, c0i, c2r, c2i) = (b0r + u2r, b0i + u2i, b0r - u2r, b0i - u2i);
            var (c1r, c1i, c3r, c3i) = (b1r + u3r, b1i + u3i, b1r - u3r, b1i - u3i);
            var (c4r, c4i, c6r, c6i) = (b4r + u6r, b4i + u6i, b4r - u6r, b4i - u6i);
            var (c5r, c5i, c7r, c7i) = (b5r + u7r, b5i + u7i, b5r - u7r, b5i - u7i);

            // Stage 4H: (0, 4), (1, 5), (2, 6), (3, 7).
            var (v4r, v4i) = (c4r * q0r - c4i * q0i, c4r * q0i + c4i * q0r);
            var (v5r, v5i) = (c5r * q1r - c5i * q1i, c5r * q1i + c5i * q1r);
            var (v6r, v6i) = (c6r * q2r - c6i * q2i, c6r * q2i + c6i * q2r);
            var (v7r, v7i) = (c7r * q3r - c7i * q3i, c7r * q3i + c7i * q3r);
            (c0r + v4r).StoreUnsafe(ref reBase, (nuint)(r0 + x));
            (c0i + v4i).StoreUnsafe(ref imBase, (nuint)(r0 + x));
            (c1r + v5r).StoreUnsafe(ref reBase, (nuint)(r1 + x));
            (c1i + v5i).StoreUnsafe(ref imBase, (nuint)(r1 + x));
            (c2r + v6r).StoreUnsafe(ref reBase, (nuint)(r2 + x));
            (c2i + v6i).StoreUnsafe(ref imBase, (nuint)(r2 + x));
            (c3r + v7r).StoreUnsafe(ref reBase, (nuint)(r3 + x));
            (c3i + v7i).StoreUnsafe(ref imBase, (nuint)(r3 + x));
            (c0r - v4r).StoreUnsafe(ref reBase, (nuint)(r4 + x));
            (c0i - v4i).StoreUnsafe(ref imBase, (nuint)(r4 + x));
            (c1r - v5r).StoreUnsafe(ref reBase, (nuint)(r5 + x));
            (c1i - v5i).StoreUnsafe(ref imBase, (nuint)(r5 + x));
            (c2r - v6r).StoreUnsafe(ref reBase, (nuint)(r6 + x));
            (c2i - v6i).StoreUnsafe(ref imBase, (nuint)(r6 + x));
            (c3r - v7r).StoreUnsafe(ref reBase, (nuint)(r7 + x));
            (c3i - v7i).StoreUnsafe(ref imBase, (nuint)(r7 + x));
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
