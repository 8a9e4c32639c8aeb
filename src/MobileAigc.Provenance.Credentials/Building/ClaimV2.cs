using System.Formats.Cbor;
using System.Reflection;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes the <c>c2pa.claim.v2</c> map: the instance ID, the claim generator, the signature's URI,
/// the algorithm of every hashed URI, and the created assertions.
/// </summary>
internal static class ClaimV2
{
    /// <summary>The claim generator's name.</summary>
    public const string GeneratorName = "MobileAigc.Provenance";

    /// <summary>This library's version, as the claim generator's version.</summary>
    public static string GeneratorVersion { get; } =
        typeof(ClaimV2).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ClaimV2).Assembly.GetName().Version?.ToString()
        ?? "0";

    public static byte[] Encode(string instanceId, IReadOnlyList<HashedUriEntry> createdAssertions)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartMap(5);
        writer.WriteTextString("instanceID");
        writer.WriteTextString(instanceId);
        writer.WriteTextString("claim_generator_info");
        WriteGeneratorInfo(writer, GeneratorVersion);
        writer.WriteTextString("signature");
        writer.WriteTextString($"self#jumbf={AssertionLabels.Signature}");
        writer.WriteTextString("alg");
        writer.WriteTextString("sha256");
        writer.WriteTextString("created_assertions");
        writer.WriteStartArray(createdAssertions.Count);
        foreach (var assertion in createdAssertions)
        {
            assertion.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>Writes the <c>generator-info-map</c> of this library.</summary>
    public static void WriteGeneratorInfo(CborWriter writer, string version)
    {
        writer.WriteStartMap(2);
        writer.WriteTextString("name");
        writer.WriteTextString(GeneratorName);
        writer.WriteTextString("version");
        writer.WriteTextString(version);
        writer.WriteEndMap();
    }
}
