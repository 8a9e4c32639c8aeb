using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Checks the hard binding: a <c>c2pa.hash.data</c> assertion's hash over the file with its exclusions
/// (the manifest store's bytes) left out.
/// </summary>
internal static class DataHashValidator
{
    public const string Label = "c2pa.hash.data";

    public static void Validate(Manifest manifest, ReadOnlySpan<byte> file, Func<string, string> urlOf, ManifestValidationResult result)
    {
        var listed = manifest.Claim!.Assertions.Where(uri => BaseLabel(uri.LastLabel) == Label).ToList();
        if (listed.Count == 0)
        {
            if (!manifest.IsUpdateManifest)
            {
                result.AddFailure(ValidationStatusCodes.ClaimHardBindingsMissing, urlOf("c2pa.claim"), "the claim lists no c2pa.hash.data assertion");
            }

            return;
        }

        if (listed.Count > 1)
        {
            result.AddFailure(ValidationStatusCodes.AssertionMultipleHardBindings, urlOf("c2pa.assertions"), $"the claim lists {listed.Count} hard bindings");
        }

        foreach (var uri in listed)
        {
            var url = urlOf("c2pa.assertions/" + uri.LastLabel);
            var assertion = manifest.FindAssertion(uri.LastLabel);
            if (assertion?.Content is not JsonObject content)
            {
                continue; // missing or undecodable: reported by the hashed-URI and content checks
            }

            var outcome = Check(content, manifest.Claim.Algorithm, file);
            if (outcome is null)
            {
                result.AddSuccess(ValidationStatusCodes.AssertionDataHashMatch, url);
            }
            else
            {
                result.AddFailure(outcome.Value.Code, url, outcome.Value.Explanation);
            }
        }
    }

    private static (string Code, string Explanation)? Check(JsonObject content, string? claimAlgorithm, ReadOnlySpan<byte> file)
    {
        var algorithm = JsonText.String(content["alg"]) ?? claimAlgorithm;
        using var hash = HashAlgorithms.Create(algorithm);
        if (hash is null)
        {
            return (ValidationStatusCodes.AlgorithmUnsupported, $"hash algorithm '{algorithm}' is not supported");
        }

        var expected = JsonText.Bytes(content["hash"]);
        if (expected.Length == 0)
        {
            return (ValidationStatusCodes.AssertionDataHashMalformed, "the data hash has no hash");
        }

        var exclusions = Exclusions(content["exclusions"], file.Length);
        if (exclusions is null)
        {
            return (ValidationStatusCodes.AssertionDataHashMalformed, "the exclusions are malformed, overlap or lie outside the file");
        }

        var position = 0;
        foreach (var (start, length) in exclusions)
        {
            hash.AppendData(file[position..start]);
            position = start + length;
        }

        hash.AppendData(file[position..]);
        return CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), expected)
            ? null
            : (ValidationStatusCodes.AssertionDataHashMismatch, "the asset's hash does not match the c2pa.hash.data assertion");
    }

    private static List<(int Start, int Length)>? Exclusions(JsonNode? node, int fileLength)
    {
        var ranges = new List<(int Start, int Length)>();
        if (node is null)
        {
            return ranges;
        }

        if (node is not JsonArray array || array.Count > 1000)
        {
            return null;
        }

        foreach (var item in array)
        {
            if (item is not JsonObject range || !TryLong(range["start"], out var start) || !TryLong(range["length"], out var length)
                || start < 0 || length < 0 || start > fileLength || length > fileLength - start)
            {
                return null;
            }

            ranges.Add(((int)start, (int)length));
        }

        ranges.Sort((a, b) => a.Start.CompareTo(b.Start));
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start < ranges[i - 1].Start + ranges[i - 1].Length)
            {
                return null;
            }
        }

        return ranges;
    }

    private static bool TryLong(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue json && json.TryGetValue(out value);
    }

    private static string BaseLabel(string label) => label.Split("__")[0];
}
