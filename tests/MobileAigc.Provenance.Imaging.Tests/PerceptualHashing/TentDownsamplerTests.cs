using MobileAigc.Provenance.Imaging.PerceptualHashing;

namespace MobileAigc.Provenance.Imaging.Tests.PerceptualHashing;

/// <summary>
/// <see cref="TentDownsampler.Downsample"/> (each sample a dot product of a row or column with its tent weights, four
/// lanes of <c>Vector128</c> then a scalar tail) against the tent by definition in double precision: every pixel of the
/// axis weighed by the tent centred on the cell, the weights renormalised over the pixels inside the picture.
/// </summary>
/// <remarks>
/// A side of L pixels gives tents about 2L / 64 pixels long: sides of 1, 3 and 64 leave only the scalar tail (tents of
/// one or two pixels), 100 gives tents of three, 257 of seven or eight, 700 of about 22 (whole vectors and a tail).
/// Pictures of a million pixels or more sample their rows in parallel bands.
/// </remarks>
public sealed class TentDownsamplerTests
{
    private const int Size = TentDownsampler.Size;

    /// <summary>Single-precision unit roundoff, 2^-24.</summary>
    private const double SingleEpsilon = 1.0 / (1 << 24);

    public static TheoryData<int, int, string> Cases()
    {
        var cases = new TheoryData<int, int, string>();
        foreach (var (width, height) in new[] { (1, 1), (3, 5), (64, 64), (100, 257), (700, 130) })
        {
            foreach (var signal in new[] { "random", "zero", "constant", "impulse" })
            {
                cases.Add(width, height, signal);
            }
        }

        cases.Add(1100, 1000, "random");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Downsample_MatchesTheTentByDefinition(int width, int height, string signal)
    {
        var image = Image(signal, width, height);

        var sampled = TentDownsampler.Downsample(image);

        var (horizontal, vertical) = (Tent(width), Tent(height));
        var rows = new double[height * Size];
        for (var y = 0; y < height; y++)
        {
            for (var c = 0; c < Size; c++)
            {
                var sum = 0.0;
                for (var x = 0; x < width; x++)
                {
                    var p = 3 * (y * width + x);
                    sum += horizontal[c, x] * (0.299 * image.Pixels[p] + 0.587 * image.Pixels[p + 1] + 0.114 * image.Pixels[p + 2]);
                }

                rows[y * Size + c] = sum;
            }
        }

        // Each value is a weighted mean (weights ≥ 0 summing to 1) of luma ≤ 255. In single precision the luma errs by a
        // few ε·255, each float weight by ε relatively, and a dot product of n terms, summed in any order, by n·ε·Σ|terms|
        // ≤ n·ε·255; the column's dot carries the rows' errors through (its weights sum to 1) and adds its own.
        var tolerance = (Longest(horizontal) + Longest(vertical) + 12) * SingleEpsilon * 255;
        for (var r = 0; r < Size; r++)
        {
            for (var c = 0; c < Size; c++)
            {
                var expected = 0.0;
                for (var y = 0; y < height; y++)
                {
                    expected += vertical[r, y] * rows[y * Size + c];
                }

                var actual = sampled[r * Size + c];
                Assert.True(Math.Abs(expected - actual) <= tolerance,
                    $"{width}x{height} {signal}: at ({c}, {r}) expected {expected:r}, got {actual:r}; tolerance {tolerance:g3}");
            }
        }
    }

    [Fact]
    public void Downsample_Zeros_IsExactlyZero()
    {
        Assert.All(TentDownsampler.Downsample(RgbImage.Create(257, 100)), value => Assert.Equal(0f, value));
    }

    /// <summary>
    /// Per sample i and pixel k of an axis of <paramref name="length"/> pixels, the tent weight: a tent of half-width
    /// max(1, cell) pixels (cell = length / 64) centred on the cell's centre (i + ½)·cell, pixel k's centre at k + ½,
    /// cut at the edges and renormalised.
    /// </summary>
    private static double[,] Tent(int length)
    {
        var cell = length / (double)Size;
        var halfWidth = Math.Max(1.0, cell * TentDownsampler.TentHalfWidthCells);
        var weights = new double[Size, length];
        for (var i = 0; i < Size; i++)
        {
            var total = 0.0;
            for (var k = 0; k < length; k++)
            {
                weights[i, k] = Math.Max(0, 1 - (Math.Abs(k + 0.5 - (i + 0.5) * cell) / halfWidth));
                total += weights[i, k];
            }

            for (var k = 0; k < length; k++)
            {
                weights[i, k] /= total;
            }
        }

        return weights;
    }

    /// <summary>The most pixels under any one tent.</summary>
    private static int Longest(double[,] tent)
    {
        var longest = 0;
        for (var i = 0; i < tent.GetLength(0); i++)
        {
            var count = 0;
            for (var k = 0; k < tent.GetLength(1); k++)
            {
                count += tent[i, k] > 0 ? 1 : 0;
            }

            longest = Math.Max(longest, count);
        }

        return longest;
    }

    private static RgbImage Image(string signal, int width, int height)
    {
        var pixels = new byte[3 * width * height];
        switch (signal)
        {
            case "random":
                new Random(width * 10_000 + height).NextBytes(pixels);
                break;
            case "constant":
                Array.Fill(pixels, (byte)200);
                break;
            case "impulse":
                var p = 3 * (height / 2 * width + width / 2);
                (pixels[p], pixels[p + 1], pixels[p + 2]) = (255, 255, 255);
                break;
        }

        return RgbImage.FromPixels(width, height, pixels);
    }
}
