using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MobileAigc.Provenance.Core.Eip712;

/// <summary>
/// A 65-byte secp256k1 signature r ‖ s ‖ v, held to the rules OpenZeppelin's <c>ECDSA</c>
/// enforces on chain: v is 27 or 28 and s is in the lower half of the curve order (no
/// malleable twin of a valid signature is accepted).
/// Its JSON form is 0x-prefixed hex.
/// </summary>
[JsonConverter(typeof(EcdsaSignatureJsonConverter))]
public sealed class EcdsaSignature
{
    /// <summary>The length of an encoded signature: 65 bytes.</summary>
    public const int Length = 65;

    private static readonly BigInteger HalfCurveOrder = BigInteger.Parse(
        "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0",
        System.Globalization.NumberStyles.HexNumber);

    private readonly byte[] _bytes;

    private EcdsaSignature(byte[] bytes) => _bytes = bytes;

    /// <summary>Validates and copies an encoded signature.</summary>
    /// <exception cref="InvalidSignatureException">When the length, v or s break the rules above.</exception>
    public static EcdsaSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new InvalidSignatureException($"A signature is {Length} bytes (r, s, v); got {bytes.Length}.");
        }

        var v = bytes[64];
        if (v is not (27 or 28))
        {
            throw new InvalidSignatureException($"Signature v must be 27 or 28; got {v}.");
        }

        var s = new BigInteger(bytes.Slice(32, 32), isUnsigned: true, isBigEndian: true);
        if (s > HalfCurveOrder || s.IsZero)
        {
            throw new InvalidSignatureException("Signature s is zero or in the upper half of the curve order (malleable).");
        }

        return new EcdsaSignature(bytes.ToArray());
    }

    /// <summary>Parses 0x-prefixed hex and validates it as <see cref="FromBytes"/> does.</summary>
    /// <exception cref="InvalidSignatureException">When the text is not hex or the signature breaks the rules.</exception>
    public static EcdsaSignature Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        try
        {
            return FromBytes(Convert.FromHexString(digits));
        }
        catch (FormatException)
        {
            throw new InvalidSignatureException("A signature must be hex.");
        }
    }

    /// <summary>The 65 encoded bytes.</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    /// <summary>A fresh copy of the encoded bytes.</summary>
    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>0x-prefixed lower-case hex.</summary>
    public override string ToString() => "0x" + Convert.ToHexStringLower(_bytes);
}

/// <summary>A signature that is malformed or malleable, refused before any recovery.</summary>
public sealed class InvalidSignatureException(string message) : Exception(message);

/// <summary>Reads and writes <see cref="EcdsaSignature"/> as 0x-prefixed hex; malformed or malleable signatures fail to read.</summary>
public sealed class EcdsaSignatureJsonConverter : JsonConverter<EcdsaSignature>
{
    /// <inheritdoc />
    public override EcdsaSignature Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a signature as a hex string.");
        }

        try
        {
            return EcdsaSignature.Parse(reader.GetString()!);
        }
        catch (InvalidSignatureException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, EcdsaSignature value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
