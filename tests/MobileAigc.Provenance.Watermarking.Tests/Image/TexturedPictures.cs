using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>Pictures that are texture everywhere, or in part, for the tests of the mark's strength.</summary>
internal static class TexturedPictures
{
    /// <summary>Grey stones of random size and brightness, each with a little grain: a picture that is texture everywhere.</summary>
    public static RgbImage Gravel(int width, int height, double contrast)
    {
        var random = new Random(2024);
        var cell = new double[width * height];
        var best = new double[width * height];
        Array.Fill(best, double.MaxValue);
        for (var s = 0; s < width * height / 60; s++)
        {
            var (cx, cy) = (random.NextDouble() * width, random.NextDouble() * height);
            var level = random.NextDouble() * 2 - 1;
            for (var y = Math.Max(0, (int)cy - 12); y < Math.Min(height, (int)cy + 12); y++)
            {
                for (var x = Math.Max(0, (int)cx - 12); x < Math.Min(width, (int)cx + 12); x++)
                {
                    var d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    if (d < best[y * width + x])
                    {
                        best[y * width + x] = d;
                        cell[y * width + x] = level;
                    }
                }
            }
        }

        var image = RgbImage.Create(width, height);
        for (var i = 0; i < width * height; i++)
        {
            var grain = random.NextDouble() - 0.5;
            var value = (byte)Math.Clamp(128 + contrast * (cell[i] + 0.5 * grain), 0, 255);
            image.Pixels[3 * i] = image.Pixels[3 * i + 1] = image.Pixels[3 * i + 2] = value;
        }

        return image;
    }

    /// <summary><see cref="Gravel"/> under a flat grey sky over the top <paramref name="skyFraction"/> of the height.</summary>
    public static RgbImage GravelUnderSky(int width, int height, double contrast, double skyFraction)
    {
        var image = Gravel(width, height, contrast);
        Array.Fill(image.Pixels, (byte)170, 0, 3 * width * (int)(skyFraction * height));
        return image;
    }
}
