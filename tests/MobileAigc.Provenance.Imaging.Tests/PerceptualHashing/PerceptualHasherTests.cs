using System.Diagnostics;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Imaging.Tests.PerceptualHashing;

public class PerceptualHasherTests(ITestOutputHelper output)
{
    // Distances that edits of the same picture stay within; PDQ's match threshold.
    private const int SameImageBound = PerceptualHash.MatchThreshold;

    private static readonly Lazy<RgbImage[]> Originals = new(() => [.. Enumerable.Range(100, 16).Select(seed => TestImages.Synthetic(seed))]);

    public static TheoryData<string> Edits => ["jpeg-q50", "jpeg-q30", "resize-50%", "resize-25%", "brightness+12", "brightness-12", "contrast-0.85", "noise-sigma4", "png-round-trip"];

    [Fact]
    public void Compute_SameImageTwice_DistanceZero()
    {
        var image = TestImages.Synthetic(1);

        var first = PerceptualHasher.Compute(image);
        var second = PerceptualHasher.Compute(image.Clone());

        Assert.Equal(0, first.DistanceTo(second));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Compute_AnyImage_SetsHalfTheBits()
    {
        var hash = PerceptualHasher.Compute(TestImages.Synthetic(2));

        Assert.Equal(128, Enumerable.Range(0, PerceptualHash.BitCount).Count(hash.GetBit));
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void Compute_EditedImage_StaysWithinMatchThreshold(string edit)
    {
        var distances = Originals.Value.Select(original =>
            PerceptualHasher.Compute(original).DistanceTo(PerceptualHasher.Compute(Apply(edit, original)))).ToArray();

        output.WriteLine($"{edit}: mean {distances.Average():F1}, min {distances.Min()}, max {distances.Max()} over {distances.Length} images");
        Assert.All(distances, d => Assert.InRange(d, 0, SameImageBound));
    }

    [Fact]
    public void Compute_DifferentImages_DistanceNearHalfAndAboveMatchThreshold()
    {
        var hashes = Enumerable.Range(1_000, 40).Select(seed => PerceptualHasher.Compute(TestImages.Synthetic(seed, 256, 256))).ToArray();
        var distances = new List<int>();
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var j = i + 1; j < hashes.Length; j++)
            {
                distances.Add(hashes[i].DistanceTo(hashes[j]));
            }
        }

        output.WriteLine($"unrelated: mean {distances.Average():F1}, min {distances.Min()}, max {distances.Max()} over {distances.Count} pairs; " +
            $"quality min {hashes.Min(h => h.Quality)}, mean {hashes.Average(h => h.Quality):F0}");
        Assert.InRange(distances.Average(), 118, 138);
        Assert.True(distances.Min() > PerceptualHash.MatchThreshold, $"Closest unrelated pair at {distances.Min()}.");
    }

    [Fact]
    public void Compute_NoiseImages_DistanceNearHalf()
    {
        var hashes = Enumerable.Range(0, 12).Select(seed => PerceptualHasher.Compute(TestImages.Noise(seed, 300, 200))).ToArray();

        var distances = hashes.SelectMany((a, i) => hashes.Skip(i + 1).Select(a.DistanceTo)).ToArray();

        output.WriteLine($"noise: mean {distances.Average():F1}, min {distances.Min()}, max {distances.Max()}");
        Assert.True(distances.Min() > PerceptualHash.MatchThreshold);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(255, 255, 255)]
    [InlineData(30, 120, 200)]
    public void Compute_FlatImage_QualityZeroAndUntrusted(byte r, byte g, byte b)
    {
        var hash = PerceptualHasher.Compute(TestImages.Solid(256, 192, r, g, b));

        Assert.Equal(0, hash.Quality);
        Assert.False(hash.IsTrusted);
    }

    [Fact]
    public void Compute_GentleGradient_QualityBelowTrusted()
    {
        var image = RgbImage.Create(512, 512);
        for (var y = 0; y < 512; y++)
        {
            for (var x = 0; x < 512; x++)
            {
                image.Pixels.AsSpan(3 * ((y * 512) + x), 3).Fill((byte)(x / 2));
            }
        }

        var hash = PerceptualHasher.Compute(image);

        output.WriteLine($"gradient quality {hash.Quality}");
        Assert.InRange(hash.Quality, 1, PerceptualHash.MinimumTrustedQuality - 1);
    }

    [Fact]
    public void Compute_DetailedImage_QualityTrusted()
    {
        var hash = PerceptualHasher.Compute(TestImages.Synthetic(3));

        Assert.True(hash.IsTrusted, $"Quality {hash.Quality}.");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 500)]
    [InlineData(63, 65)]
    [InlineData(64, 64)]
    [InlineData(129, 17)]
    public void Compute_OddSizes_Succeeds(int width, int height)
    {
        var hash = PerceptualHasher.Compute(TestImages.Noise(width * height, width, height));

        Assert.InRange(hash.Quality, 0, 100);
    }

    [Fact]
    public void Compute_RotatedOrMirrored_IsNotAMatch()
    {
        // Documented limitation, as in PDQ: geometry changes other than scaling are different pictures.
        var original = TestImages.Synthetic(4);
        var mirrored = original.Clone();
        for (var y = 0; y < 512; y++)
        {
            for (var x = 0; x < 512; x++)
            {
                original.Pixels.AsSpan(3 * ((y * 512) + x), 3).CopyTo(mirrored.Pixels.AsSpan(3 * ((y * 512) + 511 - x), 3));
            }
        }

        var distance = PerceptualHasher.Compute(original).DistanceTo(PerceptualHasher.Compute(mirrored));

        output.WriteLine($"mirrored: {distance}");
        Assert.True(distance > PerceptualHash.MatchThreshold);
    }

    [Fact]
    public void Compute_Null_Throws() => Assert.Throws<ArgumentNullException>(() => PerceptualHasher.Compute(null!));

    [Fact]
    public void Compute_Timing_PrintsMilliseconds()
    {
        // Prints only: timings depend on the machine. Warm-up first, then the best of several runs.
        foreach (var (width, height, runs) in new[] { (512, 512, 20), (4000, 3000, 5) })
        {
            var image = TestImages.Noise(width, width, height);
            PerceptualHasher.Compute(image);
            var best = double.MaxValue;
            for (var run = 0; run < runs; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                PerceptualHasher.Compute(image);
                best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
            }

            output.WriteLine($"PerceptualHasher.Compute {width}×{height}: {best:F1} ms (best of {runs})");
        }
    }

    private static RgbImage Apply(string edit, RgbImage image) => edit switch
    {
        "jpeg-q50" => ImageCodec.Decode(ImageCodec.Encode(image, ImageFileFormat.Jpeg, 50)),
        "jpeg-q30" => ImageCodec.Decode(ImageCodec.Encode(image, ImageFileFormat.Jpeg, 30)),
        "resize-50%" => ImageCodec.Resize(image, image.Width / 2, image.Height / 2),
        "resize-25%" => ImageCodec.Resize(image, image.Width / 4, image.Height / 4),
        "brightness+12" => TestImages.Brightened(image, 12),
        "brightness-12" => TestImages.Brightened(image, -12),
        "contrast-0.85" => TestImages.Contrasted(image, 0.85),
        "noise-sigma4" => TestImages.WithNoise(image, 5, 4),
        "png-round-trip" => ImageCodec.Decode(ImageCodec.Encode(image, ImageFileFormat.Png)),
        _ => throw new ArgumentOutOfRangeException(nameof(edit), edit, null),
    };
}
