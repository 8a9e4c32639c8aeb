using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using SkiaSharp;

namespace MobileAigc.Provenance.WatermarkRobustness.FalsePositives;

/// <summary>The exact pixel moves (mirrors, quarter turns) and the WebP round trip the unmarked variants need beside <see cref="ImageAttacks"/>.</summary>
public static class PixelTransforms
{
    /// <summary>Mirrors left to right.</summary>
    public static RgbImage FlipHorizontal(RgbImage image) => Remap(image, image.Width, image.Height, (x, y) => (image.Width - 1 - x, y));

    /// <summary>Mirrors top to bottom.</summary>
    public static RgbImage FlipVertical(RgbImage image) => Remap(image, image.Width, image.Height, (x, y) => (x, image.Height - 1 - y));

    /// <summary>Turns a quarter clockwise, exactly (width and height swap).</summary>
    public static RgbImage RotateClockwise(RgbImage image) => Remap(image, image.Height, image.Width, (x, y) => (y, image.Height - 1 - x));

    /// <summary>Mirrors about the main diagonal (width and height swap).</summary>
    public static RgbImage Transpose(RgbImage image) => Remap(image, image.Height, image.Width, (x, y) => (y, x));

    /// <summary>Encodes as lossy WebP at <paramref name="quality"/> (libwebp through SkiaSharp) and decodes.</summary>
    /// <exception cref="InvalidOperationException">When SkiaSharp cannot encode or decode WebP.</exception>
    public static RgbImage WebP(RgbImage image, int quality)
    {
        using var bitmap = ImageAttacks.ToBitmap(image);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Webp, quality) ?? throw new InvalidOperationException("SkiaSharp could not encode WebP.");
        using var decoded = SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("SkiaSharp could not decode its own WebP.");
        return ImageAttacks.FromBitmap(decoded);
    }

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> image whose pixel (x, y) is the source's pixel <paramref name="source"/>(x, y).</summary>
    private static RgbImage Remap(RgbImage image, int width, int height, Func<int, int, (int X, int Y)> source)
    {
        var result = RgbImage.Create(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = source(x, y);
                Array.Copy(image.Pixels, 3 * ((sy * image.Width) + sx), result.Pixels, 3 * ((y * width) + x), 3);
            }
        }

        return result;
    }
}
