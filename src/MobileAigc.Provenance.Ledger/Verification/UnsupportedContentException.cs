namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>Why an uploaded file cannot be verified; stable, mapped to an HTTP status by the API.</summary>
public enum UnsupportedContentReason
{
    /// <summary>The file has no bytes.</summary>
    Empty,

    /// <summary>Neither a PNG, JPEG or (still) WebP image nor UTF-8 text (415).</summary>
    UnsupportedType,

    /// <summary>A PNG, JPEG or WebP that is truncated or corrupt (400).</summary>
    Unreadable,

    /// <summary>Larger than the upload limit, or an image declaring more pixels than the decoder accepts (413).</summary>
    TooLarge,
}

/// <summary>An uploaded file the ledger cannot verify; the message says why, for the user.</summary>
public sealed class UnsupportedContentException : Exception
{
    /// <summary>A file that cannot be verified, for <paramref name="reason"/>.</summary>
    public UnsupportedContentException(UnsupportedContentReason reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Why.</summary>
    public UnsupportedContentReason Reason { get; }
}
