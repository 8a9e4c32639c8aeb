using System.Formats.Cbor;
using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// CBOR to a JSON-like view (<see cref="JsonNode"/>) for display and lookups: byte strings become
/// base64 strings, tags are dropped (their content kept), map keys become strings. Nesting is bounded.
/// </summary>
public static class CborJson
{
    /// <summary>Deepest nesting decoded (64).</summary>
    public const int MaxDepth = 64;

    /// <summary>Decodes one CBOR data item that fills <paramref name="cbor"/>.</summary>
    /// <exception cref="CborContentException">When the bytes are not one well-formed CBOR item within <see cref="MaxDepth"/>.</exception>
    public static JsonNode? Decode(ReadOnlyMemory<byte> cbor)
    {
        var reader = new CborReader(cbor, CborConformanceMode.Lax, allowMultipleRootLevelValues: false);
        try
        {
            var node = Read(reader, 0);
            if (reader.BytesRemaining != 0)
            {
                throw new CborContentException($"{reader.BytesRemaining} bytes follow the CBOR item");
            }

            return node;
        }
        catch (InvalidOperationException e)
        {
            throw new CborContentException("CBOR item is not well formed: " + e.Message, e);
        }
        catch (OverflowException e)
        {
            throw new CborContentException("CBOR number out of range: " + e.Message, e);
        }
    }

    private static JsonNode? Read(CborReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new CborContentException($"CBOR nested deeper than {MaxDepth}");
        }

        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return ReadInteger(reader);
            case CborReaderState.ByteString:
            case CborReaderState.StartIndefiniteLengthByteString:
                return Convert.ToBase64String(reader.ReadByteString());
            case CborReaderState.TextString:
            case CborReaderState.StartIndefiniteLengthTextString:
                return reader.ReadTextString();
            case CborReaderState.StartArray:
                reader.ReadStartArray();
                var array = new JsonArray();
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    array.Add(Read(reader, depth + 1));
                }

                reader.ReadEndArray();
                return array;
            case CborReaderState.StartMap:
                reader.ReadStartMap();
                var map = new JsonObject();
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    var key = KeyText(Read(reader, depth + 1));
                    var value = Read(reader, depth + 1);
                    map[key] = value;
                }

                reader.ReadEndMap();
                return map;
            case CborReaderState.Tag:
                reader.ReadTag();
                return Read(reader, depth + 1);
            case CborReaderState.Boolean:
                return reader.ReadBoolean();
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            case CborReaderState.Undefined:
                reader.ReadSimpleValue();
                return null;
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                var number = reader.ReadDouble();
                return double.IsFinite(number) ? number : number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case CborReaderState.SimpleValue:
                return (int)reader.ReadSimpleValue();
            default:
                throw new CborContentException($"unexpected CBOR state {reader.PeekState()}");
        }
    }

    private static JsonNode ReadInteger(CborReader reader)
    {
        if (reader.PeekState() == CborReaderState.UnsignedInteger)
        {
            var unsigned = reader.ReadUInt64();
            return unsigned <= long.MaxValue ? (long)unsigned : unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var encoded = reader.ReadCborNegativeIntegerRepresentation(); // the value is -1 - encoded
        return encoded < long.MaxValue ? -1L - (long)encoded : "-" + ((System.Numerics.BigInteger)encoded + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string KeyText(JsonNode? key) => key switch
    {
        null => "null",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => key.ToJsonString(),
    };
}
