namespace MobileAigc.Provenance.Imaging;

/// <summary>
/// An 8-bit RGB picture in memory: <see cref="Width"/> × <see cref="Height"/> pixels, row by row,
/// three bytes (R, G, B) per pixel, no padding. The type every imaging step here works on.
/// </summary>
public sealed class RgbImage
{
    /// <summary>The largest side accepted anywhere: 16,384 pixels.</summary>
    public const int MaxSide = 16_384;

    /// <summary>The largest pixel count accepted anywhere: 64 megapixels.</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    private RgbImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The R, G, B bytes, row-major; <c>3 × Width × Height</c> long. Writable: images are worked on in place.</summary>
    public byte[] Pixels { get; }

    /// <summary>A black image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a side is not 1 to <see cref="MaxSide"/> or the area exceeds <see cref="MaxPixels"/>.</exception>
    public static RgbImage Create(int width, int height)
    {
        EnsureSize(width, height);
        return new RgbImage(width, height, new byte[checked(3 * width * height)]);
    }

    /// <summary>Wraps existing RGB bytes (not copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the size is out of range.</exception>
    /// <exception cref="ArgumentException">When <paramref name="pixels"/> is not <c>3 × width × height</c> long.</exception>
    public static RgbImage FromPixels(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        EnsureSize(width, height);
        if (pixels.Length != 3L * width * height)
        {
            throw new ArgumentException($"Expected {3L * width * height} bytes for {width}×{height} RGB, got {pixels.Length}.", nameof(pixels));
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>A deep copy.</summary>
    public RgbImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    /// <summary>The pixel count.</summary>
    public long PixelCount => (long)Width * Height;

    private static void EnsureSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height} exceeds {MaxPixels} pixels.");
        }
    }
}
