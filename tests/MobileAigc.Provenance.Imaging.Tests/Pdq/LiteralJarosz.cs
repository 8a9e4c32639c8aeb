using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

/// <summary>
/// The reference's downsample as it is written, for checking ours: luma of the whole picture in single precision, then
/// rows, columns, rows, columns of a box filter computed with a running sum (added on the right, subtracted on the
/// left, divided by the pixels inside the window), then the pixel under each cell's centre.
/// </summary>
internal static class LiteralJarosz
{
    public static float[] Downsample(RgbImage image)
    {
        var (width, height) = (image.Width, image.Height);
        var a = new float[width * height];
        var b = new float[width * height];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (0.299f * image.Pixels[3 * i]) + (0.587f * image.Pixels[(3 * i) + 1]) + (0.114f * image.Pixels[(3 * i) + 2]);
        }

        var rowWindow = JaroszDownsampler.WindowSize(width);
        var columnWindow = JaroszDownsampler.WindowSize(height);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var y = 0; y < height; y++)
            {
                Box(a, b, y * width, 1, width, rowWindow);
            }

            for (var x = 0; x < width; x++)
            {
                Box(b, a, x, width, height, columnWindow);
            }
        }

        var result = new float[64 * 64];
        for (var i = 0; i < 64; i++)
        {
            var y = (int)((i + 0.5) * height / 64);
            for (var j = 0; j < 64; j++)
            {
                result[(i * 64) + j] = a[(y * width) + (int)((j + 0.5) * width / 64)];
            }
        }

        return result;
    }

    private static void Box(float[] input, float[] output, int offset, int stride, int length, int window)
    {
        var half = (window + 2) / 2;
        var (read, drop, write) = (offset, offset, offset);
        var sum = 0f;
        var count = 0;
        for (var i = 0; i < half - 1; i++, read += stride)
        {
            sum += input[read];
            count++;
        }

        for (var i = 0; i < window - half + 1; i++, read += stride, write += stride)
        {
            sum += input[read];
            count++;
            output[write] = sum / count;
        }

        for (var i = 0; i < length - window; i++, read += stride, drop += stride, write += stride)
        {
            sum += input[read];
            sum -= input[drop];
            output[write] = sum / count;
        }

        for (var i = 0; i < half - 1; i++, drop += stride, write += stride)
        {
            sum -= input[drop];
            count--;
            output[write] = sum / count;
        }
    }
}
