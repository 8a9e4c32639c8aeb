using System.Security.Cryptography;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using MobileAigc.Provenance.WatermarkRobustness.FalsePositives;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

namespace MobileAigc.Provenance.WatermarkRobustness.Tests;

public sealed class FalsePositiveRunTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("0x" + Convert.ToHexString(SHA256.HashData("false-positive-run-test"u8)));

    [Fact]
    public void Run_MarkedPictureAmongUnmarked_CountsItsVariantsAsHitsForItsKeyOnly()
    {
        var unmarked = SyntheticImages.Create(11);
        var marked = new ImageWatermarker(Key).Embed(SyntheticImages.Create(12), 0x0123_4567_89AB_CDEF);
        var set = new PictureSet("test", "two pictures", [new BenchmarkPicture("unmarked", unmarked), new BenchmarkPicture("marked", marked)]);

        // The first two variants of each picture: crops to 90 % of each side at the top-left and bottom-right corners.
        var result = FalsePositiveRun.Run([set], 4, Key);

        Assert.Equal(4, result.Reads);
        Assert.Equal(2, result.Pictures);
        Assert.Equal(FalsePositiveRun.KeyCount, result.KeyCount);
        Assert.Equal(4, result.ReadsPerKind["crop"]);
        Assert.Equal(2, result.Hits.Count);
        Assert.All(result.Hits, hit =>
        {
            Assert.Equal("test/marked", hit.Picture);
            Assert.Equal([0], hit.KeyIndices);
        });
    }

    [Fact]
    public void Run_MoreVariantsThanThePicturesGive_IsRefused()
    {
        var set = new PictureSet("test", "one picture", [new BenchmarkPicture("one", SyntheticImages.Create(13))]);

        var error = Assert.Throws<BenchmarkInputException>(() => FalsePositiveRun.Run([set], UnmarkedVariants.All.Count + 1, Key));

        Assert.Contains($"1 × {UnmarkedVariants.All.Count}", error.Message, StringComparison.Ordinal);
    }
}
