namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>Why a JUMBF structure or a container holding one was refused.</summary>
public enum JumbfErrorReason
{
    /// <summary>A box or segment ends before its declared length, or the input ends inside a header.</summary>
    Truncated,

    /// <summary>A declared length is smaller than its header or larger than what contains it.</summary>
    LengthOutOfRange,

    /// <summary>Superboxes are nested deeper than <see cref="JumbfLimits.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>More boxes than <see cref="JumbfLimits.MaxBoxes"/>.</summary>
    TooManyBoxes,

    /// <summary>The input is larger than <see cref="JumbfLimits.MaxTotalBytes"/>.</summary>
    TooLarge,

    /// <summary>A box is not what its place demands (a superbox without description box, a bad label, ...).</summary>
    Malformed,

    /// <summary>The container (PNG, JPEG) is broken around the manifest store: bad CRC, broken segment sequence.</summary>
    ContainerCorrupt,

    /// <summary>The file holds more than one C2PA manifest store.</summary>
    MultipleManifestStores,

    /// <summary>The file is not PNG, JPEG or WebP.</summary>
    UnsupportedFormat,
}

/// <summary>
/// A JUMBF structure, or the container that carries it, that cannot be read. The only exception the
/// JUMBF reader and the containers throw for bad input: a lying, truncated or too-deep box never
/// surfaces as an index or allocation failure.
/// </summary>
public sealed class JumbfException : Exception
{
    /// <summary>Creates the exception with its <paramref name="reason"/> and a message saying where.</summary>
    public JumbfException(JumbfErrorReason reason, string message)
        : base($"{reason}: {message}") => Reason = reason;

    /// <summary>Creates the exception with its <paramref name="reason"/>, a message and the exception that caused it.</summary>
    public JumbfException(JumbfErrorReason reason, string message, Exception innerException)
        : base($"{reason}: {message}", innerException) => Reason = reason;

    /// <summary>Why the input was refused.</summary>
    public JumbfErrorReason Reason { get; }
}
