namespace MobileAigc.Provenance.Imaging.Tests;

/// <summary>Deterministic synthetic pictures: varied, photo-like enough for hashing and codec tests.</summary>
internal static class TestImages
{
    /// <summary>A gradient background, 6 to 14 soft-edged ellipses and rectangles, a sinusoidal texture and mild noise.</summary>
    public static RgbImage Synthetic(int seed, int width = 512, int height = 512)
    {
        var random = new Random(seed);
        var image = RgbImage.Create(width, height);
        var buffer = new double[3 * width * height];

        var (from, to) = (RandomColour(random), RandomColour(random));
        var angle = random.NextDouble() * Math.PI * 2;
        var (dx, dy) = (Math.Cos(angle), Math.Sin(angle));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var t = Math.Clamp(0.5 + ((((x / (double)width) - 0.5) * dx) + (((y / (double)height) - 0.5) * dy)), 0, 1);
                for (var c = 0; c < 3; c++)
                {
                    buffer[(3 * ((y * width) + x)) + c] = (from[c] * (1 - t)) + (to[c] * t);
                }
            }
        }

        var shapes = random.Next(6, 15);
        for (var s = 0; s < shapes; s++)
        {
            var colour = RandomColour(random);
            var (cx, cy) = (random.NextDouble() * width, random.NextDouble() * height);
            var (rx, ry) = ((0.05 + (random.NextDouble() * 0.3)) * width, (0.05 + (random.NextDouble() * 0.3)) * height);
            var ellipse = random.Next(2) == 0;
            var opacity = 0.6 + (random.NextDouble() * 0.4);
            for (var y = (int)Math.Max(0, cy - ry); y < Math.Min(height, cy + ry); y++)
            {
                for (var x = (int)Math.Max(0, cx - rx); x < Math.Min(width, cx + rx); x++)
                {
                    var (u, v) = ((x - cx) / rx, (y - cy) / ry);
                    if (ellipse && (u * u) + (v * v) > 1)
                    {
                        continue;
                    }

                    for (var c = 0; c < 3; c++)
                    {
                        var i = (3 * ((y * width) + x)) + c;
                        buffer[i] = (buffer[i] * (1 - opacity)) + (colour[c] * opacity);
                    }
                }
            }
        }

        var (fx, fy) = ((1 + random.Next(12)) * 2 * Math.PI / width, (1 + random.Next(12)) * 2 * Math.PI / height);
        var amplitude = 5 + (random.NextDouble() * 15);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var texture = (amplitude * Math.Sin((fx * x) + (fy * y))) + ((random.NextDouble() - 0.5) * 12);
                for (var c = 0; c < 3; c++)
                {
                    var i = (3 * ((y * width) + x)) + c;
                    image.Pixels[i] = (byte)Math.Clamp(Math.Round(buffer[i] + texture), 0, 255);
                }
            }
        }

        return image;
    }

    /// <summary>Every pixel the same colour.</summary>
    public static RgbImage Solid(int width, int height, byte r, byte g, byte b)
    {
        var image = RgbImage.Create(width, height);
        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (r, g, b);
        }

        return image;
    }

    /// <summary>Uniform random bytes.</summary>
    public static RgbImage Noise(int seed, int width, int height)
    {
        var image = RgbImage.Create(width, height);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    /// <summary>Adds <paramref name="delta"/> to every channel, clamped.</summary>
    public static RgbImage Brightened(RgbImage image, int delta)
    {
        var result = image.Clone();
        for (var i = 0; i < result.Pixels.Length; i++)
        {
            result.Pixels[i] = (byte)Math.Clamp(result.Pixels[i] + delta, 0, 255);
        }

        return result;
    }

    /// <summary>Scales contrast around mid-grey by <paramref name="factor"/>, clamped.</summary>
    public static RgbImage Contrasted(RgbImage image, double factor)
    {
        var result = image.Clone();
        for (var i = 0; i < result.Pixels.Length; i++)
        {
            result.Pixels[i] = (byte)Math.Clamp(Math.Round(128 + ((result.Pixels[i] - 128) * factor)), 0, 255);
        }

        return result;
    }

    /// <summary>Adds roughly Gaussian noise of standard deviation <paramref name="sigma"/>.</summary>
    public static RgbImage WithNoise(RgbImage image, int seed, double sigma)
    {
        var random = new Random(seed);
        var result = image.Clone();
        for (var i = 0; i < result.Pixels.Length; i++)
        {
            // Sum of 12 uniforms minus 6: mean 0, variance 1.
            var g = 0.0;
            for (var k = 0; k < 12; k++)
            {
                g += random.NextDouble();
            }

            result.Pixels[i] = (byte)Math.Clamp(Math.Round(result.Pixels[i] + ((g - 6) * sigma)), 0, 255);
        }

        return result;
    }

    /// <summary>The RGB of pixel (x, y).</summary>
    public static (byte R, byte G, byte B) PixelAt(RgbImage image, int x, int y)
    {
        var i = 3 * ((y * image.Width) + x);
        return (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
    }

    private static double[] RandomColour(Random random) => [random.Next(256), random.Next(256), random.Next(256)];
}
