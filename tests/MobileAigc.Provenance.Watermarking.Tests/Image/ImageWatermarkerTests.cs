using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

public sealed class ImageWatermarkerTests
{
    private static readonly WatermarkKey Key = WatermarkKey.Parse("0x" + new string('a', 64));
    private static readonly WatermarkKey OtherKey = WatermarkKey.Parse("0x" + new string('b', 64));
    private static readonly ImageWatermarker Watermarker = new(Key);

    // One picture per kind that matters most: texture-poor (flat cartoon, soft blobs) and textured (landscape).
    public static TheoryData<int> Pictures => [0, 3, 4];

    public static TheoryData<string> AttackNames =>
    [
        "jpeg50", "resize50-and-back", "crop80-area", "crop80-sides", "brightness1.3", "contrast1.3", "noise5", "rotate5", "rotate-5", "jpeg75-resize75",
    ];

    [Theory]
    [MemberData(nameof(Pictures))]
    public void Embed_ThenExtract_RecoversPayloadAtTargetPsnr(int seed)
    {
        var original = SyntheticImages.Create(seed);
        const ulong payload = 0xDEAD_BEEF_0123_4567;

        var marked = Watermarker.Embed(original, payload);
        var reading = Watermarker.Extract(marked);

        Assert.True(reading.Found);
        Assert.Equal(payload, reading.Payload);
        Assert.InRange(reading.Confidence, 0.9, 1.0);
        Assert.InRange(ImageAttacks.Psnr(original, marked), 42.0, 43.0);
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    [InlineData(0x8000_0000_0000_0001UL)]
    public void Embed_ExtremePayloads_RoundTrip(ulong payload)
    {
        var reading = Watermarker.Extract(Watermarker.Embed(SyntheticImages.Create(2), payload));

        Assert.Equal(payload, reading.Payload);
    }

    [Fact]
    public void Embed_LeavesInputUnchanged()
    {
        var original = SyntheticImages.Create(1);
        var copy = original.Clone();

        _ = Watermarker.Embed(original, 42);

        Assert.Equal(copy.Pixels, original.Pixels);
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Extract_AfterAttack_RecoversPayload(string attack)
    {
        foreach (var seed in new[] { 0, 3, 4 })
        {
            var payload = 0x1111_0000_0000_0000UL + (ulong)seed;
            var marked = Watermarker.Embed(SyntheticImages.Create(seed), payload);

            var reading = Watermarker.Extract(Attack(attack, marked));

            Assert.True(reading.Found, $"{attack} on picture {seed}: not found");
            Assert.Equal(payload, reading.Payload);
        }
    }

    [Theory]
    [MemberData(nameof(Pictures))]
    public void Extract_WithWrongKey_FindsNothing(int seed)
    {
        var marked = Watermarker.Embed(SyntheticImages.Create(seed), 7);

        var reading = new ImageWatermarker(OtherKey).Extract(marked);

        Assert.Equal(ImageWatermarkReading.NotFound, reading);
    }

    [Fact]
    public void Extract_UnmarkedImages_FindsNothing()
    {
        for (var seed = 500; seed < 515; seed++)
        {
            var reading = Watermarker.Extract(SyntheticImages.Create(seed));

            Assert.False(reading.Found, $"picture {seed}");
            Assert.Null(reading.Payload);
        }
    }

    [Theory]
    [InlineData(127, 1024)]
    [InlineData(1024, 127)]
    [InlineData(255, 255)]
    [InlineData(1, 1)]
    public void Embed_ImageTooSmall_ThrowsArgumentExceptionStatingMinimum(int width, int height)
    {
        var exception = Assert.Throws<ArgumentException>(() => Watermarker.Embed(RgbImage.Create(width, height), 1));

        Assert.Contains("at least 128 pixels", exception.Message, StringComparison.Ordinal);
        Assert.Contains("256×256", exception.Message, StringComparison.Ordinal);
        Assert.Equal("image", exception.ParamName);
    }

    [Theory]
    [InlineData(256, 256)]
    [InlineData(320, 240)]
    [InlineData(512, 128)]
    public void Embed_SmallestAcceptedImages_RoundTrip(int width, int height)
    {
        var reading = Watermarker.Extract(Watermarker.Embed(SyntheticImages.Create(0, width, height), 99));

        Assert.Equal(99UL, reading.Payload);
    }

    [Fact]
    public void Embed_LargeNonSquareImage_RoundTripsThroughJpeg()
    {
        var marked = Watermarker.Embed(SyntheticImages.Create(5, 1280, 960), 0xABCDEF);

        var reading = Watermarker.Extract(ImageAttacks.Jpeg(marked, 75));

        Assert.Equal(0xABCDEFUL, reading.Payload);
    }

    [Theory]
    [InlineData(129, 517)]
    [InlineData(4000, 30)]
    [InlineData(30, 4000)]
    [InlineData(1, 1)]
    [InlineData(63, 63)]
    [InlineData(64, 64)]
    [InlineData(65, 3001)]
    [InlineData(16384, 64)]
    [InlineData(997, 131)]
    public void Extract_OddSizes_NeverThrowsAndFindsNothing(int width, int height)
    {
        var noise = ImageAttacks.GaussianNoise(RgbImage.Create(width, height), 40, width * 31 + height);

        var reading = Watermarker.Extract(noise);

        Assert.False(reading.Found);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    public void Embed_SaturatedImage_KeepsTargetPsnrAndExtractDoesNotThrow(byte level)
    {
        var flat = RgbImage.Create(256, 256);
        Array.Fill(flat.Pixels, level);

        var marked = Watermarker.Embed(flat, 5);
        _ = Watermarker.Extract(marked);

        Assert.True(ImageAttacks.Psnr(flat, marked) >= 42.0);
    }

    [Fact]
    public void Embed_HigherTargetPsnr_IsMetExactly()
    {
        var gentle = new ImageWatermarker(Key, new ImageWatermarkOptions { TargetPsnrDb = 48 });
        var original = SyntheticImages.Create(2);

        var psnr = ImageAttacks.Psnr(original, gentle.Embed(original, 3));

        Assert.InRange(psnr, 48.0, 48.5);
    }

    [Theory]
    [InlineData(517, 389)] // odd sides, a pixel count that is not a whole number of 16-pixel vector steps
    [InlineData(700, 650)] // a scaled tile that spans no whole number of pixels (the pattern is drawn pixel by pixel)
    [InlineData(1024, 1024)] // exactly 1 MP: read at half resolution
    public void Embed_VariousSizes_RoundTripsAtTargetPsnr(int width, int height)
    {
        var original = SyntheticImages.Create(2, width, height);

        var marked = Watermarker.Embed(original, 0x5EED);

        Assert.Equal(0x5EEDUL, Watermarker.Extract(marked).Payload);
        Assert.InRange(ImageAttacks.Psnr(original, marked), 42.0, 42.5);
    }

    [Fact]
    public void Embed_PartlyClippedPicture_MeetsTargetPsnrClosely()
    {
        // A third of the pixels at 0 or 255, where the mark clips: the error the embedder counts must be the real one,
        // or the PSNR would miss the target one way or the other.
        var original = SyntheticImages.Create(4);
        for (var i = 0; i < original.Pixels.Length; i += 3)
        {
            if (i / 3 % 3 != 0)
            {
                continue;
            }

            var level = (byte)(i / 3 % 2 == 0 ? 0 : 255);
            (original.Pixels[i], original.Pixels[i + 1], original.Pixels[i + 2]) = (level, level, level);
        }

        // The dots are texture everywhere, which would earn a stronger mark (TextureMaskingMaxDb): off, so the target is exact.
        var exact = new ImageWatermarker(Key, new ImageWatermarkOptions { TextureMaskingMaxDb = 0 });
        var marked = exact.Embed(original, 11);

        Assert.InRange(ImageAttacks.Psnr(original, marked), 42.0, 42.1);
        Assert.Equal(11UL, exact.Extract(marked).Payload);
    }

    [Fact]
    public void Embed_WithoutInformedEmbedding_RoundTripsAtTargetPsnr()
    {
        var plain = new ImageWatermarker(Key, new ImageWatermarkOptions { InformedEmbedding = false });
        var original = SyntheticImages.Create(3);

        var marked = plain.Embed(original, 12);

        Assert.Equal(12UL, plain.Extract(marked).Payload);
        Assert.InRange(ImageAttacks.Psnr(original, marked), 42.0, 42.5);
    }

    [Fact]
    public void Embed_WithMasking_StillRoundTrips()
    {
        var masked = new ImageWatermarker(Key, new ImageWatermarkOptions { MaskingExponent = 0.5 });

        var reading = masked.Extract(masked.Embed(SyntheticImages.Create(0), 77));

        Assert.Equal(77UL, reading.Payload);
    }

    [Theory]
    [InlineData(29.0, 0.0, 8.0, 0.5, 1.7, 1.4)]
    [InlineData(42.0, 1.5, 8.0, 0.5, 1.7, 1.4)]
    [InlineData(42.0, 0.0, 50.0, 0.5, 1.7, 1.4)]
    [InlineData(42.0, 0.0, 8.0, 0.1, 1.7, 1.4)]
    [InlineData(42.0, 0.0, 8.0, 0.5, 3.0, 1.4)]
    [InlineData(42.0, 0.0, 8.0, 0.5, 1.7, 2.0)]
    [InlineData(42.0, 0.0, 8.0, 0.5, 1.7, 0.9)]
    public void Constructor_OptionOutOfRange_ThrowsArgumentException(double psnr, double masking, double rotation, double minScale, double maxScale, double aspect)
    {
        var options = new ImageWatermarkOptions
        {
            TargetPsnrDb = psnr,
            MaskingExponent = masking,
            MaxRotationDegrees = rotation,
            MinScale = minScale,
            MaxScale = maxScale,
            MaxAspectRatio = aspect,
        };

        Assert.Throws<ArgumentException>(() => new ImageWatermarker(Key, options));
    }

    private static RgbImage Attack(string name, RgbImage image) => name switch
    {
        "jpeg50" => ImageAttacks.Jpeg(image, 50),
        "resize50-and-back" => ImageAttacks.ScaleAndBack(image, 0.5),
        "crop80-area" => ImageAttacks.CropFraction(image, Math.Sqrt(0.8), 0.9, 0.2),
        "crop80-sides" => ImageAttacks.CropFraction(image, 0.8, 0.3, 1.0),
        "brightness1.3" => ImageAttacks.Brightness(image, 1.3),
        "contrast1.3" => ImageAttacks.Contrast(image, 1.3),
        "noise5" => ImageAttacks.GaussianNoise(image, 5, 17),
        "rotate5" => ImageAttacks.Rotate(image, 5),
        "rotate-5" => ImageAttacks.Rotate(image, -5),
        "jpeg75-resize75" => ImageAttacks.Scale(ImageAttacks.Jpeg(image, 75), 0.75),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown attack."),
    };
}
