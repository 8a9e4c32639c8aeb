namespace MobileAigc.Provenance.Imaging;

/// <summary>Why a file could not be read as an image; stable, for mapping to an API error type.</summary>
public enum UnreadableImageReason
{
    /// <summary>The bytes are an image in a damaged or inconsistent form (bad checksum, bad data), or failed to decode for another reason.</summary>
    Corrupt,

    /// <summary>The file has no bytes.</summary>
    Empty,

    /// <summary>The file is not PNG, JPEG or WebP (another image format: GIF, HEIF, ..., or an animated WebP), or not an image at all.</summary>
    UnsupportedFormat,

    /// <summary>The file ends before the image does.</summary>
    Truncated,

    /// <summary>The header declares more pixels than <see cref="RgbImage.MaxSide"/> / <see cref="RgbImage.MaxPixels"/> allow (or zero).</summary>
    TooLarge,
}

/// <summary>A file that cannot be read as an image; the message says why, for the user.</summary>
public sealed class UnreadableImageException : Exception
{
    /// <summary>An unreadable image with a message for the user; <see cref="Reason"/> is <see cref="UnreadableImageReason.Corrupt"/>.</summary>
    public UnreadableImageException(string message)
        : this(UnreadableImageReason.Corrupt, message)
    {
    }

    /// <summary>An unreadable image with a reason and a message for the user.</summary>
    public UnreadableImageException(UnreadableImageReason reason, string message)
        : base(message) => Reason = reason;

    /// <summary>An unreadable image with a reason, a message for the user, and the failure that revealed it.</summary>
    public UnreadableImageException(UnreadableImageReason reason, string message, Exception? innerException)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why the file could not be read.</summary>
    public UnreadableImageReason Reason { get; }
}
