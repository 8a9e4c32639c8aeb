using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.LedgerLoad.Uploads;

/// <summary>
/// 1 MP (1024 × 1024) pictures for the upload run: smooth colour fields of a few random waves, with grain, so that
/// decoding, hashing and watermark reading see natural-sized JPEGs rather than flat ones. Deterministic per seed.
/// </summary>
public static class UploadPictures
{
    /// <summary>The side, in pixels: 1024 × 1024 is exactly one megapixel (2^20 pixels).</summary>
    public const int Side = 1024;

    /// <summary>The picture of <paramref name="seed"/>.</summary>
    public static RgbImage Create(int seed)
    {
        var random = new Random(seed);
        var waves = Enumerable.Range(0, 6).Select(_ => (
            Fx: random.NextDouble() * 0.03, Fy: random.NextDouble() * 0.03, Phase: random.NextDouble() * 6.3,
            Colour: new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() })).ToArray();
        var pixels = new byte[Side * Side * 3];
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var grain = random.Next(-12, 13);
                for (var c = 0; c < 3; c++)
                {
                    var value = 128.0;
                    foreach (var wave in waves)
                    {
                        value += 40 * wave.Colour[c] * Math.Sin((wave.Fx * x) + (wave.Fy * y) + wave.Phase);
                    }

                    pixels[(((y * Side) + x) * 3) + c] = (byte)Math.Clamp(value + grain, 0, 255);
                }
            }
        }

        return RgbImage.FromPixels(Side, Side, pixels);
    }
}
