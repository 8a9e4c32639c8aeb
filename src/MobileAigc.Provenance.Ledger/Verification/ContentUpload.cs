using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>An upload that passed <see cref="UploadReader"/>: within the limits, and either a whole image or UTF-8 text.</summary>
/// <param name="Bytes">The file as uploaded.</param>
/// <param name="ContentHash">SHA-256 of <paramref name="Bytes"/>.</param>
/// <param name="Image">The decoded PNG, JPEG or WebP; null for text.</param>
/// <param name="AssetHash">
/// For a PNG, JPEG or WebP: SHA-256 of the file without its C2PA manifest store (a record's content hash; equal to
/// <paramref name="ContentHash"/> when the file has no store); null for text and for an image whose store
/// cannot be cut out.
/// </param>
public sealed record ContentUpload(ReadOnlyMemory<byte> Bytes, Bytes32 ContentHash, RgbImage? Image, Bytes32? AssetHash = null)
{
    /// <summary>The hashes exact lookup tries, in order: the asset hash (the record's content hash) first, then the file's own.</summary>
    public IEnumerable<Bytes32> ExactHashes =>
        AssetHash is { } asset && asset != ContentHash ? [asset, ContentHash] : [ContentHash];
}
