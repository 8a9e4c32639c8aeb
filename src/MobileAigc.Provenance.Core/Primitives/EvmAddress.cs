using System.Text.Json;
using System.Text.Json.Serialization;
using Nethereum.Util;

namespace MobileAigc.Provenance.Core.Primitives;

/// <summary>
/// A 20-byte account address, kept in its EIP-55 checksummed form so that equal addresses are
/// equal strings. Parsing accepts any case; mixed case must carry a valid checksum.
/// </summary>
[JsonConverter(typeof(EvmAddressJsonConverter))]
public readonly record struct EvmAddress
{
    private static readonly System.Buffers.SearchValues<char> HexDigits =
        System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private readonly string? _checksummed;

    // The zero address is stored as null so that it equals default.
    private EvmAddress(string checksummed) =>
        _checksummed = checksummed == AddressUtil.ZERO_ADDRESS ? null : checksummed;

    /// <summary>The zero address, which is also <c>default</c>.</summary>
    public static EvmAddress Zero => default;

    /// <summary>True for the zero address.</summary>
    public bool IsZero => _checksummed is null;

    /// <summary>Parses a 0x-prefixed 40-digit hex address.</summary>
    /// <exception cref="FormatException">When <paramref name="text"/> is not an address or its mixed-case checksum is wrong.</exception>
    public static EvmAddress Parse(string text) =>
        TryParse(text, out var address)
            ? address
            : throw new FormatException($"'{text}' is not an address (0x followed by 40 hex digits, EIP-55 checksum when mixed case).");

    /// <summary>Parses a 0x-prefixed 40-digit hex address; false on anything else.</summary>
    public static bool TryParse(string? text, out EvmAddress address)
    {
        address = default;
        if (text is null || text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal)
            || text.AsSpan(2).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        var digits = text.AsSpan(2);
        var mixedCase = digits.ContainsAnyInRange('a', 'f') && digits.ContainsAnyInRange('A', 'F');
        if (mixedCase && !AddressUtil.Current.IsChecksumAddress(text))
        {
            return false;
        }

        address = new EvmAddress(AddressUtil.Current.ConvertToChecksumAddress(text));
        return true;
    }

    /// <summary>The address of 20 raw bytes.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 20 bytes long.</exception>
    public static EvmAddress FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 20
            ? new EvmAddress(AddressUtil.Current.ConvertToChecksumAddress("0x" + Convert.ToHexStringLower(bytes)))
            : throw new ArgumentException($"An address is 20 bytes; got {bytes.Length}.", nameof(bytes));

    /// <summary>The 20 bytes of the address.</summary>
    public byte[] ToBytes() => Convert.FromHexString(ToString().AsSpan(2));

    /// <summary>The EIP-55 checksummed form.</summary>
    public override string ToString() => _checksummed ?? AddressUtil.ZERO_ADDRESS;
}

/// <summary>Reads and writes <see cref="EvmAddress"/> as its checksummed string.</summary>
public sealed class EvmAddressJsonConverter : JsonConverter<EvmAddress>
{
    /// <inheritdoc />
    public override EvmAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && EvmAddress.TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException("Expected an address (0x followed by 40 hex digits).");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, EvmAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
