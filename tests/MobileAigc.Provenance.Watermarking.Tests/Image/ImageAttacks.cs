using MobileAigc.Provenance.Imaging;
using SkiaSharp;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// The distortions a watermark must survive, done the way common tools do them (SkiaSharp resampling
/// and JPEG). Shared by the unit tests and the robustness benchmark (which links this file).
/// </summary>
public static class ImageAttacks
{
    /// <summary>Re-encodes as JPEG at <paramref name="quality"/> (SkiaSharp: 4:2:0 chroma) and decodes.</summary>
    public static RgbImage Jpeg(RgbImage image, int quality) =>
        ImageCodec.Decode(ImageCodec.Encode(image, ImageFileFormat.Jpeg, quality));

    /// <summary>Resamples to <paramref name="width"/> × <paramref name="height"/>: trilinear (mipmapped) when shrinking, Mitchell cubic when enlarging.</summary>
    public static RgbImage Resize(RgbImage image, int width, int height)
    {
        using var source = ToBitmap(image);
        var sampling = width < image.Width || height < image.Height
            ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
            : new SKSamplingOptions(SKCubicResampler.Mitchell);
        using var resized = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), sampling)
            ?? throw new InvalidOperationException("SkiaSharp could not resize.");
        return FromBitmap(resized);
    }

    /// <summary>Scales both sides by <paramref name="factor"/>.</summary>
    public static RgbImage Scale(RgbImage image, double factor) =>
        Resize(image, Math.Max(1, (int)Math.Round(image.Width * factor)), Math.Max(1, (int)Math.Round(image.Height * factor)));

    /// <summary>Shrinks by <paramref name="factor"/> and enlarges back to the original size.</summary>
    public static RgbImage ScaleAndBack(RgbImage image, double factor) =>
        Resize(Scale(image, factor), image.Width, image.Height);

    /// <summary>Keeps a <paramref name="width"/> × <paramref name="height"/> window whose top-left corner is (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public static RgbImage Crop(RgbImage image, int left, int top, int width, int height)
    {
        var pixels = new byte[3 * width * height];
        for (var y = 0; y < height; y++)
        {
            Array.Copy(image.Pixels, 3 * ((top + y) * image.Width + left), pixels, 3 * y * width, 3 * width);
        }

        return RgbImage.FromPixels(width, height, pixels);
    }

    /// <summary>
    /// Keeps <paramref name="sideFraction"/> of each side, the window placed by <paramref name="positionX"/>
    /// and <paramref name="positionY"/> (0 = top-left, 1 = bottom-right, 0.5 = centred) so the crop offset is not fixed.
    /// </summary>
    public static RgbImage CropFraction(RgbImage image, double sideFraction, double positionX, double positionY)
    {
        var width = (int)Math.Round(image.Width * sideFraction);
        var height = (int)Math.Round(image.Height * sideFraction);
        return Crop(image, (int)Math.Round((image.Width - width) * positionX), (int)Math.Round((image.Height - height) * positionY), width, height);
    }

    /// <summary>Multiplies every channel by <paramref name="factor"/> (brightness), clipping at 255.</summary>
    public static RgbImage Brightness(RgbImage image, double factor) => Map(image, v => v * factor);

    /// <summary>Stretches every channel away from the mean luma by <paramref name="factor"/> (as PIL's ImageEnhance.Contrast).</summary>
    public static RgbImage Contrast(RgbImage image, double factor)
    {
        var p = image.Pixels;
        var sum = 0.0;
        for (var j = 0; j < p.Length; j += 3)
        {
            sum += 0.299 * p[j] + 0.587 * p[j + 1] + 0.114 * p[j + 2];
        }

        var mean = sum / image.PixelCount;
        return Map(image, v => mean + (v - mean) * factor);
    }

    /// <summary>Adds independent Gaussian noise of standard deviation <paramref name="sigma"/> to every channel of every pixel.</summary>
    public static RgbImage GaussianNoise(RgbImage image, double sigma, int seed)
    {
        var random = new Random(seed);
        var result = image.Clone();
        var p = result.Pixels;
        for (var i = 0; i < p.Length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            p[i] = (byte)Math.Clamp(Math.Round(p[i] + sigma * gaussian), 0, 255);
        }

        return result;
    }

    /// <summary>Rotates by <paramref name="degrees"/> about the centre (bilinear), keeping the size; uncovered corners black.</summary>
    public static RgbImage Rotate(RgbImage image, double degrees)
    {
        using var source = ToBitmap(image);
        using var target = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            canvas.Translate(image.Width / 2f, image.Height / 2f);
            canvas.RotateDegrees((float)degrees);
            canvas.Translate(-image.Width / 2f, -image.Height / 2f);
            using var picture = SKImage.FromBitmap(source);
            using var paint = new SKPaint { IsAntialias = true };
            canvas.DrawImage(picture, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        }

        return FromBitmap(target);
    }

    /// <summary>Copies an image into a SkiaSharp bitmap (RGBA, opaque).</summary>
    public static SKBitmap ToBitmap(RgbImage image)
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

    /// <summary>Copies a SkiaSharp bitmap (any colour type) into an image.</summary>
    public static RgbImage FromBitmap(SKBitmap bitmap)
    {
        using var rgbaBitmap = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var source = rgbaBitmap ?? bitmap;
        var image = RgbImage.Create(source.Width, source.Height);
        var rgba = source.GetPixelSpan();
        var rgb = image.Pixels;
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }

        return image;
    }

    /// <summary>PSNR in dB over R, G and B; infinity for identical images.</summary>
    public static double Psnr(RgbImage a, RgbImage b)
    {
        var total = 0.0;
        for (var i = 0; i < a.Pixels.Length; i++)
        {
            double d = a.Pixels[i] - b.Pixels[i];
            total += d * d;
        }

        var mse = total / a.Pixels.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    private static RgbImage Map(RgbImage image, Func<double, double> map)
    {
        var lookup = new byte[256];
        for (var v = 0; v < 256; v++)
        {
            lookup[v] = (byte)Math.Clamp(Math.Round(map(v)), 0, 255);
        }

        var result = image.Clone();
        var p = result.Pixels;
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = lookup[p[i]];
        }

        return result;
    }
}
