using System.Buffers.Binary;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Watermarking;

/// <summary>
/// The <c>watermarkId</c> a provenance record carries: what a verifier reads out of the content
/// to find the record. For an image it is the embedded 64-bit payload; for text, whose
/// watermark carries no payload, it names the key that detects it.
/// </summary>
public static class WatermarkIds
{
    /// <summary>The image payload, big-endian in the first 8 bytes, the rest zero.</summary>
    public static Bytes32 FromImagePayload(ulong payload)
    {
        var bytes = new byte[Bytes32.Length];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, payload);
        return Bytes32.FromBytes(bytes);
    }

    /// <summary>The image payload of an id made by <see cref="FromImagePayload"/>.</summary>
    public static ulong ToImagePayload(Bytes32 watermarkId) => BinaryPrimitives.ReadUInt64BigEndian(watermarkId.AsSpan());

    /// <summary>
    /// A public fingerprint of the text watermark key: SHA-256 of a sub-key derived for this purpose,
    /// so it reveals nothing of the key but lets a verifier pick the right one.
    /// </summary>
    public static Bytes32 ForTextKey(WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Bytes32.Sha256(key.Derive("text-watermark-id"));
    }

    /// <summary>
    /// The public fingerprint of a whole watermark key, named in its <c>WatermarkKeyEnrollment</c>:
    /// SHA-256 of a sub-key derived for this purpose, so it reveals nothing of the key.
    /// </summary>
    public static Bytes32 ForEnrollment(WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Bytes32.Sha256(key.Derive("watermark-key-enrollment"));
    }
}
