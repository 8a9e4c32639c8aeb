using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="RgbLuma.Convert"/> (sixteen pixels per step in 128-bit vectors, a scalar remainder) against the luma formula
/// one pixel at a time: equal to the last bit, for pixel counts that are and are not whole steps, on random bytes and on
/// the extremes 0 and 255.
/// </summary>
public sealed class RgbLumaTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    public void Convert_RandomBytes_EqualsTheFormulaPerPixel(int pixels)
    {
        var random = new Random(pixels + 3);
        var rgb = new byte[3 * pixels + 5];
        random.NextBytes(rgb);
        for (var j = 0; j < Math.Min(rgb.Length, 24); j++)
        {
            rgb[j] = j % 2 == 0 ? (byte)0 : (byte)255;
        }

        var luma = new float[pixels];

        RgbLuma.Convert(rgb, luma);

        for (var i = 0; i < pixels; i++)
        {
            var expected = 0.299f * rgb[3 * i] + 0.587f * rgb[3 * i + 1] + 0.114f * rgb[3 * i + 2];
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(luma[i]));
        }
    }
}
