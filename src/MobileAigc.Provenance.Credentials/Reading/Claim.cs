using System.Formats.Cbor;
using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// A manifest's claim (<c>c2pa.claim</c> v1 or <c>c2pa.claim.v2</c>): what the signer asserts, with the
/// hashed URIs of its assertions. <see cref="Bytes"/> are the CBOR exactly as stored, the detached
/// payload of the claim signature.
/// </summary>
public sealed class Claim
{
    private Claim(string label, ReadOnlyMemory<byte> bytes, JsonObject? content, string? error)
    {
        Label = label;
        Bytes = bytes;
        Content = content;
        Error = error;
        Version = label.EndsWith(".v2", StringComparison.Ordinal) ? 2 : 1;
        if (content is null)
        {
            return;
        }

        ClaimGenerator = JsonText.String(content["claim_generator"]);
        ClaimGeneratorInfo = content["claim_generator_info"]?.DeepClone();
        SignatureUrl = JsonText.String(content["signature"]);
        Format = JsonText.String(content["dc:format"]);
        InstanceId = JsonText.String(content["instanceID"]);
        Title = JsonText.String(content["dc:title"]);
        Algorithm = JsonText.String(content["alg"]);
        CreatedAssertions = HashedUris(content[Version == 2 ? "created_assertions" : "assertions"]);
        GatheredAssertions = HashedUris(content["gathered_assertions"]);
        RedactedAssertions = content["redacted_assertions"] is JsonArray redacted
            ? [.. redacted.Select(RedactedUri).OfType<string>()]
            : [];
    }

    /// <summary>The claim box's label.</summary>
    public string Label { get; }

    /// <summary>1 for <c>c2pa.claim</c>, 2 for <c>c2pa.claim.v2</c>.</summary>
    public int Version { get; }

    /// <summary>The claim's CBOR as stored.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The decoded claim, or null when its CBOR is invalid (see <see cref="Error"/>).</summary>
    public JsonObject? Content { get; }

    /// <summary>Why the claim could not be decoded, or null.</summary>
    public string? Error { get; }

    /// <summary>The v1 <c>claim_generator</c> string, or null.</summary>
    public string? ClaimGenerator { get; }

    /// <summary>The <c>claim_generator_info</c> (a map in v2, a list of maps in v1), or null.</summary>
    public JsonNode? ClaimGeneratorInfo { get; }

    /// <summary>The JUMBF URI of the claim signature, or null.</summary>
    public string? SignatureUrl { get; }

    /// <summary>The v1 <c>dc:format</c>, or null.</summary>
    public string? Format { get; }

    /// <summary>The <c>instanceID</c>, or null.</summary>
    public string? InstanceId { get; }

    /// <summary>The <c>dc:title</c>, or null.</summary>
    public string? Title { get; }

    /// <summary>The default hash algorithm of the claim's hashed URIs, or null (SHA-256).</summary>
    public string? Algorithm { get; }

    /// <summary>The v1 <c>assertions</c> or the v2 <c>created_assertions</c>.</summary>
    public IReadOnlyList<HashedUri> CreatedAssertions { get; } = [];

    /// <summary>The URIs of <c>redacted_assertions</c>: assertions of ingredient manifests this claim removed (empty when none).</summary>
    public IReadOnlyList<string> RedactedAssertions { get; } = [];

    /// <summary>The v2 <c>gathered_assertions</c> (empty in v1).</summary>
    public IReadOnlyList<HashedUri> GatheredAssertions { get; } = [];

    /// <summary>Every assertion the claim lists.</summary>
    public IEnumerable<HashedUri> Assertions => CreatedAssertions.Concat(GatheredAssertions);

    /// <summary>Decodes the claim stored under <paramref name="label"/>; invalid CBOR gives a claim with <see cref="Error"/>.</summary>
    public static Claim Read(string label, ReadOnlyMemory<byte> bytes)
    {
        try
        {
            return CborJson.Decode(bytes) is JsonObject content
                ? new Claim(label, bytes, content, null)
                : new Claim(label, bytes, null, "the claim is not a CBOR map");
        }
        catch (CborContentException e)
        {
            return new Claim(label, bytes, null, e.Message);
        }
    }

    /// <summary>A JUMBF URI string, or the <c>url</c> of a hashed URI some writers put there instead.</summary>
    private static string? RedactedUri(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var uri) => uri,
        JsonObject map when map["url"] is JsonValue url && url.TryGetValue<string>(out var uri) => uri,
        _ => null,
    };

    private static List<HashedUri> HashedUris(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(HashedUri.From).OfType<HashedUri>()] : [];
}
