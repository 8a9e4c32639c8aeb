using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// A C2PA hashed URI: a JUMBF URI (<c>self#jumbf=...</c>) and the hash of the superbox it names
/// (over the box's description and content boxes, without its LBox/TBox header).
/// </summary>
/// <param name="Url">The JUMBF URI.</param>
/// <param name="Algorithm">The hash algorithm (<c>sha256</c>, ...), or null to use the claim's.</param>
/// <param name="Hash">The expected hash; empty when the stored value was missing or not bytes.</param>
public sealed record HashedUri(string Url, string? Algorithm, byte[] Hash)
{
    /// <summary>The JUMBF URI scheme prefix.</summary>
    public const string SelfPrefix = "self#jumbf=";

    /// <summary>Reads a hashed URI from the JSON view of its CBOR map; null when it has no <c>url</c>.</summary>
    public static HashedUri? From(JsonNode? node)
    {
        if (node is not JsonObject map || map["url"] is not JsonValue url || !url.TryGetValue<string>(out var text))
        {
            return null;
        }

        return new HashedUri(text, JsonText.String(map["alg"]), JsonText.Bytes(map["hash"]));
    }

    /// <summary>The last path segment of <see cref="Url"/> (the label of the box it names).</summary>
    public string LastLabel => Url.TrimEnd('/').Split('/')[^1].Replace(SelfPrefix, "", StringComparison.Ordinal);
}
