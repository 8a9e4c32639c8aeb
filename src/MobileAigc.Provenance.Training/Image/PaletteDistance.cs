using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// How far apart the palettes of two sets of pictures are, to measure whether a fine-tuned model's pictures
/// moved toward a creator's: independent of the training loss, on whole rendered pictures.
/// </summary>
public static class PaletteDistance
{
    /// <summary>Bins per channel of <see cref="Histogram"/>: 8 (so 512 colour cells of 32 levels a side).</summary>
    public const int BinsPerChannel = 8;

    /// <summary>
    /// The total variation distance between the two sets' colour histograms (8 × 8 × 8 cells of the RGB cube;
    /// each picture weighs the same within its set): 0 for the same palette, 1 for palettes with no cell in common.
    /// </summary>
    /// <exception cref="ArgumentException">When a set is empty.</exception>
    public static double Histogram(IReadOnlyList<RgbImage> first, IReadOnlyList<RgbImage> second)
    {
        var a = MeanHistogram(first, nameof(first));
        var b = MeanHistogram(second, nameof(second));
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / 2;
    }

    /// <summary>The Euclidean distance between the two sets' mean colours, in 8-bit levels (0 to about 442).</summary>
    /// <exception cref="ArgumentException">When a set is empty.</exception>
    public static double MeanColour(IReadOnlyList<RgbImage> first, IReadOnlyList<RgbImage> second)
    {
        var a = MeanColour(first, nameof(first));
        var b = MeanColour(second, nameof(second));
        return Math.Sqrt(Enumerable.Range(0, 3).Sum(c => (a[c] - b[c]) * (a[c] - b[c])));
    }

    private static double[] MeanHistogram(IReadOnlyList<RgbImage> pictures, string name)
    {
        EnsureSome(pictures, name);
        var histogram = new double[BinsPerChannel * BinsPerChannel * BinsPerChannel];
        const int shift = 5; // 256 levels / 8 bins
        foreach (var picture in pictures)
        {
            var weight = 1.0 / (picture.PixelCount * pictures.Count);
            var pixels = picture.Pixels;
            for (var i = 0; i < pixels.Length; i += 3)
            {
                histogram[((pixels[i] >> shift) * BinsPerChannel * BinsPerChannel) + ((pixels[i + 1] >> shift) * BinsPerChannel) + (pixels[i + 2] >> shift)] += weight;
            }
        }

        return histogram;
    }

    private static double[] MeanColour(IReadOnlyList<RgbImage> pictures, string name)
    {
        EnsureSome(pictures, name);
        var mean = new double[3];
        foreach (var picture in pictures)
        {
            var weight = 1.0 / (picture.PixelCount * pictures.Count);
            var pixels = picture.Pixels;
            for (var i = 0; i < pixels.Length; i += 3)
            {
                mean[0] += pixels[i] * weight;
                mean[1] += pixels[i + 1] * weight;
                mean[2] += pixels[i + 2] * weight;
            }
        }

        return mean;
    }

    private static void EnsureSome(IReadOnlyList<RgbImage> pictures, string name)
    {
        ArgumentNullException.ThrowIfNull(pictures, name);
        if (pictures.Count == 0)
        {
            throw new ArgumentException("A set of pictures must hold at least one.", name);
        }
    }
}
