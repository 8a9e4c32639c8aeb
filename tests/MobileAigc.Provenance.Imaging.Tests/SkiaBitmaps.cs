using SkiaSharp;

namespace MobileAigc.Provenance.Imaging.Tests;

/// <summary>An RGB image as an opaque SkiaSharp bitmap, for writing formats ImageCodec does not (WebP).</summary>
internal static class SkiaBitmaps
{
    public static SKBitmap FromRgb(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = TestImages.PixelAt(image, x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }

        return bitmap;
    }
}
