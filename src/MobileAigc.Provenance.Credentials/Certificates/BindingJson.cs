using System.Text.Json.Serialization;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>The file form of a <see cref="CertificateBinding"/>: every field a string, every field required.</summary>
internal sealed record BindingJson(
    [property: JsonRequired] string Node,
    [property: JsonRequired] string CertificateHash,
    [property: JsonRequired] string Signature,
    [property: JsonRequired] string Name,
    [property: JsonRequired] string Version,
    [property: JsonRequired] string ChainId,
    [property: JsonRequired] string VerifyingContract);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(BindingJson))]
internal sealed partial class BindingJsonContext : JsonSerializerContext;
