using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>An upload that passed <see cref="UploadReader"/>: within the limits, and either a whole image or UTF-8 text.</summary>
/// <param name="Bytes">The file as uploaded.</param>
/// <param name="ContentHash">SHA-256 of <paramref name="Bytes"/>.</param>
/// <param name="Image">The decoded PNG or JPEG; null for text.</param>
public sealed record ContentUpload(ReadOnlyMemory<byte> Bytes, Bytes32 ContentHash, RgbImage? Image);
