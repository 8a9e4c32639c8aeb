using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MobileAigc.Provenance.Core.Payments;

/// <summary>
/// Reads and writes a token amount (a uint256) as a decimal string, the way Ethereum APIs do:
/// JSON numbers lose precision above 2^53 in most clients. Reading also accepts a JSON number.
/// Negative values and values above 2^256 - 1 fail to read.
/// </summary>
public sealed class Uint256JsonConverter : JsonConverter<BigInteger>
{
    /// <inheritdoc />
    public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => NumberText(ref reader),
            _ => null,
        };
        return text is not null
            && text.Length is > 0 and <= 78
            && text.All(char.IsAsciiDigit)
            && BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && value.GetBitLength() <= 256
                ? value
                : throw new JsonException("Expected an amount as a decimal string of a uint256.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));

    private static string NumberText(ref Utf8JsonReader reader) => System.Text.Encoding.ASCII.GetString(reader.ValueSpan);
}
