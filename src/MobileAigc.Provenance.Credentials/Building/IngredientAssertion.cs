using System.Formats.Cbor;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes <c>c2pa.ingredient.v3</c> for the parent of a derivation: title, format, <c>parentOf</c>,
/// and, when the parent had credentials, hashed URIs to its active manifest and claim signature
/// (copied into our store) with the validation results it was taken with.
/// </summary>
internal static class IngredientAssertion
{
    public static byte[] Encode(ParentIngredient parent, JumbfSuperBox? activeManifest)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartMap(activeManifest is null ? 3 : 6);
        writer.WriteTextString("dc:title");
        writer.WriteTextString(parent.Title);
        writer.WriteTextString("dc:format");
        writer.WriteTextString(parent.MediaType);
        writer.WriteTextString("relationship");
        writer.WriteTextString("parentOf");
        if (activeManifest is not null)
        {
            var url = $"self#jumbf=/{AssertionLabels.ManifestStore}/{activeManifest.Label}";
            var signature = activeManifest.FindChild(AssertionLabels.Signature)
                ?? throw new ArgumentException($"The parent's active manifest {activeManifest.Label} has no claim signature.");
            writer.WriteTextString("activeManifest");
            HashedUriEntry.Of(url, activeManifest).WriteTo(writer);
            writer.WriteTextString("claimSignature");
            HashedUriEntry.Of($"{url}/{AssertionLabels.Signature}", signature).WriteTo(writer);
            writer.WriteTextString("validationResults");
            WriteValidationResults(writer, parent.ValidationResults!, url);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    private static void WriteValidationResults(CborWriter writer, IngredientValidationResults results, string manifestUrl)
    {
        writer.WriteStartMap(1);
        writer.WriteTextString("activeManifest");
        writer.WriteStartMap(3);
        WriteStatuses(writer, "success", results.Success, manifestUrl);
        WriteStatuses(writer, "informational", results.Informational, manifestUrl);
        WriteStatuses(writer, "failure", results.Failure, manifestUrl);
        writer.WriteEndMap();
        writer.WriteEndMap();
    }

    private static void WriteStatuses(CborWriter writer, string kind, IReadOnlyList<ValidationStatusEntry> statuses, string manifestUrl)
    {
        writer.WriteTextString(kind);
        writer.WriteStartArray(statuses.Count);
        foreach (var status in statuses)
        {
            writer.WriteStartMap(2);
            writer.WriteTextString("code");
            writer.WriteTextString(status.Code);
            writer.WriteTextString("url");
            writer.WriteTextString(status.Url ?? manifestUrl);
            writer.WriteEndMap();
        }

        writer.WriteEndArray();
    }
}
