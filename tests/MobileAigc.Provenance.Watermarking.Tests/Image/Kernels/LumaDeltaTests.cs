using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="LumaDelta.Add"/> (32 pixels at a time in 256-bit vectors with AVX-512, then 16 in 128-bit vectors, the rest one by one) against the per-pixel
/// rule written out: it must agree exactly, bytes and squared error, ties and clamping included.
/// </summary>
public sealed class LumaDeltaTests
{
    public static TheoryData<int, float, string> Cases()
    {
        var cases = new TheoryData<int, float, string>();
        foreach (var pixels in new[] { 0, 1, 15, 16, 17, 31, 32, 33, 48, 80, 1_000 })
        {
            foreach (var (gain, pattern) in new[] { (1f, "ties"), (3.7f, "random"), (40f, "random"), (1f, "saturating"), (0f, "random") })
            {
                cases.Add(pixels, gain, pattern);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Add_EqualsThePerPixelRule(int pixels, float gain, string kind)
    {
        var random = new Random(pixels + (int)gain);
        var source = new byte[3 * pixels];
        random.NextBytes(source);
        var pattern = Pattern(kind, pixels, random);
        var (expected, expectedError) = Reference(source, pattern, gain);
        var marked = new byte[source.Length];

        var error = LumaDelta.Add(source, pattern, gain, marked);

        Assert.Equal(expected, marked);
        Assert.Equal(expectedError, error);
    }

    [Fact]
    public void Add_AllBytesDrivenToTheLimit_SumsTheErrorWithoutOverflow()
    {
        // 255² per byte over far more chunks than fit in the vector path's 32-bit lanes between flushes.
        const int pixels = 64 * 1_024;
        var source = new byte[3 * pixels];
        var pattern = Enumerable.Repeat(1f, pixels).ToArray();
        var marked = new byte[source.Length];

        var error = LumaDelta.Add(source, pattern, 300f, marked);

        Assert.Equal(3L * pixels * 255 * 255, error);
        Assert.All(marked, b => Assert.Equal(255, b));
    }

    private static float[] Pattern(string kind, int pixels, Random random) => kind switch
    {
        // Exact halves, which round to even both ways.
        "ties" => Enumerable.Range(0, pixels).Select(i => (i % 11) - 5.5f).ToArray(),
        "random" => Enumerable.Range(0, pixels).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray(),
        // Far past the byte range both ways: the delta and the sum both clamp.
        "saturating" => Enumerable.Range(0, pixels).Select(i => i % 2 == 0 ? 9_000f : -9_000f).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such pattern"),
    };

    private static (byte[] Marked, long Error) Reference(byte[] source, float[] pattern, float gain)
    {
        var marked = new byte[source.Length];
        var error = 0L;
        for (var i = 0; i < source.Length; i++)
        {
            var delta = (int)MathF.Round(gain * pattern[i / 3], MidpointRounding.ToEven);
            marked[i] = (byte)Math.Clamp(source[i] + delta, 0, 255);
            error += (long)(marked[i] - source[i]) * (marked[i] - source[i]);
        }

        return (marked, error);
    }
}
