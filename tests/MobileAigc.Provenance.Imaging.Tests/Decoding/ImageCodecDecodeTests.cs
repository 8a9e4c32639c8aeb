using System.Diagnostics;
using SkiaSharp;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Imaging.Tests.Decoding;

public class ImageCodecDecodeTests(ITestOutputHelper output)
{
    private static readonly RgbImage Picture = TestImages.Synthetic(seed: 7, width: 96, height: 64);

    [Theory]
    [InlineData(ImageFileFormat.Png)]
    [InlineData(ImageFileFormat.Jpeg)]
    [InlineData(ImageFileFormat.Webp)]
    public void Decode_ValidFile_ReturnsImageOfEncodedSize(ImageFileFormat format)
    {
        var decoded = ImageCodec.Decode(ImageCodec.Encode(Picture, format));

        Assert.Equal((96, 64), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Decode_Png_IsLossless()
    {
        var decoded = ImageCodec.Decode(ImageFiles.Png(Picture));

        Assert.Equal(Picture.Pixels, decoded.Pixels);
    }

    [Theory]
    [InlineData(ImageFileFormat.Png)]
    [InlineData(ImageFileFormat.Jpeg)]
    [InlineData(ImageFileFormat.Webp)]
    public void Decode_OneByOnePixel_Succeeds(ImageFileFormat format)
    {
        var decoded = ImageCodec.Decode(ImageCodec.Encode(TestImages.Solid(1, 1, 200, 100, 50), format));

        Assert.Equal((1, 1), (decoded.Width, decoded.Height));
        var (r, g, b) = TestImages.PixelAt(decoded, 0, 0);
        Assert.InRange(r, 190, 210);
        Assert.InRange(g, 90, 110);
        Assert.InRange(b, 40, 60);
    }

    [Fact]
    public void Decode_ZeroBytes_ThrowsEmpty()
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode([]));

        Assert.Equal(UnreadableImageReason.Empty, ex.Reason);
        Assert.Contains("empty", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(4096)]
    public void Decode_RandomBytes_ThrowsUnsupportedFormat(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        bytes[0] = 0x42; // Not 0x89 or 0xFF: never a PNG or JPEG signature by chance.

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(bytes));

        Assert.Equal(UnreadableImageReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("unsupported format", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_TextFile_ThrowsUnsupportedFormat()
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode("This is a text file, not a picture.\n"u8));

        Assert.Equal(UnreadableImageReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("unsupported format", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_Gif_ThrowsUnsupportedFormatNamingGif()
    {
        // A complete 1×1 GIF89a: header, screen descriptor with a 2-colour table, image, LZW data, trailer.
        byte[] gif =
        [
            .. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
            0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
        ];

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(gif));

        Assert.Equal(UnreadableImageReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("GIF", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.6)]
    [InlineData(0.2)]
    public void Decode_TruncatedPng_ThrowsTruncated(double keep)
    {
        var png = ImageFiles.Png(Picture);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(png.AsSpan(0, (int)(png.Length * keep))));

        Assert.Equal(UnreadableImageReason.Truncated, ex.Reason);
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(30)]
    public void Decode_PngCutInsideHeader_ThrowsTruncated(int length)
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(ImageFiles.Png(Picture).AsSpan(0, length)));

        Assert.Equal(UnreadableImageReason.Truncated, ex.Reason);
    }

    [Theory]
    [InlineData(0.98)]
    [InlineData(0.7)]
    [InlineData(0.3)]
    public void Decode_TruncatedJpeg_ThrowsTruncated(double keep)
    {
        // SkiaSharp would return the top of the picture with IncompleteInput; a partial image is refused.
        var jpeg = ImageFiles.Jpeg(Picture);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(jpeg.AsSpan(0, (int)(jpeg.Length * keep))));

        Assert.Equal(UnreadableImageReason.Truncated, ex.Reason);
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Decode_JpegCutBeforeFrameHeader_ThrowsTruncated()
    {
        var jpeg = ImageFiles.Jpeg(Picture);
        var sof = ImageFiles.JpegMarkerOffset(jpeg, 0xC0);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(jpeg.AsSpan(0, sof + 3)));

        Assert.Equal(UnreadableImageReason.Truncated, ex.Reason);
    }

    [Fact]
    public void Decode_JpegWithStrayBytesBetweenSegments_DecodesLikeLibjpeg()
    {
        // Some cameras and editors leave padding between segments; libjpeg skips it with a warning.
        var jpeg = ImageFiles.Jpeg(Picture);
        var sof = ImageFiles.JpegMarkerOffset(jpeg, 0xC0);
        byte[] padded = [.. jpeg.AsSpan(0, sof), 0x00, 0x12, 0x34, .. jpeg.AsSpan(sof)];

        var decoded = ImageCodec.Decode(padded);

        Assert.Equal((96, 64), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Decode_JpegWithoutFrameHeader_ThrowsCorrupt()
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode([0xFF, 0xD8, 0xFF, 0xD9]));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
    }

    [Fact]
    public void Decode_PngHeaderClaimingHundredThousandSquared_RefusedBeforeAllocating()
    {
        var bomb = ImageFiles.PngDeclaring(100_000, 100_000);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(bomb));

        Assert.Equal(UnreadableImageReason.TooLarge, ex.Reason);
        Assert.Contains("100000×100000", ex.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 64 * 1024);
    }

    [Fact]
    public void Decode_JpegFrameClaiming65000Squared_RefusedBeforeAllocating()
    {
        var bomb = ImageFiles.JpegDeclaring(ImageFiles.Jpeg(Picture), 65_000, 65_000);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(bomb));

        Assert.Equal(UnreadableImageReason.TooLarge, ex.Reason);
        Assert.Contains("65000×65000", ex.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 64 * 1024);
    }

    [Theory]
    [InlineData(RgbImage.MaxSide + 1, 1)]     // one side too long
    [InlineData(1, RgbImage.MaxSide + 1)]
    [InlineData(8_192, 8_193)]                // sides fine, area over 64 megapixels
    [InlineData(uint.MaxValue, 1)]            // beyond int: must not overflow
    public void Decode_PngDeclaringTooManyPixels_ThrowsTooLarge(uint width, uint height)
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(ImageFiles.PngDeclaring(width, height)));

        Assert.Equal(UnreadableImageReason.TooLarge, ex.Reason);
    }

    [Fact]
    public void Decode_JpegDeclaringTooLongSide_ThrowsTooLarge()
    {
        var ex = Assert.Throws<UnreadableImageException>(
            () => ImageCodec.Decode(ImageFiles.JpegDeclaring(ImageFiles.Jpeg(Picture), RgbImage.MaxSide + 1, 1)));

        Assert.Equal(UnreadableImageReason.TooLarge, ex.Reason);
    }

    [Theory]
    [InlineData(0u, 10u)]
    [InlineData(10u, 0u)]
    public void Decode_PngDeclaringZeroSide_ThrowsCorrupt(uint width, uint height)
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(ImageFiles.PngDeclaring(width, height)));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
    }

    [Fact]
    public void Decode_PngDeclaringOtherSizeThanItsData_ThrowsTruncatedOrCorrupt()
    {
        // A valid header for 64×64 but one zero byte of image data.
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(ImageFiles.PngDeclaring(64, 64)));

        Assert.Contains(ex.Reason, new[] { UnreadableImageReason.Truncated, UnreadableImageReason.Corrupt });
    }

    [Theory]
    [InlineData("IHDR")]
    [InlineData("IDAT")]
    [InlineData("IEND")]
    public void Decode_PngWithBadCrc_ThrowsCorruptNamingChunk(string chunk)
    {
        var png = ImageFiles.Png(Picture);
        var (offset, _, length) = ImageFiles.PngChunks(png).First(c => c.Type == chunk);
        png[offset + 8 + length] ^= 0x01; // first CRC byte

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(png));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains($"CRC mismatch in chunk {chunk}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PngWithFlippedDataByte_ThrowsCorrupt()
    {
        var png = ImageFiles.Png(Picture);
        var (offset, _, length) = ImageFiles.PngChunks(png).First(c => c.Type == "IDAT");
        png[offset + 8 + (length / 2)] ^= 0x40;

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(png));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
    }

    [Fact]
    public void Decode_PngWithDamagedCompressedDataButValidCrcs_ThrowsUnreadable()
    {
        var png = ImageFiles.Png(Picture);
        var (offset, _, length) = ImageFiles.PngChunks(png).First(c => c.Type == "IDAT");
        png.AsSpan(offset + 8 + 2, length - 2).Fill(0xFF); // keep the zlib header, wreck the stream
        ImageFiles.FixPngCrcs(png);

        Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(png));
    }

    [Fact]
    public void Decode_PngWithTransparency_CompositesOverBlack()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(2, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.SetPixel(0, 0, new SKColor(255, 0, 0, 0));   // invisible red
        bitmap.SetPixel(1, 0, new SKColor(200, 100, 50, 255));
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);

        var decoded = ImageCodec.Decode(png.ToArray());

        Assert.Equal(((byte)0, (byte)0, (byte)0), TestImages.PixelAt(decoded, 0, 0));
        Assert.Equal(((byte)200, (byte)100, (byte)50), TestImages.PixelAt(decoded, 1, 0));
    }

    [Theory]
    [InlineData(1, "red-left")]
    [InlineData(2, "red-right")]
    [InlineData(3, "red-right")]
    [InlineData(4, "red-left")]
    [InlineData(5, "red-top")]
    [InlineData(6, "red-top")]
    [InlineData(7, "red-bottom")]
    [InlineData(8, "red-bottom")]
    public void Decode_JpegWithExifOrientation_ReturnsUprightImage(ushort orientation, string expected)
    {
        // Stored 64×32: left half red, right half blue.
        var stored = TestImages.Solid(64, 32, 0, 0, 255);
        for (var y = 0; y < 32; y++)
        {
            TestImages.Solid(32, 1, 255, 0, 0).Pixels.CopyTo(stored.Pixels, 3 * y * 64);
        }

        var decoded = ImageCodec.Decode(ImageFiles.JpegWithExifOrientation(ImageFiles.Jpeg(stored), orientation));

        var swapped = orientation >= 5;
        Assert.Equal(swapped ? (32, 64) : (64, 32), (decoded.Width, decoded.Height));
        var (probeX, probeY) = expected switch
        {
            "red-left" => (8, 16),
            "red-right" => (56, 16),
            "red-top" => (16, 8),
            _ => (16, 56),
        };
        var (r, _, b) = TestImages.PixelAt(decoded, probeX, probeY);
        Assert.True(r > 200 && b < 60, $"Expected red at ({probeX}, {probeY}), got R={r} B={b}.");
    }

    [Fact]
    public void Decode_ExifOrientationWithCorner_MapsEachCornerLikeAViewer()
    {
        // Stored 48×32 with a green 8×8 block at the stored top-left; orientation 6 (turn 90° clockwise)
        // must show it at the top-right.
        var stored = TestImages.Solid(48, 32, 0, 0, 0);
        for (var y = 0; y < 8; y++)
        {
            TestImages.Solid(8, 1, 0, 255, 0).Pixels.CopyTo(stored.Pixels, 3 * y * 48);
        }

        var decoded = ImageCodec.Decode(ImageFiles.JpegWithExifOrientation(ImageFiles.Jpeg(stored, 95), 6));

        Assert.Equal((32, 48), (decoded.Width, decoded.Height));
        Assert.True(TestImages.PixelAt(decoded, 28, 3).G > 200);
        Assert.True(TestImages.PixelAt(decoded, 3, 3).G < 60);
    }

    [Fact]
    public void Decode_RandomlyDamagedFiles_OnlyEverThrowsUnreadableImage()
    {
        // A small fuzz: flipped bytes and cuts anywhere, PNGs with their CRCs repaired so the damage
        // reaches libpng and zlib; WebP (lossy and lossless) has no checksums, so its damage reaches libwebp. Whatever happens, the process survives and nothing but
        // UnreadableImageException escapes.
        var random = new Random(20_240_601);
        var png = ImageFiles.Png(Picture);
        var jpeg = ImageFiles.Jpeg(Picture);
        byte[][] webps = [WebpFiles.Encode(Picture), WebpFiles.Encode(Picture, quality: 100)];
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < 800; round++)
        {
            var source = (round % 4) switch { 0 => png, 1 => jpeg, var other => webps[other - 2] };
            var file = (byte[])source.Clone();
            for (var flips = random.Next(1, 12); flips > 0; flips--)
            {
                file[random.Next(2, file.Length)] = (byte)random.Next(256);
            }

            if (round % 3 == 0)
            {
                file = file[..random.Next(1, file.Length)];
            }

            if (source == png && round % 16 != 0) // three PNGs in four
            {
                ImageFiles.FixPngCrcs(file);
            }

            string outcome;
            try
            {
                var image = ImageCodec.Decode(file);
                outcome = $"decoded {image.Width}×{image.Height}";
            }
            catch (UnreadableImageException ex)
            {
                outcome = ex.Reason.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(Environment.NewLine, outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Value,4} {o.Key}")));
        Assert.True(outcomes.Keys.Count(k => !k.StartsWith("decoded", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public void Decode_Timing_PrintsMilliseconds()
    {
        // Prints only: a 12-megapixel, phone-photo-sized PNG and JPEG.
        var image = ImageCodec.Resize(TestImages.Synthetic(seed: 9, 1000, 750), 4000, 3000);
        foreach (var format in new[] { ImageFileFormat.Png, ImageFileFormat.Jpeg, ImageFileFormat.Webp })
        {
            var file = ImageCodec.Encode(image, format);
            ImageCodec.Decode(file);
            var best = double.MaxValue;
            for (var run = 0; run < 1; run++)
            {
                var stopwatch = Stopwatch.StartNew();
                ImageCodec.Decode(file);
                best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
            }

            output.WriteLine($"ImageCodec.Decode {format} 4000×3000 ({file.Length / 1_000_000.0:F1} MB): {best:F0} ms (after a warm-up)");
        }
    }
}
