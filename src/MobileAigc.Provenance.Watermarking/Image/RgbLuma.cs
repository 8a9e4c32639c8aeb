using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// BT.601 luma of interleaved RGB bytes, 0.299·R + 0.587·G + 0.114·B in single precision, summed left to right: the first
/// step of both embedding and reading. Sixteen pixels (48 bytes) at a time in 128-bit vectors: the channels are split out
/// with three fixed shuffles per channel, widened to floats, and weighted with the scalar version's operations in its
/// order, so every value is the scalar version's to the last bit; the scalar version handles the remainder.
/// </summary>
internal static class RgbLuma
{
    private const int PixelsPerStep = 16;

    /// <summary>Writes the luma of the first <paramref name="luma"/>.Length pixels of <paramref name="rgb"/> (3 bytes each) to <paramref name="luma"/>.</summary>
    public static void Convert(ReadOnlySpan<byte> rgb, Span<float> luma)
    {
        var pixels = luma.Length;
        var vectorPixels = Vector128.IsHardwareAccelerated ? pixels - pixels % PixelsPerStep : 0;
        ref var source = ref MemoryMarshal.GetReference(rgb[..(3 * pixels)]);
        ref var target = ref MemoryMarshal.GetReference(luma);
        for (var i = 0; i < vectorPixels; i += PixelsPerStep)
        {
            var offset = (nuint)(3 * i);
            var (a, b, c) = (Vector128.LoadUnsafe(ref source, offset), Vector128.LoadUnsafe(ref source, offset + 16), Vector128.LoadUnsafe(ref source, offset + 32));

            // Byte k of the step is channel k % 3 of pixel k / 3; an index of 16 or more selects zero.
            var red = Vector128.Shuffle(a, Vector128.Create((byte)0, 3, 6, 9, 12, 15, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16))
                | Vector128.Shuffle(b, Vector128.Create((byte)16, 16, 16, 16, 16, 16, 2, 5, 8, 11, 14, 16, 16, 16, 16, 16))
                | Vector128.Shuffle(c, Vector128.Create((byte)16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 1, 4, 7, 10, 13));
            var green = Vector128.Shuffle(a, Vector128.Create((byte)1, 4, 7, 10, 13, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16))
                | Vector128.Shuffle(b, Vector128.Create((byte)16, 16, 16, 16, 16, 0, 3, 6, 9, 12, 15, 16, 16, 16, 16, 16))
                | Vector128.Shuffle(c, Vector128.Create((byte)16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 2, 5, 8, 11, 14));
            var blue = Vector128.Shuffle(a, Vector128.Create((byte)2, 5, 8, 11, 14, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16))
                | Vector128.Shuffle(b, Vector128.Create((byte)16, 16, 16, 16, 16, 1, 4, 7, 10, 13, 16, 16, 16, 16, 16, 16))
                | Vector128.Shuffle(c, Vector128.Create((byte)16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 0, 3, 6, 9, 12, 15));

            var (redLow, redHigh) = (Vector128.WidenLower(red), Vector128.WidenUpper(red));
            var (greenLow, greenHigh) = (Vector128.WidenLower(green), Vector128.WidenUpper(green));
            var (blueLow, blueHigh) = (Vector128.WidenLower(blue), Vector128.WidenUpper(blue));
            Weigh(Vector128.WidenLower(redLow), Vector128.WidenLower(greenLow), Vector128.WidenLower(blueLow)).StoreUnsafe(ref target, (nuint)i);
            Weigh(Vector128.WidenUpper(redLow), Vector128.WidenUpper(greenLow), Vector128.WidenUpper(blueLow)).StoreUnsafe(ref target, (nuint)(i + 4));
            Weigh(Vector128.WidenLower(redHigh), Vector128.WidenLower(greenHigh), Vector128.WidenLower(blueHigh)).StoreUnsafe(ref target, (nuint)(i + 8));
            Weigh(Vector128.WidenUpper(redHigh), Vector128.WidenUpper(greenHigh), Vector128.WidenUpper(blueHigh)).StoreUnsafe(ref target, (nuint)(i + 12));
        }

        for (int i = vectorPixels, j = 3 * vectorPixels; i < pixels; i++, j += 3)
        {
            luma[i] = 0.299f * rgb[j] + 0.587f * rgb[j + 1] + 0.114f * rgb[j + 2];
        }
    }

    /// <summary>Four pixels' luma from their channels (each below 256, so exact as 32-bit integers and as floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Weigh(Vector128<uint> red, Vector128<uint> green, Vector128<uint> blue) =>
        Vector128.Create(0.299f) * Vector128.ConvertToSingle(red.AsInt32())
        + Vector128.Create(0.587f) * Vector128.ConvertToSingle(green.AsInt32())
        + Vector128.Create(0.114f) * Vector128.ConvertToSingle(blue.AsInt32());
}
