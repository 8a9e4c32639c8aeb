using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// The per-picture strength (<see cref="ImageWatermarkOptions.TextureMaskingMaxDb"/>): a picture textured everywhere gets a
/// stronger mark, down to the floor, and a picture with flat parts keeps exactly the target.
/// </summary>
public sealed class TextureMaskedStrengthTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("0x" + new string('d', 64));
    private static readonly ImageWatermarker Watermarker = new(Key);
    private static readonly ImageWatermarker Unmasked = new(Key, new ImageWatermarkOptions { TextureMaskingMaxDb = 0 });

    [Fact]
    public void Embed_TexturedPicture_GetsStrongerMarkWithinFloorAndReadsAfterJpeg30()
    {
        // At 42 dB this picture's mark does not read even unattacked (measured when this test was written).
        var original = TexturedPictures.Gravel(512, 512, contrast: 60);
        const ulong payload = 0x7E57_0000_0000_0030UL;

        var marked = Watermarker.Embed(original, payload);
        var reading = Watermarker.Extract(ImageAttacks.Jpeg(marked, 30));

        Assert.InRange(ImageAttacks.Psnr(original, marked), 38.0, 38.5);
        Assert.True(reading.Found, "not found after JPEG q30");
        Assert.Equal(payload, reading.Payload);
    }

    [Fact]
    public void Embed_ModeratelyTexturedPicture_IsStrengthenedInProportionToItsTexture()
    {
        // Texture a little above the threshold: stronger than the target, not yet at the floor. The whole-picture rule alone:
        // by need (the default), this picture needs and gets more, inside its texture (StrengthByNeedTests).
        var byTextureAlone = new ImageWatermarker(Key, new ImageWatermarkOptions { StrengthByNeed = false });
        var original = TexturedPictures.Gravel(512, 512, contrast: 50);
        var psnr = ImageAttacks.Psnr(original, byTextureAlone.Embed(original, 5));

        Assert.InRange(psnr, 38.2, 41.9);
    }

    [Theory]
    [InlineData(0)] // landscape: sky and hills
    [InlineData(3)] // soft blobs
    [InlineData(5)] // mixture
    public void Embed_PictureWithFlatParts_KeepsExactlyTargetPsnr(int seed)
    {
        var original = SyntheticImages.Create(seed);

        var marked = Watermarker.Embed(original, 9);

        Assert.InRange(ImageAttacks.Psnr(original, marked), 42.0, 42.1);
        Assert.Equal(Unmasked.Embed(original, 9).Pixels, marked.Pixels);
    }

    [Fact]
    public void Embed_MaskingOff_MarksTexturedPictureAtTargetPsnr()
    {
        var original = TexturedPictures.Gravel(512, 512, contrast: 90);

        var psnr = ImageAttacks.Psnr(original, Unmasked.Embed(original, 11));

        Assert.InRange(psnr, 42.0, 42.1);
    }

    [Fact]
    public void Embed_LowerTarget_MovesTheFloorWithIt()
    {
        var strong = new ImageWatermarker(Key, new ImageWatermarkOptions { TargetPsnrDb = 40, TextureMaskingMaxDb = 2 });
        var original = TexturedPictures.Gravel(512, 512, contrast: 90);

        Assert.InRange(ImageAttacks.Psnr(original, strong.Embed(original, 13)), 38.0, 38.1);
    }

    [Fact]
    public void Embed_PictureCraftedForMaximumTexture_StaysAtTheFloorAndReadsOnlyForItsKey()
    {
        // Every pixel black or white at random: the most texture a picture can have asks for a mark of about 23 dB.
        var random = new Random(7);
        var original = RgbImage.Create(512, 512);
        for (var i = 0; i < 512 * 512; i++)
        {
            original.Pixels[3 * i] = original.Pixels[3 * i + 1] = original.Pixels[3 * i + 2] = random.Next(2) == 0 ? (byte)0 : (byte)255;
        }

        var marked = Watermarker.Embed(original, 21);

        Assert.True(ImageAttacks.Psnr(original, marked) >= 38.0, "below the floor");
        Assert.False(new ImageWatermarker(WatermarkKey.Parse("0x" + new string('e', 64))).Extract(marked).Found, "read with another key");
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(8.5)]
    [InlineData(double.NaN)]
    public void Constructor_TextureMaskingOutOfRange_ThrowsArgumentExceptionNamingIt(double maxDb)
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageWatermarker(Key, new ImageWatermarkOptions { TextureMaskingMaxDb = maxDb }));

        Assert.Contains(nameof(ImageWatermarkOptions.TextureMaskingMaxDb), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PsnrDb_TextureTwiceTheThreshold_LowersTheTargetBySixDecibelsUpToTheFloor()
    {
        // The measure (a standard deviation) scales with the luma: a plane scaled to twice the threshold measures twice it.
        var luma = LumaPlane.FromImage(TexturedPictures.Gravel(256, 256, contrast: 40));
        var activity = TextureMasking.Map(luma).Activity;
        var threshold = TextureMasking.TextureToMarkRatio * 255.0 / Math.Pow(10, 42.0 / 20);
        var scaled = Scaled(luma, 2 * threshold / activity);

        Assert.Equal(2 * threshold, TextureMasking.Map(scaled).Activity, tolerance: 1e-3);
        Assert.Equal(42.0 - 20 * Math.Log10(2), TextureMasking.PsnrDb(TextureMasking.Map(scaled), 42.0, 30.0), tolerance: 1e-3);
        Assert.Equal(38.0, TextureMasking.PsnrDb(TextureMasking.Map(scaled), 42.0, 38.0), 6);
        Assert.Equal(42.0, TextureMasking.PsnrDb(TextureMasking.Map(Scaled(luma, 0.99 * threshold / activity)), 42.0, 30.0), 6);
    }

    [Fact]
    public void Activity_PictureWithAFlatFifth_IsTheFlatPartsTexture()
    {
        // Texture everywhere except a flat band over a fifth of the height: the flattest tenth lies in the band.
        var image = TexturedPictures.Gravel(256, 256, contrast: 40);
        for (var i = 0; i < 256 * 52 * 3; i++)
        {
            image.Pixels[i] = 128;
        }

        Assert.Equal(0.0, TextureMasking.Map(LumaPlane.FromImage(image)).Activity, 6);
    }

    private static LumaPlane Scaled(LumaPlane luma, double factor)
    {
        var scaled = new LumaPlane(luma.Width, luma.Height);
        for (var i = 0; i < luma.Values.Length; i++)
        {
            scaled.Values[i] = (float)(factor * luma.Values[i]);
        }

        return scaled;
    }
}
