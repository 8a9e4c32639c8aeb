using SkiaSharp;

namespace MobileAigc.Provenance.Imaging;

/// <summary>Turns stored pixels upright according to the EXIF orientation SkiaSharp reports for the file.</summary>
internal static class ExifOrientation
{
    /// <summary>True for the four orientations that swap width and height (EXIF 5 to 8).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Copies the RGBA pixels (alpha dropped) of a stored <paramref name="width"/>×<paramref name="height"/>
    /// image into an upright RGB image, as a viewer would show it. <see cref="SKEncodedOrigin.TopLeft"/>
    /// (EXIF 1, and anything unknown) keeps the stored layout.
    /// </summary>
    public static RgbImage ToUpright(ReadOnlySpan<byte> rgba, int width, int height, SKEncodedOrigin origin)
    {
        var upright = SwapsAxes(origin) ? RgbImage.Create(height, width) : RgbImage.Create(width, height);

        // Stored pixel index of upright (x, y) = start + x * stepX + y * stepY; the comments say how the stored image is seen.
        var (start, stepX, stepY) = origin switch
        {
            SKEncodedOrigin.TopRight => (width - 1, -1, width),                             // 2: mirrored left-right
            SKEncodedOrigin.BottomRight => (((height - 1) * width) + width - 1, -1, -width), // 3: turned 180°
            SKEncodedOrigin.BottomLeft => ((height - 1) * width, 1, -width),                // 4: mirrored top-bottom
            SKEncodedOrigin.LeftTop => (0, width, 1),                                       // 5: transposed
            SKEncodedOrigin.RightTop => ((height - 1) * width, -width, 1),                  // 6: shown turned 90° clockwise
            SKEncodedOrigin.RightBottom => (((height - 1) * width) + width - 1, -width, -1), // 7: transverse
            SKEncodedOrigin.LeftBottom => (width - 1, width, -1),                           // 8: shown turned 90° anticlockwise
            _ => (0, 1, width),
        };

        var target = upright.Pixels;
        var to = 0;
        for (var y = 0; y < upright.Height; y++)
        {
            var from = start + (y * stepY);
            for (var x = 0; x < upright.Width; x++, from += stepX, to += 3)
            {
                var source = 4 * from;
                target[to] = rgba[source];
                target[to + 1] = rgba[source + 1];
                target[to + 2] = rgba[source + 2];
            }
        }

        return upright;
    }
}
