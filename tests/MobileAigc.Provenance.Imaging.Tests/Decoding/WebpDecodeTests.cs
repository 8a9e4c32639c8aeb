using SkiaSharp;

namespace MobileAigc.Provenance.Imaging.Tests.Decoding;

/// <summary>WebP through <see cref="ImageCodec.Decode"/>: each layout libwebp writes, and each way a file can lie or break.</summary>
public class WebpDecodeTests
{
    private static readonly RgbImage Picture = TestImages.Synthetic(seed: 11, width: 96, height: 64);

    [Fact]
    public void Decode_LossyWebp_ReturnsTheEncodedPictureClosely()
    {
        var webp = WebpFiles.Encode(Picture, quality: 90);
        Assert.Equal("VP8 ", WebpFiles.Chunks(webp)[0].FourCc);

        var decoded = ImageCodec.Decode(webp);

        Assert.Equal((96, 64), (decoded.Width, decoded.Height));
        Assert.InRange(MeanAbsoluteDifference(Picture, decoded), 0.1, 6.0);
    }

    [Fact]
    public void Decode_LosslessWebp_IsLossless()
    {
        var webp = WebpFiles.Encode(Picture, quality: 100);
        Assert.Equal("VP8L", WebpFiles.Chunks(webp)[0].FourCc);

        var decoded = ImageCodec.Decode(webp);

        Assert.Equal(Picture.Pixels, decoded.Pixels);
    }

    [Fact]
    public void Decode_ExtendedWebpWithAlpha_CompositesOverBlack()
    {
        var webp = WebpFiles.WithAlpha(32, 16, (x, _) => x < 16 ? new SKColor(255, 0, 0, 0) : new SKColor(200, 100, 50, 255), quality: 100);

        var decoded = ImageCodec.Decode(webp);

        Assert.Equal((32, 16), (decoded.Width, decoded.Height));
        Assert.Equal(((byte)0, (byte)0, (byte)0), TestImages.PixelAt(decoded, 4, 8));
        Assert.Equal(((byte)200, (byte)100, (byte)50), TestImages.PixelAt(decoded, 28, 8));
    }

    [Fact]
    public void Decode_LossyWebpWithAlphaChunk_DecodesTheCanvas()
    {
        var webp = WebpFiles.WithAlpha(48, 32, (x, y) => new SKColor((byte)(x * 5), (byte)(y * 7), 90, (byte)(x < 24 ? 255 : 128)), quality: 80);
        Assert.Equal(["VP8X", "ALPH", "VP8 "], WebpFiles.Chunks(webp).Select(c => c.FourCc));

        var decoded = ImageCodec.Decode(webp);

        Assert.Equal((48, 32), (decoded.Width, decoded.Height));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(6, true)]
    [InlineData(8, true)]
    public void Decode_WebpWithExifOrientation_ReturnsUprightImage(ushort orientation, bool swapped)
    {
        var webp = WebpFiles.Extended(
            WebpFiles.Encode(Picture), WebpFiles.ExifFlag, after: WebpFiles.Chunk("EXIF", WebpFiles.ExifOrientation(orientation)));

        var decoded = ImageCodec.Decode(webp);

        Assert.Equal(swapped ? (64, 96) : (96, 64), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Decode_WebpWithAnUnknownChunkAfterItsImage_DecodesAsWithout()
    {
        // C2PA appends its manifest store as a 'C2PA' chunk, in the simple format too; readers skip unknown chunks.
        var webp = WebpFiles.Encode(Picture, quality: 100);
        var withStore = WebpFiles.Appended(webp, WebpFiles.Chunk("C2PA", new byte[301]));

        Assert.Equal(ImageCodec.Decode(webp).Pixels, ImageCodec.Decode(withStore).Pixels);
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0.6)]
    [InlineData(0.2)]
    public void Decode_TruncatedWebp_ThrowsTruncatedNamingTheDeclaredSize(double keep)
    {
        var webp = WebpFiles.Encode(Picture);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp.AsSpan(0, (int)(webp.Length * keep))));

        Assert.Equal(UnreadableImageReason.Truncated, ex.Reason);
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"declares {webp.Length:N0} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RiffSizeLargerThanTheFile_ThrowsTruncated()
    {
        var webp = WebpFiles.WithRiffSize(WebpFiles.Encode(Picture), uint.MaxValue - 1);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.Truncated, ex.Reason);
    }

    [Fact]
    public void Decode_RiffSizeCuttingItsImageChunk_ThrowsCorruptNamingTheChunk()
    {
        var webp = WebpFiles.Encode(Picture);
        var lying = WebpFiles.WithRiffSize(webp, (uint)(webp.Length - 8 - 100));

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(lying));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains("'VP8 ' chunk at offset 12", ex.Message, StringComparison.Ordinal);
        Assert.Contains("past the end of the RIFF container", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3u)]
    [InlineData(0u)]
    [InlineData(4u)]
    [InlineData(101u)]
    public void Decode_RiffSizeNoWebpHas_ThrowsCorrupt(uint size)
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(WebpFiles.WithRiffSize(WebpFiles.Encode(Picture), size)));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
    }

    [Theory]
    [InlineData(0xFFFF_FFF0u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(100_000u)]
    public void Decode_ChunkSizeRunningPastTheEnd_ThrowsCorruptWithoutOverflow(uint declared)
    {
        var webp = WebpFiles.Appended(WebpFiles.Encode(Picture), WebpFiles.Chunk("EXIF", new byte[16]));
        var (offset, _, _) = WebpFiles.Chunks(webp)[^1];
        BitConverter.TryWriteBytes(webp.AsSpan(offset + 4), declared);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains($"'EXIF' chunk at offset {offset} declares {declared:N0} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(96, 0)]
    public void Decode_Vp8DeclaringAZeroSide_ThrowsCorrupt(ushort width, ushort height)
    {
        var ex = Assert.Throws<UnreadableImageException>(
            () => ImageCodec.Decode(WebpFiles.Vp8Declaring(WebpFiles.Encode(Picture), width, height)));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains("empty image", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Vp8xCanvasOf16MegapixelsSquared_RefusedBeforeAllocating()
    {
        var bomb = WebpFiles.Extended(WebpFiles.Encode(Picture), flags: 0, width: 1 << 24, height: 1 << 24);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(bomb));

        Assert.Equal(UnreadableImageReason.TooLarge, ex.Reason);
        Assert.Contains("16777216×16777216", ex.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 64 * 1024);
    }

    [Fact]
    public void Decode_Vp8DeclaringTheLargestSidesItCan_ThrowsTooLargeBeforeAllocating()
    {
        // 16383×16383 fits the 14-bit fields and each side limit, but not the 64-megapixel area.
        var bomb = WebpFiles.Vp8Declaring(WebpFiles.Encode(Picture), 16_383, 16_383);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(bomb));

        Assert.Equal(UnreadableImageReason.TooLarge, ex.Reason);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore, 0, 64 * 1024);
    }

    [Theory]
    [InlineData(97, 64)]
    [InlineData(96, 63)]
    [InlineData(4000, 4000)]
    public void Decode_Vp8xCanvasDisagreeingWithTheBitstream_ThrowsCorruptNamingBoth(long width, long height)
    {
        var webp = WebpFiles.Extended(WebpFiles.Encode(Picture), flags: 0, width, height);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains($"declares a {width}×{height} canvas, its image data is 96×64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AnimatedWebpByItsFlag_ThrowsUnsupportedFormatNamingAnimation()
    {
        var webp = WebpFiles.Extended(WebpFiles.Encode(Picture), WebpFiles.AnimationFlag);

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("animated WebP", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ANIM")]
    [InlineData("ANMF")]
    public void Decode_AnimationChunkWithoutTheFlag_ThrowsUnsupportedFormat(string fourCc)
    {
        var webp = WebpFiles.Extended(WebpFiles.Encode(Picture), flags: 0, after: WebpFiles.Chunk(fourCc, new byte[16]));

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("animated WebP", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ExtendedWithoutImageData_ThrowsCorrupt()
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(WebpFiles.Riff(WebpFiles.Vp8x(0, 16, 16))));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains("no VP8 or VP8L image data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TwoBitstreams_ThrowsCorrupt()
    {
        var simple = WebpFiles.Encode(Picture);
        var webp = WebpFiles.Appended(simple, WebpFiles.Chunk("VP8 ", simple.AsSpan(20)));

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains("second image chunk", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XMP ")]
    [InlineData("JUNK")]
    public void Decode_FirstChunkNotAnImageHeader_ThrowsCorrupt(string fourCc)
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(WebpFiles.Riff(WebpFiles.Chunk(fourCc, new byte[12]))));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains($"first chunk is '{fourCc}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Vp8WithoutItsStartCode_ThrowsCorrupt()
    {
        var webp = WebpFiles.Encode(Picture);
        webp[20 + 3] = 0x00;

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains("start code", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Vp8lWithoutItsSignature_ThrowsCorrupt()
    {
        var webp = WebpFiles.Encode(Picture, quality: 100);
        webp[20] = 0x2E;

        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));

        Assert.Equal(UnreadableImageReason.Corrupt, ex.Reason);
        Assert.Contains("signature 0x2F", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_WebpWithWreckedCompressedData_ThrowsUnreadable()
    {
        var webp = WebpFiles.Encode(Picture);
        webp.AsSpan(20 + 10, webp.Length - 40).Fill(0xFF);

        Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(webp));
    }

    public static TheoryData<byte[]> OtherRiffFiles =>
    [
        [.. "RIFF"u8, 36, 0, 0, 0, .. "WAVEfmt "u8, .. new byte[28]],
        [.. "RIFF"u8, 36, 0, 0, 0, .. "AVI LIST"u8, .. new byte[28]],
        [.. "RIFF"u8, 4, 0, 0, 0, .. "WEB"u8],
    ];

    [Theory]
    [MemberData(nameof(OtherRiffFiles))]
    public void Decode_RiffButNotWebp_ThrowsUnsupportedFormat(byte[] file)
    {
        var ex = Assert.Throws<UnreadableImageException>(() => ImageCodec.Decode(file));

        Assert.Equal(UnreadableImageReason.UnsupportedFormat, ex.Reason);
        Assert.Contains("only PNG, JPEG and WebP images are accepted", ex.Message, StringComparison.Ordinal);
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) =>
        a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Average();
}
