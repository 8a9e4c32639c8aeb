using SkiaSharp;

namespace MobileAigc.Provenance.Imaging;

/// <summary>
/// Reads PNG, JPEG and WebP files into <see cref="RgbImage"/> and writes them back, through SkiaSharp (libpng,
/// libjpeg-turbo, libwebp), and
/// the pixel operations the rest of the solution shares (resizing, luma).
/// Every failure to read is an <see cref="UnreadableImageException"/> with a reason; nothing
/// else escapes, whatever the bytes.
/// </summary>
public static class ImageCodec
{
    /// <summary>BT.601 weight of red in luma (as PDQ uses): 0.299.</summary>
    public const float LumaRed = 0.299f;

    /// <summary>BT.601 weight of green in luma: 0.587.</summary>
    public const float LumaGreen = 0.587f;

    /// <summary>BT.601 weight of blue in luma: 0.114.</summary>
    public const float LumaBlue = 0.114f;

    /// <summary>
    /// Decodes a PNG, JPEG or WebP file into upright RGB pixels.
    /// </summary>
    /// <remarks>
    /// <para>Hardened for untrusted input, in this order: the signature must be PNG, JPEG or WebP (anything
    /// else, GIF included, is refused as an unsupported format before SkiaSharp sees it); the
    /// size declared by the PNG IHDR, the JPEG frame header or the WebP VP8X/VP8/VP8L headers is read by our
    /// own parser and refused when a side exceeds <see cref="RgbImage.MaxSide"/> or the area
    /// <see cref="RgbImage.MaxPixels"/>, before any pixel memory is allocated (decompression bombs); every
    /// PNG chunk's CRC is checked; every WebP chunk must fit its RIFF container, the VP8X canvas must be the
    /// size of the bitstream, and an animated WebP is refused as unsupported (which frame is "the picture" would
    /// be the uploader's choice); and a file that ends early is refused as truncated, even where the decoder
    /// could return the top part. JPEG and WebP have no checksums: damage inside their compressed data can
    /// decode to wrong pixels unnoticed.</para>
    /// <para>EXIF orientation is applied: a JPEG (or PNG with an eXIf chunk, or WebP with an EXIF chunk) shot sideways and tagged
    /// with orientation 6 comes back upright, as a viewer shows it, so its width and height may be
    /// swapped against the stored ones. Perceptual hashes and watermarks therefore work on what the user
    /// sees; a file whose EXIF tag is stripped or changed decodes to different pixels.</para>
    /// <para>Transparency (PNG, WebP's ALPH or VP8L alpha) is composited over black (premultiplied), so hidden
    /// colours under fully transparent pixels never affect the result. Embedded ICC profiles are not applied, in
    /// every format: the stored values are the pixels.</para>
    /// </remarks>
    /// <param name="file">The whole file.</param>
    /// <returns>The upright image.</returns>
    /// <exception cref="UnreadableImageException">Empty, not PNG/JPEG/WebP (or an animated WebP), truncated, corrupt, or too large; <see cref="UnreadableImageException.Reason"/> says which.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> file)
    {
        var header = ImageHeader.Read(file);
        if (header.Format == ImageFileFormat.Png)
        {
            PngChunks.Verify(file);
        }

        try
        {
            return DecodeWithSkia(file, header);
        }
        catch (UnreadableImageException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new UnreadableImageException(
                UnreadableImageReason.Corrupt, $"The {header.Format} image could not be decoded: {ex.Message}", ex);
        }
        catch (OutOfMemoryException ex)
        {
            throw new UnreadableImageException(
                UnreadableImageReason.TooLarge, $"The {header.Width}×{header.Height} image does not fit in available memory.", ex);
        }
    }

    /// <summary>
    /// Decodes as <see cref="Decode"/>, but first refuses a file whose header declares
    /// more than <paramref name="maxPixels"/> pixels: a service's own budget, below <see cref="RgbImage.MaxPixels"/>,
    /// enforced before any pixel memory is allocated or any compressed data is inflated.
    /// </summary>
    /// <param name="file">The whole file.</param>
    /// <param name="maxPixels">The largest width × height accepted; at least 1.</param>
    /// <returns>The upright image.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxPixels"/> is below 1.</exception>
    /// <exception cref="UnreadableImageException">As <see cref="Decode"/>; <see cref="UnreadableImageReason.TooLarge"/> also over the budget.</exception>
    public static RgbImage DecodeWithin(ReadOnlySpan<byte> file, long maxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        var header = ImageHeader.Read(file);
        if (header.Width * header.Height > maxPixels)
        {
            throw new UnreadableImageException(
                UnreadableImageReason.TooLarge,
                $"Image of {header.Width}×{header.Height} pixels is over the budget of {maxPixels:N0} pixels.");
        }

        return Decode(file);
    }

    /// <summary>
    /// Encodes as PNG, as JPEG at <paramref name="quality"/>, or as WebP (libwebp) at <paramref name="quality"/>:
    /// lossy VP8 below 100, lossless VP8L at 100. No metadata is written; a WebP is in the simple format (no VP8X).
    /// </summary>
    /// <param name="image">The pixels.</param>
    /// <param name="format">The file format.</param>
    /// <param name="quality">1 to 100 (default 90); ignored for PNG.</param>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="quality"/> is not 1 to 100, or <paramref name="format"/> is unknown.</exception>
    /// <exception cref="InvalidOperationException">When SkiaSharp fails to encode.</exception>
    public static byte[] Encode(RgbImage image, ImageFileFormat format, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        var skiaFormat = format switch
        {
            ImageFileFormat.Png => SKEncodedImageFormat.Png,
            ImageFileFormat.Jpeg => SKEncodedImageFormat.Jpeg,
            ImageFileFormat.Webp => SKEncodedImageFormat.Webp,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "PNG, JPEG or WebP."),
        };

        using var bitmap = ToBitmap(image);
        using var encoded = bitmap.Encode(skiaFormat, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return encoded.ToArray();
    }

    /// <summary>
    /// Identifies a PNG, JPEG or WebP file by its first bytes (the 8-byte PNG signature, JPEG's FF D8 FF, or
    /// <c>RIFF</c>, four bytes, <c>WEBP</c>).
    /// Says nothing about whether the rest of the file is valid.
    /// </summary>
    /// <returns>The format, or null for anything else (including an empty span).</returns>
    public static ImageFileFormat? Sniff(ReadOnlySpan<byte> file) => ImageHeader.Sniff(file);

    /// <summary>
    /// A resized copy, in high quality: when both sides shrink, bilinear sampling over mipmaps (no
    /// aliasing at any reduction factor); otherwise Mitchell bicubic. The aspect ratio is not kept
    /// unless the caller keeps it. Same size gives a copy.
    /// </summary>
    /// <param name="image">The source image; not modified.</param>
    /// <param name="width">The new width, 1 to <see cref="RgbImage.MaxSide"/>.</param>
    /// <param name="height">The new height, 1 to <see cref="RgbImage.MaxSide"/>; the area at most <see cref="RgbImage.MaxPixels"/>.</param>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When the new size is out of range.</exception>
    /// <exception cref="InvalidOperationException">When SkiaSharp fails to resize.</exception>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        var resized = RgbImage.Create(width, height); // Validates the size.
        if (width == image.Width && height == image.Height)
        {
            image.Pixels.CopyTo(resized.Pixels, 0);
            return resized;
        }

        var sampling = width <= image.Width && height <= image.Height
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var source = ToBitmap(image);
        using var target = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), sampling)
            ?? throw new InvalidOperationException($"SkiaSharp could not resize {image.Width}×{image.Height} to {width}×{height}.");
        var rgba = target.GetPixelSpan();
        var rgb = resized.Pixels;
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }

        return resized;
    }

    /// <summary>
    /// The luma of every pixel, row-major, as BT.601 <c>Y = 0.299 R + 0.587 G + 0.114 B</c> on the
    /// 8-bit values (no gamma handling), so 0 to 255.
    /// </summary>
    /// <returns>A new array of <c>Width × Height</c> values.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    public static float[] ToLuma(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var luma = new float[image.PixelCount];
        ToLuma(image.Pixels, luma);
        return luma;
    }

    /// <summary>Luma of packed RGB into <paramref name="luma"/> (one value per pixel); shared with the hasher's row loop.</summary>
    internal static void ToLuma(ReadOnlySpan<byte> rgb, Span<float> luma)
    {
        for (int i = 0, j = 0; i < luma.Length; i++, j += 3)
        {
            luma[i] = (LumaRed * rgb[j]) + (LumaGreen * rgb[j + 1]) + (LumaBlue * rgb[j + 2]);
        }
    }

    internal static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = bitmap.GetPixelSpan();
        var rgb = image.Pixels;
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgba[i] = rgb[j];
            rgba[i + 1] = rgb[j + 1];
            rgba[i + 2] = rgb[j + 2];
            rgba[i + 3] = 255;
        }

        return bitmap;
    }

    private static RgbImage DecodeWithSkia(ReadOnlySpan<byte> file, ImageHeader header)
    {
        using var data = SKData.CreateCopy(file);
        // The codec takes ownership of the stream (and frees it also when it fails).
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var createResult)
            ?? throw new UnreadableImageException(
                createResult == SKCodecResult.IncompleteInput ? UnreadableImageReason.Truncated : UnreadableImageReason.Corrupt,
                createResult == SKCodecResult.IncompleteInput
                    ? $"The {header.Format} file is truncated (it ends inside its header)."
                    : $"The {header.Format} file is corrupt (its header could not be read: {createResult}).");

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width != header.Width || height != header.Height)
        {
            // Our parser and the decoder must agree on what they are about to allocate.
            throw new UnreadableImageException(
                UnreadableImageReason.Corrupt,
                $"The {header.Format} file is corrupt (header says {header.Width}×{header.Height}, decoder sees {width}×{height}).");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            throw new UnreadableImageException(
                UnreadableImageReason.TooLarge, $"The {width}×{height} image does not fit in available memory.");
        }

        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not SKCodecResult.Success)
        {
            throw result == SKCodecResult.IncompleteInput
                ? new UnreadableImageException(UnreadableImageReason.Truncated, $"The {header.Format} image is truncated (its pixel data ends early).")
                : new UnreadableImageException(UnreadableImageReason.Corrupt, $"The {header.Format} image could not be decoded ({result}).");
        }

        return ExifOrientation.ToUpright(bitmap.GetPixelSpan(), width, height, codec.EncodedOrigin);
    }
}
