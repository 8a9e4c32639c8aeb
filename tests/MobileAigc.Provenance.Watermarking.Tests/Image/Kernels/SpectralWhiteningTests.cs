using System.Numerics;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="SpectralWhitening.Apply(LumaPlane, LumaPlane?, LumaPlane, LumaPlane?)"/> (windowing and overlap-add in
/// <see cref="Vector{T}"/> loops with scalar tails, and two real blocks whitened from one complex transform in whole
/// vectors) against the whitening by definition in double precision: each 64 × 64 block on its own, windowed, through the
/// plain DFT, each frequency divided by its magnitude plus the floor, back through the plain inverse DFT, windowed again
/// and added.
/// </summary>
/// <remarks>
/// The vectorised loops are private, so they are reached through <c>Apply</c>: widths and heights that are not whole
/// vectors clip the edge blocks to spans that end in the scalar tails (a 1 × 1 plane clips every block to one sample);
/// one plane pairs each block with its right-hand neighbour (or with nothing at the right edge), two planes pair the
/// blocks at the same place.
/// </remarks>
public sealed class SpectralWhiteningTests
{
    private const int Side = 64;
    private const int Hop = Side / 2;
    private const int Length = Side * Side;

    public static TheoryData<int, int, string> Cases()
    {
        var cases = new TheoryData<int, int, string>();
        foreach (var (width, height) in new[] { (1, 1), (7, 3), (64, 64), (70, 45) })
        {
            foreach (var signal in new[] { "random", "impulse", "constant" })
            {
                cases.Add(width, height, signal);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_OnePlane_MatchesTheWhiteningByDefinition(int width, int height, string signal)
    {
        var plane = new LumaPlane(width, height, KernelInputs.Luma(signal, width, height, seed: 1));
        var output = new LumaPlane(width, height, Garbage(width * height));

        SpectralWhitening.Apply(plane, output);

        // Alone, the blocks pair up along a row, from the left edge: the one at −hop with the one at 0, and so on.
        var expected = Whiten(plane.Values, width, height, (bx, by) => Block(plane.Values, width, height, (bx + Hop) / Hop % 2 == 0 ? bx + Hop : bx - Hop, by));
        AssertWithin(expected, output.Values, $"{width}x{height} {signal}, one plane");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_TwoPlanes_EachMatchesTheWhiteningByDefinition(int width, int height, string signal)
    {
        var first = new LumaPlane(width, height, KernelInputs.Luma(signal, width, height, seed: 2));
        var second = new LumaPlane(width, height, KernelInputs.Luma("random", width, height, seed: 3));
        var (outFirst, outSecond) = (new LumaPlane(width, height, Garbage(width * height)), new LumaPlane(width, height, Garbage(width * height)));

        SpectralWhitening.Apply(first, second, outFirst, outSecond);

        var expectedFirst = Whiten(first.Values, width, height, (bx, by) => Block(second.Values, width, height, bx, by));
        var expectedSecond = Whiten(second.Values, width, height, (bx, by) => Block(first.Values, width, height, bx, by));
        AssertWithin(expectedFirst, outFirst.Values, $"{width}x{height} {signal}, first of two");
        AssertWithin(expectedSecond, outSecond.Values, $"{width}x{height} random, second of two");
    }

    [Fact]
    public void Apply_ZeroPlane_IsExactlyZero()
    {
        // Every frequency is 0, the floor only its 1e-9, so 0 / 1e-9 = 0 exactly, with no rounding to blur it.
        var plane = new LumaPlane(70, 45, new float[70 * 45]);
        var output = new LumaPlane(70, 45, Garbage(70 * 45));

        SpectralWhitening.Apply(plane, output);

        Assert.All(output.Values, value => Assert.Equal(0f, value));
    }

    private static void AssertWithin((double[] Values, double[] Tolerances) expected, float[] actual, string scenario)
    {
        for (var i = 0; i < expected.Values.Length; i++)
        {
            Assert.True(Math.Abs(expected.Values[i] - actual[i]) <= expected.Tolerances[i],
                $"{scenario}: at sample {i} expected {expected.Values[i]}, got {actual[i]}; tolerance {expected.Tolerances[i]:g3}");
        }
    }

    /// <summary>
    /// The whitened plane by definition, and per sample how far single precision may put the kernel from it;
    /// <paramref name="partner"/> gives the block that shares each block's complex transform in the kernel.
    /// </summary>
    private static (double[] Values, double[] Tolerances) Whiten(float[] values, int width, int height, Func<int, int, double[]> partner)
    {
        var output = new double[width * height];
        var tolerances = new double[width * height];
        for (var by = -Hop; by < height; by += Hop)
        {
            for (var bx = -Hop; bx < width; bx += Hop)
            {
                var block = Block(values, width, height, bx, by);
                var (re, im) = NaiveReference.Dft2D(block, new double[Length], Side, Side, inverse: false);
                var magnitudes = new double[Length];
                for (var k = 0; k < Length; k++)
                {
                    magnitudes[k] = Math.Sqrt(re[k] * re[k] + im[k] * im[k]);
                }

                var floor = 0.1 * magnitudes.Average() + 1e-9;
                for (var k = 0; k < Length; k++)
                {
                    re[k] /= magnitudes[k] + floor;
                    im[k] /= magnitudes[k] + floor;
                }

                var (whitened, _) = NaiveReference.Dft2D(re, im, Side, Side, inverse: true);
                var error = BlockError(block, partner(bx, by), floor);
                for (var y = Math.Max(0, -by); y < Math.Min(Side, height - by); y++)
                {
                    for (var x = Math.Max(0, -bx); x < Math.Min(Side, width - bx); x++)
                    {
                        var i = (by + y) * width + bx + x;
                        output[i] += whitened[y * Side + x] / Length * Window(x) * Window(y);
                        tolerances[i] += error;
                    }
                }
            }
        }

        return (output, tolerances);
    }

    /// <summary>
    /// A bound on one block's contribution to any sample of the kernel's output, from single precision (ε = 2^-24).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The complex transform X of the pair x = a + ib errs, in 2-norm, by at most log2(n)·η·‖X‖₂, ‖X‖₂ = √n‖x‖₂
    /// (Higham, Accuracy and Stability of Numerical Algorithms, thm. 24.2: η = μ + γ4(√2 + μ) ≈ 7ε with twiddles μ
    /// rounded to float; taken as 8ε, one more stage for the windowing's rounding of x). A = (X(k) + conj X(−k)) / 2
    /// errs no more than X in 2-norm; A(k) / (|A(k)| + f) moves by at most 2·|δA(k)| / f. Back through the inverse
    /// DFT and its 1/n, a sample moves by at most the 2-norm of the result, ‖δA'‖₂ / √n. Together:
    /// 2·8ε·(log2 n + 1)·‖x‖₂ / f. This is where the partner counts: a block much quieter than its partner has a floor
    /// small beside the partner's rounding, and its bound widens to match.
    /// </para>
    /// <para>
    /// The floor is a float sum of n magnitudes over Vector&lt;float&gt;.Count lanes: relative error (n / lanes + lanes)·ε,
    /// which moves A' by as much relatively (|A'| ≤ 1). The inverse transform of A' (|A'| ≤ 1 in both halves) errs by
    /// 8ε·log2 n·√(2n)·√n / n per sample. The windows (≤ 1) and the overlap-add cost a few ε more: 16ε.
    /// </para>
    /// </remarks>
    private static double BlockError(double[] block, double[] partner, double floor)
    {
        var epsilon = NaiveReference.SingleEpsilon;
        var log = Math.Log2(Length);
        var pairNorm = Math.Sqrt(block.Sum(v => v * v) + partner.Sum(v => v * v));
        var lanes = Vector<float>.Count;
        return 2 * 8 * epsilon * (log + 1) * pairNorm / floor
            + ((Length / lanes) + lanes) * epsilon
            + 8 * epsilon * log * Math.Sqrt(2)
            + 16 * epsilon;
    }

    /// <summary>The block at (<paramref name="bx"/>, <paramref name="by"/>) times the analysis window, zero outside the plane.</summary>
    private static double[] Block(float[] values, int width, int height, int bx, int by)
    {
        var block = new double[Length];
        for (var y = Math.Max(0, -by); y < Math.Min(Side, height - by); y++)
        {
            for (var x = Math.Max(0, -bx); x < Math.Min(Side, width - bx); x++)
            {
                block[y * Side + x] = values[(by + y) * width + bx + x] * Window(x) * Window(y);
            }
        }

        return block;
    }

    /// <summary>The periodic square-root Hann window, whose squares half a block apart sum to 1.</summary>
    private static double Window(int i) => Math.Sin(Math.PI * (i + 0.5) / Side);

    private static float[] Garbage(int length)
    {
        // The kernel promises to ignore the outputs' previous values (they may be pooled).
        var values = new float[length];
        Array.Fill(values, float.NaN);
        return values;
    }
}
