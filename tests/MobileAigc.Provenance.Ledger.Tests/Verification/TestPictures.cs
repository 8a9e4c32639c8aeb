using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>Deterministic textured pictures (sums of oriented waves and soft discs) with enough detail for a trusted perceptual hash and a readable watermark.</summary>
public static class TestPictures
{
    public static RgbImage Create(int seed, int width = 512, int height = 512)
    {
        var random = new Random(seed);
        var waves = Enumerable.Range(0, 6).Select(_ => (
            Fx: (random.NextDouble() - 0.5) * 0.08, Fy: (random.NextDouble() - 0.5) * 0.08,
            Phase: random.NextDouble() * Math.Tau, Amp: 20 + (random.NextDouble() * 30), Channel: random.Next(3))).ToArray();
        var discs = Enumerable.Range(0, 10).Select(_ => (
            X: random.NextDouble() * width, Y: random.NextDouble() * height, R: 20 + (random.NextDouble() * 80),
            Color: (R: random.Next(256), G: random.Next(256), B: random.Next(256)))).ToArray();
        var image = RgbImage.Create(width, height);
        var p = image.Pixels;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                Span<double> c = [128, 128, 128];
                foreach (var w in waves)
                {
                    var v = w.Amp * Math.Sin((w.Fx * x) + (w.Fy * y) + w.Phase);
                    c[0] += v * (w.Channel == 0 ? 1 : 0.4);
                    c[1] += v * (w.Channel == 1 ? 1 : 0.4);
                    c[2] += v * (w.Channel == 2 ? 1 : 0.4);
                }

                foreach (var d in discs)
                {
                    var dist = Math.Sqrt(((x - d.X) * (x - d.X)) + ((y - d.Y) * (y - d.Y)));
                    var a = Math.Clamp((d.R - dist) / 6.0, 0, 1) * 0.7;
                    c[0] = (c[0] * (1 - a)) + (d.Color.R * a);
                    c[1] = (c[1] * (1 - a)) + (d.Color.G * a);
                    c[2] = (c[2] * (1 - a)) + (d.Color.B * a);
                }

                var i = ((y * width) + x) * 3;
                p[i] = (byte)Math.Clamp(c[0], 0, 255);
                p[i + 1] = (byte)Math.Clamp(c[1], 0, 255);
                p[i + 2] = (byte)Math.Clamp(c[2], 0, 255);
            }
        }

        return image;
    }
}
