using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// One node's attribution of an image payload: a <see cref="Bits"/>-bit tag, the top bits of
/// HMAC-SHA-256(macKey, payload big-endian). The codeword's layout is the network's (see
/// <see cref="CodewordSearch.Layout"/>); this tag is the only part of a mark that needs the node's key, so
/// only a holder of that key can make a codeword that a reader attributes to the node. Thread-safe.
/// </summary>
internal sealed class PayloadMac(byte[] macKey)
{
    /// <summary>The tag length: the 90 data bits of the codeword less the 64-bit payload.</summary>
    public const int Bits = PayloadCodec.DataSymbols * PayloadCodec.SymbolBits - 64;

    /// <summary>The label of the MAC sub-key derived from a node's <see cref="WatermarkKey"/>.</summary>
    public const string KeyPurpose = "mobileaigc/image-watermark/v2/mac";

    private readonly byte[] _macKey = macKey;

    /// <summary>The MAC of <paramref name="key"/>.</summary>
    public static PayloadMac For(WatermarkKey key) => new(key.Derive(KeyPurpose));

    /// <summary>The tag of <paramref name="payload"/>.</summary>
    public ulong Tag(ulong payload)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(message, payload);
        Span<byte> tag = stackalloc byte[32];
        HMACSHA256.HashData(_macKey, message, tag);
        return BinaryPrimitives.ReadUInt64BigEndian(tag) >> (64 - Bits);
    }
}
