using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="LumaPlane.BoxBlur(int, int)"/> (running sums: eight rows at a time in AVX lanes, then four interleaved,
/// then one; columns in vectors with a scalar tail) against every window summed afresh in double precision.
/// </summary>
/// <remarks>
/// Heights of 8k + 4 + 3 rows take all three row paths in one plane; widths below 8 skip the AVX rows; widths that are
/// not whole vectors take the column tail; radii wider than the plane clamp on both sides at once.
/// </remarks>
public sealed class BoxBlurTests
{
    public static TheoryData<int, int, int, int, string> Cases()
    {
        var cases = new TheoryData<int, int, int, int, string>();
        foreach (var (width, height) in new[] { (1, 1), (3, 2), (7, 5), (8, 8), (13, 15), (64, 20), (101, 37) })
        {
            foreach (var (radius, passes) in new[] { (0, 1), (1, 1), (3, 3), (12, 1) })
            {
                foreach (var signal in new[] { "random", "impulse", "constant" })
                {
                    cases.Add(width, height, radius, passes, signal);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BoxBlur_MatchesTheWindowMeansByDefinition(int width, int height, int radius, int passes, string signal)
    {
        var values = KernelInputs.Luma(signal, width, height);
        var expected = NaiveReference.BoxBlur(values, width, height, radius, passes);

        var blurred = new LumaPlane(width, height, (float[])values.Clone()).BoxBlur(radius, passes);

        // A running sum of 2r + 1 samples (each at most M) is rounded at its 2r + 1 first additions and at two updates per
        // step along an axis of length L, each by at most ε·(2r + 1)·M; divided by 2r + 1 that is (2r + 2L + 3)·ε·M per axis
        // and pass (the rounded 1/(2r + 1) included).
        var maximum = values.Max(Math.Abs);
        var tolerance = passes * (4 * radius + 2 * width + 2 * height + 6) * NaiveReference.SingleEpsilon * maximum;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - blurred.Values[i]) <= tolerance,
                $"{width}x{height} r={radius} passes={passes} {signal}: at ({i % width}, {i / width}) expected {expected[i]}, got {blurred.Values[i]}; tolerance {tolerance:g3}");
        }
    }

    [Fact]
    public void BoxBlur_IntoAPooledBuffer_EqualsTheAllocatingOne()
    {
        var plane = new LumaPlane(29, 19, KernelInputs.Luma("random", 29, 19));
        var pooled = new float[29 * 19 + 7];

        plane.BoxBlur(pooled, radius: 2, passes: 3);

        Assert.Equal(plane.BoxBlur(2, 3).Values, pooled[..(29 * 19)]);
    }
}
