using System.Security.Cryptography;

namespace MobileAigc.Provenance.Watermarking;

/// <summary>
/// The secret that places and reads a watermark: 32 bytes. Without it a watermark can be neither
/// found nor forged. Image and text watermarks derive their own sub-keys from it (HMAC-SHA-256
/// with a purpose label), so one key can serve both.
/// </summary>
public sealed class WatermarkKey
{
    /// <summary>The key length: 32 bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _bytes;

    private WatermarkKey(byte[] bytes) => _bytes = bytes;

    /// <summary>A key from 32 bytes (copied).</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 32 bytes long.</exception>
    public static WatermarkKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length
            ? new WatermarkKey(bytes.ToArray())
            : throw new ArgumentException($"A watermark key is {Length} bytes; got {bytes.Length}.", nameof(bytes));

    /// <summary>A key from 64 hex digits (optional 0x prefix).</summary>
    /// <exception cref="FormatException">When the text is not 32 bytes of hex.</exception>
    public static WatermarkKey Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (digits.Length != Length * 2)
        {
            throw new FormatException($"A watermark key is {Length} bytes: 64 hex digits.");
        }

        return new WatermarkKey(Convert.FromHexString(digits));
    }

    /// <summary>A fresh random key.</summary>
    public static WatermarkKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>A sub-key for one purpose: HMAC-SHA-256(key, purpose).</summary>
    public byte[] Derive(string purpose) => HMACSHA256.HashData(_bytes, System.Text.Encoding.UTF8.GetBytes(purpose));

    /// <summary>64 hex digits with a 0x prefix; a secret, so never log it.</summary>
    public string ToHex() => "0x" + Convert.ToHexStringLower(_bytes);

    /// <summary>Does not reveal the key.</summary>
    public override string ToString() => "WatermarkKey(***)";
}
