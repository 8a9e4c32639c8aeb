using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>Tolerant reads of values from the JSON view of CBOR (byte strings there are base64).</summary>
internal static class JsonText
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static byte[] Bytes(JsonNode? node)
    {
        var text = String(node);
        if (text is null)
        {
            return [];
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : [];
    }
}
