namespace MobileAigc.Provenance.Imaging.Tests;

public class ImageCodecTests
{
    [Theory]
    [InlineData(ImageFileFormat.Png)]
    [InlineData(ImageFileFormat.Jpeg)]
    [InlineData(ImageFileFormat.Webp)]
    public void Sniff_EncodedFile_ReturnsItsFormat(ImageFileFormat format) =>
        Assert.Equal(format, ImageCodec.Sniff(ImageCodec.Encode(TestImages.Solid(4, 4, 1, 2, 3), format)));

    [Theory]
    [InlineData("")]
    [InlineData("GIF89a")]
    [InlineData("RIFF\0\0\0\0WAVEfmt ")]
    [InlineData("RIFF\0\0\0\0WEB")]
    [InlineData("hello")]
    public void Sniff_OtherBytes_ReturnsNull(string text) =>
        Assert.Null(ImageCodec.Sniff(System.Text.Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Sniff_PngSignatureCutShort_ReturnsNull() =>
        Assert.Null(ImageCodec.Sniff(ImageFiles.PngSignature.AsSpan(0, 7)));

    [Theory]
    [InlineData(ImageFileFormat.Jpeg, 0)]
    [InlineData(ImageFileFormat.Jpeg, 101)]
    [InlineData(ImageFileFormat.Webp, 0)]
    [InlineData(ImageFileFormat.Webp, 101)]
    [InlineData((ImageFileFormat)99, 90)]
    public void Encode_QualityOutOfRangeOrUnknownFormat_Throws(ImageFileFormat format, int quality) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.Encode(TestImages.Solid(2, 2, 0, 0, 0), format, quality));

    [Fact]
    public void ToLuma_PrimariesAndGreys_UseBt601Weights()
    {
        var image = RgbImage.FromPixels(5, 1, [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0]);

        var luma = ImageCodec.ToLuma(image);

        Assert.Equal(5, luma.Length);
        Assert.Equal(76.245f, luma[0], 0.001f);
        Assert.Equal(149.685f, luma[1], 0.001f);
        Assert.Equal(29.07f, luma[2], 0.001f);
        Assert.Equal(255f, luma[3], 0.001f);
        Assert.Equal(0f, luma[4]);
    }

    [Fact]
    public void ToLuma_RowMajor_OneValuePerPixel()
    {
        var image = TestImages.Synthetic(seed: 11, width: 7, height: 3);

        var luma = ImageCodec.ToLuma(image);

        var (r, g, b) = TestImages.PixelAt(image, 5, 2);
        Assert.Equal((0.299f * r) + (0.587f * g) + (0.114f * b), luma[(2 * 7) + 5], 0.001f);
    }

    [Fact]
    public void ToLuma_Null_Throws() => Assert.Throws<ArgumentNullException>(() => ImageCodec.ToLuma(null!));

    [Theory]
    [InlineData(50, 25)]
    [InlineData(300, 10)]
    [InlineData(1, 1)]
    [InlineData(257, 1031)]
    public void Resize_AnySize_ReturnsThatSize(int width, int height)
    {
        var resized = ImageCodec.Resize(TestImages.Synthetic(seed: 5, width: 100, height: 80), width, height);

        Assert.Equal((width, height), (resized.Width, resized.Height));
        Assert.Equal(3 * width * height, resized.Pixels.Length);
    }

    [Fact]
    public void Resize_SameSize_ReturnsEqualCopy()
    {
        var image = TestImages.Synthetic(seed: 6, width: 40, height: 30);

        var resized = ImageCodec.Resize(image, 40, 30);

        Assert.NotSame(image.Pixels, resized.Pixels);
        Assert.Equal(image.Pixels, resized.Pixels);
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(640, 480)]
    public void Resize_SolidColour_KeepsColour(int width, int height)
    {
        var resized = ImageCodec.Resize(TestImages.Solid(64, 48, 10, 150, 240), width, height);

        for (var i = 0; i < resized.Pixels.Length; i += 3)
        {
            Assert.InRange(resized.Pixels[i], 9, 11);
            Assert.InRange(resized.Pixels[i + 1], 149, 151);
            Assert.InRange(resized.Pixels[i + 2], 239, 241);
        }
    }

    [Fact]
    public void Resize_LargeReductionOfFineCheckerboard_AveragesInsteadOfAliasing()
    {
        // One-pixel black/white checks shrunk 16 times: a good filter gives mid-grey everywhere;
        // point sampling would give pure black or white.
        var checks = RgbImage.Create(1024, 1024);
        for (var y = 0; y < 1024; y++)
        {
            for (var x = 0; x < 1024; x++)
            {
                checks.Pixels.AsSpan(3 * ((y * 1024) + x), 3).Fill((x + y) % 2 == 0 ? (byte)255 : (byte)0);
            }
        }

        var resized = ImageCodec.Resize(checks, 64, 64);

        Assert.All(resized.Pixels, v => Assert.InRange(v, 100, 155));
    }

    [Fact]
    public void Resize_Upscale_KeepsLayout()
    {
        // Left half black, right half white: after a 4× enlargement the halves are still where they were.
        var image = RgbImage.Create(8, 8);
        for (var y = 0; y < 8; y++)
        {
            image.Pixels.AsSpan(3 * ((y * 8) + 4), 12).Fill(255);
        }

        var resized = ImageCodec.Resize(image, 32, 32);

        Assert.True(TestImages.PixelAt(resized, 4, 16).R < 20);
        Assert.True(TestImages.PixelAt(resized, 28, 16).R > 235);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(RgbImage.MaxSide + 1, 10)]
    [InlineData(10_000, 10_000)]
    public void Resize_SizeOutOfRange_Throws(int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageCodec.Resize(TestImages.Solid(2, 2, 0, 0, 0), width, height));

    [Fact]
    public void Resize_Null_Throws() => Assert.Throws<ArgumentNullException>(() => ImageCodec.Resize(null!, 2, 2));
}
