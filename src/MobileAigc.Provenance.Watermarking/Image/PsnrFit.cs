using System.Buffers;
using System.Numerics;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Adds a mark pattern to a picture at the strength that meets a PSNR exactly: as close to it as the rounded, clipped bytes
/// allow, never below it.
/// </summary>
internal static class PsnrFit
{
    /// <summary>
    /// Adds gain × <paramref name="pattern"/> to R, G and B, with the gain chosen so that the mean square error of the
    /// rounded, clipped result is as close to <paramref name="targetMse"/> as possible without going above it (the PSNR as
    /// close to its target as possible without going below it).
    /// </summary>
    public static RgbImage Apply(RgbImage image, ReadOnlySpan<float> pattern, double targetMse)
    {
        var power = SumOfSquares(pattern) / pattern.Length;
        if (power <= 0)
        {
            return image.Clone();
        }

        var source = image.Pixels;
        var gain = Math.Sqrt(targetMse / power);
        var maxGain = 4 * gain;

        // Rounding adds error and clipping removes it, so the gain is first fitted on every 7th pixel ...
        gain = FitOnSample(source, pattern, gain, maxGain, targetMse, stride: 7);

        // ... then checked exactly on the result, and lowered until the target holds.
        // Every byte is written below, so the array need not be zeroed first.
        var marked = GC.AllocateUninitializedArray<byte>(source.Length);
        while (true)
        {
            var total = LumaDelta.Add(source, pattern, (float)gain, marked);
            var mse = (double)total / source.Length;
            if (mse <= targetMse || gain < 1e-3)
            {
                return RgbImage.FromPixels(image.Width, image.Height, marked);
            }

            gain *= Math.Min(0.995, Math.Sqrt(targetMse / mse));
        }
    }

    /// <summary>The sum of the squares, in double precision, vector by vector.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var lanes = Vector<float>.Count;
        var vectorEnd = values.Length - values.Length % lanes;
        var sum = Vector<double>.Zero;
        for (var i = 0; i < vectorEnd; i += lanes)
        {
            Vector.Widen(new Vector<float>(values[i..]), out var low, out var high);
            sum += low * low + high * high;
        }

        var total = Vector.Sum(sum);
        for (var i = vectorEnd; i < values.Length; i++)
        {
            total += (double)values[i] * values[i];
        }

        return total;
    }

    /// <summary>
    /// Fits the gain on every <paramref name="stride"/>th pixel: four times, the gain scaled by the square root of the target
    /// over the squared error it leaves there. The sampled pixels are copied out once, so that each fit is one vectorised
    /// pass of <see cref="LumaDelta.Add"/> (the same arithmetic, pixel by pixel, as the final result's).
    /// </summary>
    private static double FitOnSample(byte[] source, ReadOnlySpan<float> pattern, double gain, double maxGain, double targetMse, int stride)
    {
        var samples = (pattern.Length + stride - 1) / stride;
        var sampleSource = ArrayPool<byte>.Shared.Rent(3 * samples);
        var sampleMarked = ArrayPool<byte>.Shared.Rent(3 * samples);
        var samplePattern = ArrayPool<float>.Shared.Rent(samples);
        try
        {
            for (var k = 0; k < samples; k++)
            {
                var (i, j) = (k * stride, 3 * k * stride);
                samplePattern[k] = pattern[i];
                (sampleSource[3 * k], sampleSource[3 * k + 1], sampleSource[3 * k + 2]) = (source[j], source[j + 1], source[j + 2]);
            }

            for (var step = 0; step < 4; step++)
            {
                var mse = (double)LumaDelta.Add(sampleSource, samplePattern.AsSpan(0, samples), (float)gain, sampleMarked) / (3 * samples);
                if (mse <= 0)
                {
                    return maxGain;
                }

                gain = Math.Min(maxGain, gain * Math.Sqrt(targetMse / mse));
            }

            return gain;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sampleSource);
            ArrayPool<byte>.Shared.Return(sampleMarked);
            ArrayPool<float>.Shared.Return(samplePattern);
        }
    }
}
