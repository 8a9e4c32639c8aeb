using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using MobileAigc.Provenance.WatermarkRobustness.FalsePositives;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

namespace MobileAigc.Provenance.WatermarkRobustness.Tests;

public sealed class UnmarkedVariantsTests
{
    [Fact]
    public void All_OverThePhotographsAndSixtyGeneratedPictures_GivesAtLeastTenThousandUniquelyNamedVariants()
    {
        var photographs = PhotographEntry.ReadList(RepositoryPaths.Combine("bench", "MobileAigc.Provenance.WatermarkRobustness", "photographs.tsv")).Count;

        Assert.True((photographs + 60) * UnmarkedVariants.All.Count >= 10_000, $"({photographs} + 60) × {UnmarkedVariants.All.Count}");
        Assert.Equal(UnmarkedVariants.All.Count, UnmarkedVariants.All.Select(v => v.Name).Distinct().Count());
    }

    [Fact]
    public void All_OnALandscapePicture_AreDeterministicReadableAndChangeIt()
    {
        var image = ImageAttacks.Resize(SyntheticImages.Create(3), 512, 384);

        Assert.All(UnmarkedVariants.All, variant =>
        {
            var first = variant.Apply(image);
            var second = variant.Apply(image);
            Assert.Equal(first.Pixels, second.Pixels);
            Assert.True(Math.Min(first.Width, first.Height) >= ImageWatermarker.MinimumReadableSide, $"{variant.Name}: {first.Width}x{first.Height}");
            Assert.False(first.Width == image.Width && first.Height == image.Height && first.Pixels.AsSpan().SequenceEqual(image.Pixels), variant.Name);
        });
    }

    [Fact]
    public void GeometricAttacks_QuarterTurnsAndMirrors_MovePixelsExactly()
    {
        var image = ImageAttacks.Resize(SyntheticImages.Create(4), 40, 30);

        var turned = GeometricAttacks.RotateQuarterTurns(image, 1);

        Assert.Equal((30, 40), (turned.Width, turned.Height));
        // The bottom-left pixel of the original lands top-left after a clockwise quarter turn.
        Assert.Equal(image.Pixels.AsSpan(3 * 29 * 40, 3).ToArray(), turned.Pixels.AsSpan(0, 3).ToArray());
        Assert.Equal(image.Pixels, GeometricAttacks.RotateQuarterTurns(turned, 3).Pixels);
        Assert.Equal(image.Pixels, GeometricAttacks.FlipHorizontal(GeometricAttacks.FlipHorizontal(image)).Pixels);
        Assert.Equal(image.Pixels, GeometricAttacks.FlipVertical(GeometricAttacks.FlipVertical(image)).Pixels);
        Assert.Equal(image.Pixels.AsSpan(3 * 39, 3).ToArray(), GeometricAttacks.FlipHorizontal(image).Pixels.AsSpan(0, 3).ToArray());
        Assert.Equal(image.Pixels, GeometricAttacks.Transpose(GeometricAttacks.Transpose(image)).Pixels);
    }

    [Fact]
    public void WebP_LowQuality_LosesMoreThanHighQuality()
    {
        var image = SyntheticImages.Create(5);

        var high = ImageAttacks.Psnr(image, CompressionAttacks.WebP(image, 90));
        var low = ImageAttacks.Psnr(image, CompressionAttacks.WebP(image, 10));

        Assert.InRange(high, 30, 100);
        Assert.True(low < high - 3, $"q10 {low:F1} dB, q90 {high:F1} dB");
    }
}
