using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="Fft"/>'s 2-D transforms (double and single precision) against the DFT by definition, on random
/// signals, impulses and constants, over sizes that take the vector butterflies, the scalar tails and, in single
/// precision, both the 8 × 8 register transpose (both sides multiples of 8) and the plain one.
/// </summary>
public sealed class FftTests
{
    public static TheoryData<int, int, string> Cases()
    {
        var cases = new TheoryData<int, int, string>();
        foreach (var (width, height) in new[] { (1, 1), (2, 1), (1, 8), (2, 2), (4, 16), (16, 4), (8, 8), (16, 32), (64, 8), (2, 128), (64, 64) })
        {
            foreach (var signal in new[] { "random", "impulse", "constant", "zero" })
            {
                cases.Add(width, height, signal);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transform2D_Double_MatchesTheDftByDefinition(int width, int height, string signal)
    {
        foreach (var inverse in new[] { false, true })
        {
            var (re, im) = Signal(signal, width, height);
            var (expectedRe, expectedIm) = NaiveReference.Dft2D(re, im, width, height, inverse);

            Fft.Transform2D(re, im, width, height, inverse);

            var (originalRe, originalIm) = Signal(signal, width, height);
            var tolerance = NaiveReference.FftTolerance(width * height, NaiveReference.DoubleEpsilon, NaiveReference.Energy(originalRe, originalIm))
                + NaiveReference.DftError(originalRe, originalIm, width, height);
            AssertClose(expectedRe, expectedIm, re, im, tolerance, $"{width}x{height} {signal} inverse={inverse}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transform2D_Single_MatchesTheDftByDefinition(int width, int height, string signal)
    {
        foreach (var inverse in new[] { false, true })
        {
            var (re, im) = Signal(signal, width, height);
            var (singleRe, singleIm) = (Array.ConvertAll(re, v => (float)v), Array.ConvertAll(im, v => (float)v));
            // The reference transforms the rounded input: the rounding of the input is not the transform's error.
            var (expectedRe, expectedIm) = NaiveReference.Dft2D(Array.ConvertAll(singleRe, v => (double)v), Array.ConvertAll(singleIm, v => (double)v), width, height, inverse);

            Fft.Transform2D(singleRe, singleIm, width, height, inverse);

            var tolerance = NaiveReference.FftTolerance(width * height, NaiveReference.SingleEpsilon, NaiveReference.Energy(re, im))
                + NaiveReference.DftError(re, im, width, height);
            AssertClose(expectedRe, expectedIm, Array.ConvertAll(singleRe, v => (double)v), Array.ConvertAll(singleIm, v => (double)v), tolerance, $"{width}x{height} {signal} inverse={inverse}");
        }
    }

    [Theory]
    [InlineData(8, 8)]
    [InlineData(32, 16)]
    [InlineData(4, 64)]
    public void Transform2D_ForwardThenInverse_GivesBackTheSignalTimesItsLength(int width, int height)
    {
        var (re, im) = Signal("random", width, height);
        var (originalRe, originalIm) = ((double[])re.Clone(), (double[])im.Clone());

        Fft.Transform2D(re, im, width, height, inverse: false);
        Fft.Transform2D(re, im, width, height, inverse: true);

        var n = width * height;
        var tolerance = 2 * NaiveReference.FftTolerance(n, NaiveReference.DoubleEpsilon, NaiveReference.Energy(originalRe, originalIm)) * n;
        AssertClose(Array.ConvertAll(originalRe, v => v * n), Array.ConvertAll(originalIm, v => v * n), re, im, tolerance, $"{width}x{height}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    public void NextPowerOfTwo_IsTheSmallestPowerOfTwoNotBelow(int n, int expected)
    {
        Assert.Equal(expected, Fft.NextPowerOfTwo(n));
        Assert.True(Fft.IsPowerOfTwo(expected));
        Assert.Equal(n == expected, Fft.IsPowerOfTwo(n));
    }

    /// <summary>A complex test signal: random in [-128, 128), an off-centre impulse, a constant or all zero.</summary>
    internal static (double[] Re, double[] Im) Signal(string kind, int width, int height, int seed = 11)
    {
        var (re, im) = (new double[width * height], new double[width * height]);
        switch (kind)
        {
            case "random":
                var random = new Random(seed + width * 1_000 + height);
                for (var i = 0; i < re.Length; i++)
                {
                    (re[i], im[i]) = (random.NextDouble() * 256 - 128, random.NextDouble() * 256 - 128);
                }

                break;
            case "impulse":
                // Off the origin so that every frequency carries a distinct phase.
                var at = (height / 3 * width) + (width * 2 / 3);
                (re[at], im[at]) = (100.0, -50.0);
                break;
            case "constant":
                Array.Fill(re, 37.5);
                Array.Fill(im, -12.25);
                break;
            case "zero":
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such signal");
        }

        return (re, im);
    }

    internal static void AssertClose(double[] expectedRe, double[] expectedIm, double[] actualRe, double[] actualIm, double tolerance, string what)
    {
        for (var i = 0; i < expectedRe.Length; i++)
        {
            var error = Math.Max(Math.Abs(expectedRe[i] - actualRe[i]), Math.Abs(expectedIm[i] - actualIm[i]));
            Assert.True(error <= tolerance,
                $"{what}: at {i} expected ({expectedRe[i]}, {expectedIm[i]}), got ({actualRe[i]}, {actualIm[i]}); error {error:g3} > tolerance {tolerance:g3}");
        }
    }
}
