using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Decides whether an upload can be verified at all, before anything is looked up: not empty, within
/// <see cref="VerificationOptions.MaxUploadBytes"/>, and a PNG, JPEG or WebP within <see cref="VerificationOptions.MaxUploadPixels"/> that decodes whole (decoding is
/// the only way to know an image is not truncated or corrupt) or UTF-8 text (<see cref="PlainText"/>).
/// </summary>
public sealed class UploadReader
{
    private readonly long _maxUploadBytes;
    private readonly long _maxUploadPixels;

    /// <summary>Creates the reader; it holds no state and is thread-safe.</summary>
    public UploadReader(IOptions<VerificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxUploadBytes = options.Value.MaxUploadBytes;
        _maxUploadPixels = options.Value.MaxUploadPixels;
    }

    /// <summary>Classifies the upload and, for an image, decodes it.</summary>
    /// <exception cref="UnsupportedContentException">Empty, too large, not PNG/JPEG/WebP/UTF-8 text (an animated WebP included), or an image that is truncated or corrupt.</exception>
    public ContentUpload Read(ReadOnlyMemory<byte> file)
    {
        var bytes = file.Span;
        if (bytes.IsEmpty)
        {
            throw new UnsupportedContentException(UnsupportedContentReason.Empty, "The file is empty.");
        }

        if (bytes.Length > _maxUploadBytes)
        {
            throw new UnsupportedContentException(UnsupportedContentReason.TooLarge, $"The file is {bytes.Length:N0} bytes; the limit is {_maxUploadBytes:N0}.");
        }

        if (ImageCodec.Sniff(bytes) is not null)
        {
            return new ContentUpload(file, Bytes32.Sha256(bytes), Decode(bytes, _maxUploadPixels), AssetHashOf(file));
        }

        return PlainText.IsText(bytes)
            ? new ContentUpload(file, Bytes32.Sha256(bytes), null)
            : throw new UnsupportedContentException(
                UnsupportedContentReason.UnsupportedType, "The file is neither a PNG, JPEG or WebP image nor UTF-8 text.");
    }

    private static Bytes32? AssetHashOf(ReadOnlyMemory<byte> file)
    {
        try
        {
            return AssetContainers.AssetHash(file);
        }
        catch (JumbfException)
        {
            // A broken or doubled store: the file can still be traced by its own hash, watermark and looks.
            return null;
        }
    }

    private static RgbImage Decode(ReadOnlySpan<byte> bytes, long maxPixels)
    {
        try
        {
            // The pixel budget is checked from the header, before any pixel memory is allocated.
            return ImageCodec.DecodeWithin(bytes, maxPixels);
        }
        catch (UnreadableImageException e)
        {
            throw new UnsupportedContentException(
                e.Reason switch
                {
                    UnreadableImageReason.Empty => UnsupportedContentReason.Empty,
                    UnreadableImageReason.UnsupportedFormat => UnsupportedContentReason.UnsupportedType,
                    UnreadableImageReason.TooLarge => UnsupportedContentReason.TooLarge,
                    _ => UnsupportedContentReason.Unreadable,
                },
                e.Message,
                e);
        }
    }
}
