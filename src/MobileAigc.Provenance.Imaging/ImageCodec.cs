using SkiaSharp;

namespace MobileAigc.Provenance.Imaging;

/// <summary>The file formats <see cref="ImageCodec"/> writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG, lossless.</summary>
    Png,

    /// <summary>JPEG, lossy.</summary>
    Jpeg,
}

/// <summary>
/// Reads PNG and JPEG files into <see cref="RgbImage"/> and writes them back, through SkiaSharp.
/// Every failure to read is an <see cref="UnreadableImageException"/> with a reason; nothing
/// else escapes, whatever the bytes.
/// </summary>
public static class ImageCodec
{
    /// <summary>Decodes a PNG or JPEG file.</summary>
    /// <exception cref="UnreadableImageException">Empty, not an image, truncated, corrupt, or too large.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty)
        {
            throw new UnreadableImageException("The file is empty.");
        }

        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data)
            ?? throw new UnreadableImageException("Not a PNG or JPEG image (unrecognised or corrupt header).");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
        {
            throw new UnreadableImageException($"Unsupported image format {codec.EncodedFormat}; PNG and JPEG are accepted.");
        }

        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width < 1 || height < 1 || width > RgbImage.MaxSide || height > RgbImage.MaxSide || (long)width * height > RgbImage.MaxPixels)
        {
            throw new UnreadableImageException(
                $"Image of {width}×{height} pixels is outside the accepted size (sides up to {RgbImage.MaxSide}, {RgbImage.MaxPixels} pixels).");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not SKCodecResult.Success)
        {
            throw new UnreadableImageException(result == SKCodecResult.IncompleteInput
                ? "The image is truncated."
                : $"The image could not be decoded ({result}).");
        }

        var rgba = bitmap.GetPixelSpan();
        var image = RgbImage.Create(width, height);
        var rgb = image.Pixels;
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }

        return image;
    }

    /// <summary>Encodes as PNG, or as JPEG at <paramref name="jpegQuality"/> (1 to 100; default 90).</summary>
    public static byte[] Encode(RgbImage image, ImageFileFormat format, int jpegQuality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);

        using var bitmap = ToBitmap(image);
        using var encoded = bitmap.Encode(format == ImageFileFormat.Png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, jpegQuality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return encoded.ToArray();
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
}

/// <summary>A file that cannot be read as an image; the message says why, for the user.</summary>
public sealed class UnreadableImageException(string message) : Exception(message);
