using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// Strength by need (<see cref="ImageWatermarkOptions.StrengthByNeed"/>): a picture predicted to lose its mark once the informed
/// embedding's cancellation is lost (a rotation, a stretch, a crop) is strengthened where its texture hides it, within the floor;
/// a picture predicted to read keeps exactly the target, however textured.
/// </summary>
public sealed class StrengthByNeedTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("0x" + new string('d', 64));
    private static readonly ImageWatermarker Watermarker = new(Key);
    private static readonly ImageWatermarker ByTextureAlone = new(Key, new ImageWatermarkOptions { StrengthByNeed = false });
    private static readonly ImageWatermarker AtTarget = new(Key, new ImageWatermarkOptions { TextureMaskingMaxDb = 0 });

    [Fact]
    public void Embed_PictureThatNeedsIt_IsStrengthenedWithinTheFloorAndReadsAfterRotationAndCrop()
    {
        // Texture everywhere, but only a little above the whole-picture rule's threshold (measured when this test was written:
        // at that rule's 40.5 dB the mark reads unattacked and after none of the three attacks below).
        var original = TexturedPictures.Gravel(512, 512, contrast: 45);
        const ulong payload = 77;

        var marked = Watermarker.Embed(original, payload);

        Assert.InRange(ImageAttacks.Psnr(original, marked), 38.0, 40.0);
        Assert.Equal(payload, Watermarker.Extract(GeometricAttacks.RotateCropped(marked, 15)).Payload);
        Assert.Equal(payload, Watermarker.Extract(GeometricAttacks.RotateReflected(marked, 30)).Payload);
        Assert.Equal(payload, Watermarker.Extract(ImageAttacks.CropFraction(marked, 0.8, 0.3, 0.7)).Payload);
        Assert.False(Watermarker.Extract(GeometricAttacks.RotateCropped(ByTextureAlone.Embed(original, payload), 15)).Found, "the picture did not need it");
    }

    [Fact]
    public void Embed_TexturedPictureThatDoesNotNeedIt_KeepsExactlyTheTarget()
    {
        // A fine checkerboard is texture in every block (the whole-picture rule strengthens it) but has no energy at the
        // carriers, so the mark reads without any cancellation: it keeps the target, byte for byte.
        var original = Checkerboard(512, 512, amplitude: 24);

        var marked = Watermarker.Embed(original, 9);

        Assert.True(ImageAttacks.Psnr(original, ByTextureAlone.Embed(original, 9)) < 41.0, "the whole-picture rule would strengthen it");
        Assert.InRange(ImageAttacks.Psnr(original, marked), 42.0, 42.1);
        Assert.Equal(AtTarget.Embed(original, 9).Pixels, marked.Pixels);
        Assert.Equal(9UL, Watermarker.Extract(GeometricAttacks.RotateCropped(marked, 15)).Payload);
    }

    [Theory]
    [InlineData(0)] // landscape: sky and hills
    [InlineData(5)] // mixture
    public void Embed_PictureWithFlatParts_IsTheSameWithTheOptionOnOrOff(int seed)
    {
        var original = SyntheticImages.Create(seed);

        Assert.Equal(ByTextureAlone.Embed(original, 3).Pixels, Watermarker.Embed(original, 3).Pixels);
    }

    [Fact]
    public void Embed_OptionOff_GivesEveryTexturedPictureTheWholePictureRule()
    {
        var original = Checkerboard(512, 512, amplitude: 24);
        var texture = TextureMasking.Map(LumaPlane.FromImage(original));

        var psnr = ImageAttacks.Psnr(original, ByTextureAlone.Embed(original, 9));

        Assert.Equal(TextureMasking.PsnrDb(texture, 42.0, 38.0), psnr, tolerance: 0.05);
    }

    [Fact]
    public void Embed_CraftedPictureOfFlatSkyOverHeavyTexture_NeverStrengthensTheSkyAndKeepsTheFloor()
    {
        // An attacker's picture: the most texture the rule rewards under a flat sky, asking for the whole allowance. The mark
        // grows only inside the texture; the sky (and the band of texture beside it) carries the target's mark.
        var original = TexturedPictures.GravelUnderSky(512, 512, contrast: 90, skyFraction: 0.3);

        var marked = Watermarker.Embed(original, 77);
        var reference = AtTarget.Embed(original, 77);

        Assert.InRange(ImageAttacks.Psnr(original, marked), 38.0, 41.9);
        Assert.Equal(MarkRms(original, reference, 0, 150), MarkRms(original, marked, 0, 150), tolerance: 0.03 * MarkRms(original, reference, 0, 150));
        Assert.True(MarkRms(original, marked, 150, 512) > 1.05 * MarkRms(original, reference, 150, 512), "the texture was not strengthened");
    }

    [Fact]
    public void Embed_PayloadCopiedWithItsTag_GivesTheSamePicture()
    {
        // The strength depends on the picture and the codeword only, both of which anyone holding the marked picture has: a
        // forger who copies a codeword onto the same original gets the key holder's picture exactly, learning nothing more.
        var original = TexturedPictures.Gravel(512, 512, contrast: 45);
        var marked = Watermarker.Embed(original, 0xABCD);
        (ulong Payload, ulong Tag)? read = null;
        CodewordSearch.Extract(marked, new ImageWatermarkOptions(), (payload, tag) =>
        {
            read = (payload, tag);
            return true;
        });

        Assert.Equal(marked.Pixels, new ImageWatermarker(WatermarkKey.Generate()).EmbedTagged(original, read!.Value.Payload, read.Value.Tag).Pixels);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(3.0, 0.0013498980316301)]
    [InlineData(-1.0, 0.841344746068543)]
    public void UpperTail_KnownValues_MatchTheNormalDistribution(double z, double expected)
    {
        Assert.Equal(z == 0 ? 0.5 : expected, StrengthByNeed.UpperTail(z), tolerance: 2e-7);
    }

    [Fact]
    public void PredictedSymbolErrors_NoSignal_IsTheRandomWordsAndGrowsAsTheSignalFalls()
    {
        var reads = Enumerable.Repeat(1.0, 192).ToArray();

        Assert.Equal(32 * (1 - Math.Pow(0.5, 6)), StrengthByNeed.PredictedSymbolErrors(new double[192], 0, 1), 6);
        Assert.True(StrengthByNeed.PredictedSymbolErrors(reads, 0, 1) > StrengthByNeed.PredictedSymbolErrors(reads, 1, 1));
        Assert.Equal(0.0, StrengthByNeed.PredictedSymbolErrors(reads, 0, 0), 9);
    }

    private static double MarkRms(RgbImage original, RgbImage marked, int firstRow, int endRow)
    {
        var sum = 0.0;
        for (var i = 3 * firstRow * original.Width; i < 3 * endRow * original.Width; i++)
        {
            var d = marked.Pixels[i] - original.Pixels[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / (3.0 * (endRow - firstRow) * original.Width));
    }

    private static RgbImage Checkerboard(int width, int height, int amplitude)
    {
        var image = RgbImage.Create(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = (byte)(128 + ((x + y) % 2 == 0 ? amplitude : -amplitude));
                var i = 3 * (y * width + x);
                image.Pixels[i] = image.Pixels[i + 1] = image.Pixels[i + 2] = value;
            }
        }

        return image;
    }
}
