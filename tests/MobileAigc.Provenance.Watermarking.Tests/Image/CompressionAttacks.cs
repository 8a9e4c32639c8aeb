using MobileAigc.Provenance.Imaging;
using SkiaSharp;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// What phones and platforms do to a picture on its way: heavy lossy re-encoding (JPEG, WebP through SkiaSharp's
/// libwebp), thumbnails and a chain of everyday edits. Shared by the unit tests and the robustness benchmark (which
/// links this file beside <see cref="ImageAttacks"/>).
/// </summary>
public static class CompressionAttacks
{
    /// <summary>Re-encodes as lossy WebP at <paramref name="quality"/> (0 to 100; SkiaSharp's libwebp) and decodes.</summary>
    /// <exception cref="InvalidOperationException">When SkiaSharp cannot encode or decode WebP.</exception>
    public static RgbImage WebP(RgbImage image, int quality)
    {
        using var bitmap = ImageAttacks.ToBitmap(image);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Webp, quality)
            ?? throw new InvalidOperationException("SkiaSharp could not encode WebP.");
        using var decoded = SKBitmap.Decode(encoded)
            ?? throw new InvalidOperationException("SkiaSharp could not decode its own WebP.");
        return ImageAttacks.FromBitmap(decoded);
    }

    /// <summary>
    /// A thumbnail: both sides scaled by <paramref name="factor"/> (0.3 makes about 150 px of a 512-px side), then, until the
    /// reader normalises small images itself, enlarged back to the original size so the reader sees the thumbnail's content
    /// at the scale it was marked at.
    /// </summary>
    public static RgbImage ThumbnailAndBack(RgbImage image, double factor) => ImageAttacks.ScaleAndBack(image, factor);

    /// <summary>
    /// Scales every pixel's saturation by <paramref name="factor"/> (1.2 = +20 %): each channel moves away from the pixel's
    /// luma (BT.601 weights) by that factor, as PIL's <c>ImageEnhance.Color</c> does; luma is kept up to rounding and clipping.
    /// </summary>
    public static RgbImage Saturation(RgbImage image, double factor)
    {
        var result = image.Clone();
        var p = result.Pixels;
        for (var j = 0; j < p.Length; j += 3)
        {
            var luma = 0.299 * p[j] + 0.587 * p[j + 1] + 0.114 * p[j + 2];
            for (var c = 0; c < 3; c++)
            {
                p[j + c] = (byte)Math.Clamp(Math.Round(luma + (p[j + c] - luma) * factor), 0, 255);
            }
        }

        return result;
    }

    /// <summary>Scales so that the shorter side is <paramref name="shortSide"/> pixels, keeping the aspect ratio.</summary>
    public static RgbImage ResizeShortSide(RgbImage image, int shortSide)
    {
        var factor = (double)shortSide / Math.Min(image.Width, image.Height);
        return ImageAttacks.Resize(image, Math.Max(1, (int)Math.Round(image.Width * factor)), Math.Max(1, (int)Math.Round(image.Height * factor)));
    }

    /// <summary>
    /// The everyday chain of issue 17: crop 10 % off each side (centred), resize to 400 px on the short side, saturation
    /// +20 %, JPEG quality 70. The reader gets the 400-px result, not resized back.
    /// </summary>
    public static RgbImage EditChain(RgbImage image)
    {
        var cropped = ImageAttacks.CropFraction(image, 0.8, 0.5, 0.5);
        return ImageAttacks.Jpeg(Saturation(ResizeShortSide(cropped, 400), 1.2), 70);
    }
}
