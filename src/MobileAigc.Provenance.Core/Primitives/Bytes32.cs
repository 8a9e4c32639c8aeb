using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MobileAigc.Provenance.Core.Primitives;

/// <summary>
/// An immutable 32-byte value: a SHA-256 or Keccak-256 hash, a Merkle root, a commitment.
/// Written as 0x-prefixed lower-case hex, which is also its JSON form.
/// </summary>
[JsonConverter(typeof(Bytes32JsonConverter))]
public readonly struct Bytes32 : IEquatable<Bytes32>
{
    /// <summary>The number of bytes in a value: 32.</summary>
    public const int Length = 32;

    private readonly byte[]? _bytes;

    private Bytes32(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero value, which is also <c>default</c>.</summary>
    public static Bytes32 Zero => default;

    /// <summary>True when every byte is zero.</summary>
    public bool IsZero => _bytes is null || _bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Copies 32 bytes into a new value.</summary>
    /// <exception cref="ArgumentException">When <paramref name="bytes"/> is not exactly 32 bytes long.</exception>
    public static Bytes32 FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} bytes, got {bytes.Length}.", nameof(bytes));
        }

        return new Bytes32(bytes.ToArray());
    }

    /// <summary>Parses 64 hex digits, with or without a 0x prefix.</summary>
    /// <exception cref="FormatException">When <paramref name="hex"/> is not 32 bytes of hex.</exception>
    public static Bytes32 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryParse(hex, out var value)
            ? value
            : throw new FormatException($"'{hex}' is not a 32-byte hex value (64 hex digits, optional 0x prefix).");
    }

    /// <summary>Parses 64 hex digits, with or without a 0x prefix; false on anything else.</summary>
    public static bool TryParse(string? hex, out Bytes32 value)
    {
        value = default;
        if (hex is null)
        {
            return false;
        }

        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length != Length * 2)
        {
            return false;
        }

        var bytes = new byte[Length];
        if (Convert.FromHexString(digits, bytes, out _, out var written) != OperationStatus.Done || written != Length)
        {
            return false;
        }

        value = new Bytes32(bytes);
        return true;
    }

    /// <summary>The SHA-256 of <paramref name="data"/>.</summary>
    public static Bytes32 Sha256(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    /// <summary>The bytes, read-only.</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes ?? new byte[Length];

    /// <summary>A fresh copy of the bytes.</summary>
    public byte[] ToArray() => AsSpan().ToArray();

    /// <inheritdoc />
    public bool Equals(Bytes32 other) => AsSpan().SequenceEqual(other.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Bytes32 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(AsSpan()[..4]);

    /// <summary>0x-prefixed lower-case hex.</summary>
    public override string ToString() => "0x" + Convert.ToHexStringLower(AsSpan());

    /// <summary>Equality of the bytes.</summary>
    public static bool operator ==(Bytes32 left, Bytes32 right) => left.Equals(right);

    /// <summary>Inequality of the bytes.</summary>
    public static bool operator !=(Bytes32 left, Bytes32 right) => !left.Equals(right);
}

/// <summary>Reads and writes <see cref="Bytes32"/> as a 0x-prefixed hex string.</summary>
public sealed class Bytes32JsonConverter : JsonConverter<Bytes32>
{
    /// <inheritdoc />
    /// <remarks>
    /// A plain (unescaped, contiguous) value is decoded from its UTF-8 bytes without building a string: ingest reads
    /// eight of these per record. Anything else takes the string path; both accept exactly what <see cref="Bytes32.TryParse"/> does.
    /// </remarks>
    public override Bytes32 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            return TryParseUtf8(reader.ValueSpan, out var fast) ? fast : throw Invalid();
        }

        return reader.TokenType == JsonTokenType.String && Bytes32.TryParse(reader.GetString(), out var value) ? value : throw Invalid();
    }

    private static bool TryParseUtf8(ReadOnlySpan<byte> text, out Bytes32 value)
    {
        value = default;
        var digits = text.Length >= 2 && text[0] == (byte)'0' && (text[1] | 0x20) == (byte)'x' ? text[2..] : text;
        if (digits.Length != Bytes32.Length * 2)
        {
            return false;
        }

        // Vectorised; refuses any byte that is not a hex digit, as Bytes32.TryParse does.
        Span<byte> bytes = stackalloc byte[Bytes32.Length];
        if (Convert.FromHexString(digits, bytes, out _, out var written) != OperationStatus.Done || written != Bytes32.Length)
        {
            return false;
        }

        value = Bytes32.FromBytes(bytes);
        return true;
    }

    private static JsonException Invalid() => new("Expected a 32-byte hex string (0x followed by 64 hex digits).");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Bytes32 value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
