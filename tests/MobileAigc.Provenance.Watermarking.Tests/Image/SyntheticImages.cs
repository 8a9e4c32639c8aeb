using MobileAigc.Provenance.Imaging;
using SkiaSharp;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// Deterministic, varied test pictures made from a seed: landscapes of value noise, shapes on
/// gradients, marble-like textures, soft portraits-like blobs, flat cartoons and mixtures. They stand
/// in for generated images until real ones exist. Shared by the unit tests and the robustness benchmark.
/// </summary>
public static class SyntheticImages
{
    /// <summary>The number of kinds; seed modulo this picks the kind.</summary>
    public const int KindCount = 6;

    /// <summary>The kind names, by kind number.</summary>
    public static IReadOnlyList<string> KindNames { get; } = ["landscape", "shapes", "texture", "soft-blobs", "flat-cartoon", "mixture"];

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> picture of kind <c>seed % KindCount</c>.</summary>
    public static RgbImage Create(int seed, int width = 512, int height = 512)
    {
        var random = new Random(seed);
        return (seed % KindCount) switch
        {
            0 => Landscape(random, width, height),
            1 => Shapes(random, width, height, gradientBackground: true, count: 12 + random.Next(20)),
            2 => Texture(random, width, height),
            3 => SoftBlobs(random, width, height),
            4 => Shapes(random, width, height, gradientBackground: false, count: 4 + random.Next(6)),
            _ => Mixture(random, width, height),
        };
    }

    private static RgbImage Landscape(Random random, int width, int height)
    {
        var terrain = new ValueNoise(random, 6);
        var detail = new ValueNoise(random, 5);
        var horizon = 0.3 + 0.3 * random.NextDouble();
        var sky = RandomColor(random, 90, 200);
        var ground = RandomColor(random, 30, 140);
        var image = RgbImage.Create(width, height);
        var p = image.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var fx = x / (double)width;
                var fy = y / (double)height;
                var ridge = horizon + 0.15 * (terrain.Sample(fx * 3, 0.5) - 0.5);
                double r, g, b;
                if (fy < ridge)
                {
                    var t = fy / ridge;
                    var cloud = Math.Max(0, detail.Sample(fx * 4, fy * 8) - 0.55) * 2.5;
                    r = Lerp(sky.R, 255, 0.5 * (1 - t) + cloud) ;
                    g = Lerp(sky.G, 255, 0.5 * (1 - t) + cloud);
                    b = Lerp(sky.B, 255, 0.3 * (1 - t) + cloud);
                }
                else
                {
                    var n = terrain.Sample(fx * 8, fy * 8);
                    var d = detail.Sample(fx * 40, fy * 40);
                    var shade = 0.6 + 0.6 * n + 0.3 * (d - 0.5);
                    r = ground.R * shade;
                    g = ground.G * shade;
                    b = ground.B * shade;
                }

                Set(p, (y * width + x) * 3, r, g, b);
            }
        }

        return image;
    }

    private static RgbImage Shapes(Random random, int width, int height, bool gradientBackground, int count)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            var a = RandomColor(random, 0, 255);
            var b = RandomColor(random, 0, 255);
            if (gradientBackground)
            {
                using var shader = SKShader.CreateLinearGradient(
                    new SKPoint(0, 0), new SKPoint(width * (float)random.NextDouble(), height),
                    [Sk(a), Sk(b)], SKShaderTileMode.Clamp);
                using var paint = new SKPaint { Shader = shader };
                canvas.DrawRect(0, 0, width, height, paint);
            }
            else
            {
                canvas.Clear(Sk(a));
            }

            for (var i = 0; i < count; i++)
            {
                using var paint = new SKPaint
                {
                    Color = Sk(RandomColor(random, 0, 255)).WithAlpha((byte)(gradientBackground ? 120 + random.Next(136) : 255)),
                    IsAntialias = true,
                    Style = random.Next(4) == 0 ? SKPaintStyle.Stroke : SKPaintStyle.Fill,
                    StrokeWidth = 2 + random.Next(12),
                };
                var x = (float)(random.NextDouble() * width);
                var y = (float)(random.NextDouble() * height);
                var size = (float)(20 + random.NextDouble() * width / 3);
                switch (random.Next(3))
                {
                    case 0:
                        canvas.DrawCircle(x, y, size / 2, paint);
                        break;
                    case 1:
                        canvas.Save();
                        canvas.RotateDegrees((float)(random.NextDouble() * 90), x, y);
                        canvas.DrawRect(x - size / 2, y - size / 3, size, size * 2 / 3, paint);
                        canvas.Restore();
                        break;
                    default:
                        paint.Style = SKPaintStyle.Stroke;
                        canvas.DrawLine(x, y, (float)(random.NextDouble() * width), (float)(random.NextDouble() * height), paint);
                        break;
                }
            }
        }

        return ImageAttacks.FromBitmap(bitmap);
    }

    private static RgbImage Texture(Random random, int width, int height)
    {
        var noise = new ValueNoise(random, 6);
        var frequency = 2 + random.NextDouble() * 10;
        var turbulence = 2 + random.NextDouble() * 6;
        var angle = random.NextDouble() * Math.PI;
        var a = RandomColor(random, 0, 255);
        var b = RandomColor(random, 0, 255);
        var grain = random.NextDouble() * 20;
        var image = RgbImage.Create(width, height);
        var p = image.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var fx = x / (double)width;
                var fy = y / (double)height;
                var along = fx * Math.Cos(angle) + fy * Math.Sin(angle);
                var t = 0.5 + 0.5 * Math.Sin(2 * Math.PI * frequency * along + turbulence * noise.Sample(fx * 4, fy * 4));
                var g = grain * (noise.Sample(fx * 64, fy * 64) - 0.5);
                Set(p, (y * width + x) * 3, Lerp(a.R, b.R, t) + g, Lerp(a.G, b.G, t) + g, Lerp(a.B, b.B, t) + g);
            }
        }

        return image;
    }

    private static RgbImage SoftBlobs(Random random, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(Sk(RandomColor(random, 40, 220)));
            for (var i = 0; i < 3 + random.Next(5); i++)
            {
                var centre = new SKPoint((float)(random.NextDouble() * width), (float)(random.NextDouble() * height));
                var radius = (float)(width * (0.15 + 0.35 * random.NextDouble()));
                var colour = Sk(RandomColor(random, 20, 240));
                using var shader = SKShader.CreateRadialGradient(centre, radius, [colour, colour.WithAlpha(0)], SKShaderTileMode.Clamp);
                using var paint = new SKPaint { Shader = shader, IsAntialias = true };
                canvas.DrawCircle(centre, radius, paint);
            }
        }

        var image = ImageAttacks.FromBitmap(bitmap);
        var sensorNoise = random.NextDouble() * 3;
        return sensorNoise > 0.5 ? ImageAttacks.GaussianNoise(image, sensorNoise, random.Next()) : image;
    }

    private static RgbImage Mixture(Random random, int width, int height)
    {
        var background = random.Next(2) == 0 ? Landscape(random, width, height) : Texture(random, width, height);
        var shapes = Shapes(random, width, height, gradientBackground: true, count: 6 + random.Next(10));
        var mix = 0.3 + 0.4 * random.NextDouble();
        var p = background.Pixels;
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = (byte)Math.Round(Lerp(p[i], shapes.Pixels[i], mix));
        }

        return background;
    }

    private static (double R, double G, double B) RandomColor(Random random, int low, int high) =>
        (low + random.NextDouble() * (high - low), low + random.NextDouble() * (high - low), low + random.NextDouble() * (high - low));

    private static SKColor Sk((double R, double G, double B) c) => new((byte)c.R, (byte)c.G, (byte)c.B);

    private static double Lerp(double a, double b, double t) => a + (b - a) * Math.Clamp(t, 0, 1);

    private static void Set(byte[] p, int i, double r, double g, double b)
    {
        p[i] = (byte)Math.Clamp(Math.Round(r), 0, 255);
        p[i + 1] = (byte)Math.Clamp(Math.Round(g), 0, 255);
        p[i + 2] = (byte)Math.Clamp(Math.Round(b), 0, 255);
    }

    /// <summary>Multi-octave value noise on a 256-periodic lattice, in [0, 1].</summary>
    private sealed class ValueNoise
    {
        private readonly double[] _lattice = new double[256 * 256];
        private readonly int _octaves;

        public ValueNoise(Random random, int octaves)
        {
            _octaves = octaves;
            for (var i = 0; i < _lattice.Length; i++)
            {
                _lattice[i] = random.NextDouble();
            }
        }

        public double Sample(double x, double y)
        {
            var total = 0.0;
            var amplitude = 0.5;
            var norm = 0.0;
            for (var o = 0; o < _octaves; o++)
            {
                total += amplitude * Smooth(x, y);
                norm += amplitude;
                x *= 2;
                y *= 2;
                amplitude *= 0.5;
            }

            return total / norm;
        }

        private double Smooth(double x, double y)
        {
            var x0 = (int)Math.Floor(x);
            var y0 = (int)Math.Floor(y);
            var fx = x - x0;
            var fy = y - y0;
            fx = fx * fx * (3 - 2 * fx);
            fy = fy * fy * (3 - 2 * fy);
            double At(int i, int j) => _lattice[(j & 255) * 256 + (i & 255)];
            var top = At(x0, y0) + (At(x0 + 1, y0) - At(x0, y0)) * fx;
            var bottom = At(x0, y0 + 1) + (At(x0 + 1, y0 + 1) - At(x0, y0 + 1)) * fx;
            return top + (bottom - top) * fy;
        }
    }
}
