using MobileAigc.Provenance.Imaging;
using SkiaSharp;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// The geometric changes of issue 17, done the way common tools do them (SkiaSharp, bilinear): rotation by any angle
/// with the corners filled by reflection or cut away, mirror flips, a change of aspect ratio, and thumbnails. Shared by
/// the unit tests and the robustness benchmark (which links this file).
/// </summary>
public static class GeometricAttacks
{
    /// <summary>
    /// Rotates by <paramref name="degrees"/> (clockwise on screen) about the centre, keeping the size; the corners the
    /// rotated picture leaves uncovered are filled with its mirror image, as editors' "reflect" edge mode does.
    /// </summary>
    public static RgbImage RotateReflected(RgbImage image, double degrees)
    {
        using var source = ImageAttacks.ToBitmap(image);
        using var picture = SKImage.FromBitmap(source);
        using var shader = picture.ToShader(SKShaderTileMode.Mirror, SKShaderTileMode.Mirror, new SKSamplingOptions(SKFilterMode.Linear));
        using var target = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Translate(image.Width / 2f, image.Height / 2f);
            canvas.RotateDegrees((float)degrees);
            canvas.Translate(-image.Width / 2f, -image.Height / 2f);
            using var paint = new SKPaint { Shader = shader };
            // Large enough to cover the target at any angle: the shader repeats the picture mirrored beyond its edges.
            var reach = image.Width + image.Height;
            canvas.DrawRect(-reach, -reach, image.Width + 2 * reach, image.Height + 2 * reach, paint);
        }

        return ImageAttacks.FromBitmap(target);
    }

    /// <summary>
    /// Rotates by <paramref name="degrees"/> about the centre and keeps the largest upright rectangle that lies wholly
    /// inside the rotated picture (what "straighten" tools of photo editors do): no filled corners, a smaller picture.
    /// </summary>
    public static RgbImage RotateCropped(RgbImage image, double degrees)
    {
        var (width, height) = LargestUprightRectangle(image.Width, image.Height, degrees * Math.PI / 180);
        using var source = ImageAttacks.ToBitmap(image);
        using var picture = SKImage.FromBitmap(source);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.Black);
            canvas.Translate(width / 2f, height / 2f);
            canvas.RotateDegrees((float)degrees);
            canvas.Translate(-image.Width / 2f, -image.Height / 2f);
            canvas.DrawImage(picture, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
        }

        return ImageAttacks.FromBitmap(target);
    }

    /// <summary>
    /// The whole-pixel size of the largest axis-aligned rectangle inside a <paramref name="width"/> × <paramref name="height"/>
    /// rectangle rotated by <paramref name="radians"/> about its centre, less a pixel each side for the bilinear edge.
    /// </summary>
    public static (int Width, int Height) LargestUprightRectangle(int width, int height, double radians)
    {
        var sin = Math.Abs(Math.Sin(radians));
        var cos = Math.Abs(Math.Cos(radians));
        var (longSide, shortSide) = width >= height ? (width, height) : (height, width);
        double w, h;
        if (sin < 1e-9 || cos < 1e-9)
        {
            (w, h) = sin < 1e-9 ? (width, height) : (height, width);
        }
        else if (shortSide <= 2 * sin * cos * longSide || Math.Abs(sin - cos) < 1e-9)
        {
            // Two corners of the rectangle touch the long sides: a half-constrained case.
            var x = 0.5 * shortSide;
            (w, h) = width >= height ? (x / sin, x / cos) : (x / cos, x / sin);
        }
        else
        {
            // All four corners touch the sides.
            var cos2 = cos * cos - sin * sin;
            (w, h) = ((width * cos - height * sin) / cos2, (height * cos - width * sin) / cos2);
        }

        return (Math.Max(1, (int)Math.Floor(w) - 2), Math.Max(1, (int)Math.Floor(h) - 2));
    }

    /// <summary>
    /// Turns by <paramref name="turns"/> quarter turns clockwise, exactly (pixels moved, not resampled), swapping the sides
    /// of a picture that is not square, as a phone's "rotate" does (<see cref="RotateReflected"/> keeps the frame, which for
    /// a quarter turn of a square picture is the same turn).
    /// </summary>
    public static RgbImage RotateQuarterTurns(RgbImage image, int turns) => (((turns % 4) + 4) % 4) switch
    {
        0 => image.Clone(),
        1 => Remap(image, image.Height, image.Width, (x, y) => (y, image.Height - 1 - x)),
        2 => Remap(image, image.Width, image.Height, (x, y) => (image.Width - 1 - x, image.Height - 1 - y)),
        _ => Remap(image, image.Height, image.Width, (x, y) => (image.Width - 1 - y, x)),
    };

    /// <summary>Mirrors left to right.</summary>
    public static RgbImage FlipHorizontal(RgbImage image) => Remap(image, image.Width, image.Height, (x, y) => (image.Width - 1 - x, y));

    /// <summary>Mirrors top to bottom.</summary>
    public static RgbImage FlipVertical(RgbImage image) => Remap(image, image.Width, image.Height, (x, y) => (x, image.Height - 1 - y));

    /// <summary>
    /// Replaces the right <paramref name="fraction"/> of the picture with the mirror image of its left part, as a collage or a
    /// symmetric edit does: that part carries the mark mirrored, which a reader must not fold in with the rest.
    /// </summary>
    public static RgbImage MirrorRightPart(RgbImage image, double fraction)
    {
        var start = image.Width - (int)Math.Round(image.Width * fraction);
        return Remap(image, image.Width, image.Height, (x, y) => (x < start ? x : image.Width - 1 - x, y));
    }

    /// <summary>Mirrors about the main diagonal, exactly (width and height swap).</summary>
    public static RgbImage Transpose(RgbImage image) => Remap(image, image.Height, image.Width, (x, y) => (y, x));

    /// <summary>Resamples the width by <paramref name="widthFactor"/> and the height by <paramref name="heightFactor"/> (a change of aspect ratio when they differ).</summary>
    public static RgbImage Stretch(RgbImage image, double widthFactor, double heightFactor) =>
        ImageAttacks.Resize(image, Math.Max(1, (int)Math.Round(image.Width * widthFactor)), Math.Max(1, (int)Math.Round(image.Height * heightFactor)));

    /// <summary>A thumbnail: both sides scaled by <paramref name="factor"/> (trilinear), read as it is, not enlarged back.</summary>
    public static RgbImage Thumbnail(RgbImage image, double factor) => ImageAttacks.Scale(image, factor);

    private static RgbImage Remap(RgbImage image, int width, int height, Func<int, int, (int X, int Y)> source)
    {
        var result = RgbImage.Create(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var (sx, sy) = source(x, y);
                Array.Copy(image.Pixels, 3 * (sy * image.Width + sx), result.Pixels, 3 * (y * width + x), 3);
            }
        }

        return result;
    }
}
