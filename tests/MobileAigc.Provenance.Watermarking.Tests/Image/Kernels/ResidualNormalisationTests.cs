using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// The two <c>Vector&lt;float&gt;</c> loops left in <see cref="ImageWatermarker"/> (the mark's write itself is
/// <see cref="LumaDelta"/>, see <see cref="LumaDeltaTests"/>): the residual's normalisation (high-pass, divided by the
/// local RMS, clipped) and the pattern's sum of squares, against the same arithmetic written plainly in double precision.
/// </summary>
/// <remarks>
/// Lengths that are not whole vectors reach the scalar tails.
/// </remarks>
public sealed class ResidualNormalisationTests
{
    public static TheoryData<int, int, string> Cases()
    {
        var cases = new TheoryData<int, int, string>();
        foreach (var (width, height) in new[] { (1, 1), (7, 3), (13, 15), (64, 20), (101, 37) })
        {
            foreach (var signal in new[] { "random", "zero", "constant", "impulse" })
            {
                cases.Add(width, height, signal);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Normalised_MatchesTheHighPassOverLocalRmsByDefinition(int width, int height, string signal)
    {
        var values = KernelInputs.Luma(signal, width, height);
        var target = new float[width * height + 5];
        Array.Fill(target, float.NaN);

        var normalised = ReaderFrontEnd.Normalised(new LumaPlane(width, height, (float[])values.Clone()), target);

        var smooth = NaiveReference.BoxBlur(values, width, height, radius: 4, passes: 3);
        var highPass = values.Select((v, i) => v - smooth[i]).ToArray();
        var localEnergy = NaiveReference.BoxBlur(highPass.Select(v => (float)(v * v)).ToArray(), width, height, radius: 8, passes: 1);

        // Error bounds (ε = 2^-24), from LumaPlane.BoxBlur's (see BoxBlurTests: passes·(4r + 2W + 2H + 6)·ε·max|input|):
        // the high pass errs by the smoothing's bound plus ε·|v|; its square by 2|v|·δv + ε·v²; the local energy by its
        // blur's bound plus that, plus ε·v² as the reference blur takes its squares rounded to float. Then v / √(E + 1) moves by δv / √(E + 1) + |v|·δE / (2(E + 1)^(3/2)), plus 3ε of its own (division,
        // square root, addition); clipping to [-4, 4] moves nothing further.
        var epsilon = NaiveReference.SingleEpsilon;
        var maxValue = values.Max(Math.Abs);
        var deltaHighPass = (3 * (16 + 2 * width + 2 * height + 6) + 1) * epsilon * Math.Max(maxValue, highPass.Max(Math.Abs));
        var maxEnergy = highPass.Max(v => v * v);
        var deltaEnergy = (32 + 2 * width + 2 * height + 6) * epsilon * maxEnergy + 2 * Math.Sqrt(maxEnergy) * deltaHighPass + epsilon * maxEnergy;
        Assert.Same(target, normalised.Values);
        for (var i = 0; i < width * height; i++)
        {
            var root = Math.Sqrt(localEnergy[i] + 1);
            var expected = Math.Clamp(highPass[i] / root, -4, 4);
            var tolerance = deltaHighPass / root + Math.Abs(highPass[i]) * deltaEnergy / (2 * root * root * root) + 3 * epsilon * 4;
            Assert.True(Math.Abs(expected - target[i]) <= tolerance,
                $"{width}x{height} {signal}: at ({i % width}, {i / width}) expected {expected:r}, got {target[i]:r}; tolerance {tolerance:g3}");
        }
    }

    [Theory]
    [InlineData(0, "random")]
    [InlineData(1, "random")]
    [InlineData(7, "random")]
    [InlineData(8, "random")]
    [InlineData(9, "random")]
    [InlineData(17, "impulse")]
    [InlineData(1001, "random")]
    [InlineData(1001, "constant")]
    [InlineData(1001, "zero")]
    public void SumOfSquares_MatchesTheSumInDoublePrecision(int length, string signal)
    {
        var values = KernelInputs.Luma(signal, length, 1).Select(v => v - 128f).ToArray();
        var actual = PsnrFit.SumOfSquares(values);

        // A float times a float is exact in double (24 + 24 bits < 53); only the n additions round, each by at most
        // 2^-53 of the running sum, which never exceeds the total.
        var expected = values.Sum(v => (double)v * v);
        Assert.True(Math.Abs(expected - actual) <= length * NaiveReference.DoubleEpsilon * expected,
            $"{length} {signal}: expected {expected:r}, got {actual:r}");
    }
}
