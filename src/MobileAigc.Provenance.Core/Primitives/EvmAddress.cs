using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

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

    private const string ZeroText = "0x0000000000000000000000000000000000000000";

    private readonly string? _checksummed;

    // The zero address is stored as null so that it equals default.
    private EvmAddress(string checksummed) =>
        _checksummed = checksummed == ZeroText ? null : checksummed;

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
    /// <remarks>
    /// EIP-55: all-lowercase and all-uppercase input carries no checksum and is accepted as is;
    /// mixed case must be exactly the checksummed form. Either way one keccak256 is computed
    /// (ingest parses two addresses per record, so the hash, not the validation, is the cost).
    /// </remarks>
    public static bool TryParse(string? text, out EvmAddress address)
    {
        address = default;
        if (text is null || text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal)
            || text.AsSpan(2).ContainsAnyExcept(HexDigits))
        {
            return false;
        }

        var digits = text.AsSpan(2);
        Span<char> checksummed = stackalloc char[42];
        WriteChecksummed(digits, checksummed);
        if (digits.ContainsAnyInRange('a', 'f') && digits.ContainsAnyInRange('A', 'F'))
        {
            if (!checksummed.SequenceEqual(text))
            {
                return false;
            }

            // A valid mixed-case address is its own checksummed form: keep the caller's string.
            address = new EvmAddress(text);
            return true;
        }

        address = new EvmAddress(new string(checksummed));
        return true;
    }

    /// <summary>The address of 20 raw bytes.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not 20 bytes long.</exception>
    public static EvmAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20)
        {
            throw new ArgumentException($"An address is 20 bytes; got {bytes.Length}.", nameof(bytes));
        }

        Span<char> digits = stackalloc char[40];
        Convert.TryToHexStringLower(bytes, digits, out _);
        Span<char> checksummed = stackalloc char[42];
        WriteChecksummed(digits, checksummed);
        return new EvmAddress(new string(checksummed));
    }

    /// <summary>The 20 bytes of the address.</summary>
    public byte[] ToBytes() => Convert.FromHexString(ToString().AsSpan(2));

    /// <summary>The EIP-55 checksummed form.</summary>
    public override string ToString() => _checksummed ?? ZeroText;

    // EIP-55: the i-th hex letter is upper case when the i-th nibble of keccak256(lowercase hex digits) is 8 or more.
    private static void WriteChecksummed(ReadOnlySpan<char> digits, Span<char> destination)
    {
        Span<byte> lower = stackalloc byte[40];
        for (var i = 0; i < lower.Length; i++)
        {
            lower[i] = (byte)char.ToLowerInvariant(digits[i]);
        }

        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(lower, hash);
        destination[0] = '0';
        destination[1] = 'x';
        for (var i = 0; i < lower.Length; i++)
        {
            var nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0x0f;
            var digit = (char)lower[i];
            destination[2 + i] = digit >= 'a' && nibble >= 8 ? (char)(digit - ('a' - 'A')) : digit;
        }
    }
}

/// <summary>Reads and writes <see cref="EvmAddress"/> as its checksummed string.</summary>
/// <remarks>
/// Reading accepts exactly what <see cref="EvmAddress.TryParse"/> does. Ingest reads two addresses per record, and the
/// records of one request share them (one node, few creators); parsing one costs a keccak256 and a string, so the
/// last few thousand valid addresses read are kept by their exact text (bounded: the set is emptied when full).
/// </remarks>
public sealed class EvmAddressJsonConverter : JsonConverter<EvmAddress>
{
    private const int TextLength = 42;
    private const int RecentCapacity = 4_096;

    private static readonly ConcurrentDictionary<string, EvmAddress> Recent = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, EvmAddress>.AlternateLookup<ReadOnlySpan<char>> RecentByText =
        Recent.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int _recentAdded;

    /// <inheritdoc />
    public override EvmAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length == TextLength)
        {
            // Bytes above 0x7f become characters no address holds, so they never match.
            Span<char> text = stackalloc char[TextLength];
            var utf8 = reader.ValueSpan;
            for (var i = 0; i < text.Length; i++)
            {
                text[i] = (char)utf8[i];
            }

            if (RecentByText.TryGetValue(text, out var known))
            {
                return known;
            }
        }

        var read = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (!EvmAddress.TryParse(read, out var value))
        {
            throw new JsonException("Expected an address (0x followed by 40 hex digits).");
        }

        Remember(read!, value);
        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, EvmAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    private static void Remember(string text, EvmAddress value)
    {
        if (Interlocked.Increment(ref _recentAdded) > RecentCapacity)
        {
            Recent.Clear();
            Interlocked.Exchange(ref _recentAdded, 0);
        }

        Recent.TryAdd(text, value);
    }
}
