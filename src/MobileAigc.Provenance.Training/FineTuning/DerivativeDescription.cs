using System.Globalization;
using System.Text.RegularExpressions;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// What a derivative's file and manifest say about it besides its weights: its identity, its parent and the settings
/// that made it. The file's <c>metadata_props</c> carry the same entries as the manifest's <c>provenance</c>
/// section under <see cref="MetadataPrefix"/>, so the file's hash commits to them.
/// </summary>
internal static partial class DerivativeDescription
{
    /// <summary>The prefix of the derivative's metadata keys.</summary>
    public const string MetadataPrefix = "mobileaigc.derivative.";

    /// <summary>The producer name a derivative's file carries.</summary>
    public const string Producer = "MobileAigc.Provenance.Training.FineTuning";

    private const int MaxNameLength = 100;

    /// <summary>Checks the identity against the base model.</summary>
    /// <exception cref="FineTuneInputException">When a field is missing or malformed, or the parent is not the base model.</exception>
    public static void Validate(DerivativeIdentity identity, string baseSha256)
    {
        if (identity is null)
        {
            throw new FineTuneInputException("The derivative's identity is missing.");
        }

        Text(identity.Name, "name");
        Text(identity.Owner, "owner");
        Text(identity.FineTunedBy, "fine-tuner");
        if (identity.ParentSha256 is null || !Hash().IsMatch(identity.ParentSha256))
        {
            throw new FineTuneInputException($"The parent's SHA-256 '{identity.ParentSha256}' is not 0x and 64 hex digits.");
        }

        if (!string.Equals(identity.ParentSha256, baseSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new FineTuneInputException($"The identity names parent {identity.ParentSha256}, but the base model's file has SHA-256 {baseSha256}.");
        }

        if (identity.TrainingDataCommitment is null || !Hash().IsMatch(identity.TrainingDataCommitment))
        {
            throw new FineTuneInputException($"The training data commitment '{identity.TrainingDataCommitment}' is not 0x and 64 hex digits.");
        }
    }

    /// <summary>The entries, in a fixed order: the same identity and settings always give the same list.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Entries(DerivativeIdentity identity, FineTuneSettings settings) =>
    [
        KeyValuePair.Create("name", identity.Name),
        KeyValuePair.Create("parentSha256", identity.ParentSha256.ToLowerInvariant()),
        KeyValuePair.Create("trainingDataCommitment", identity.TrainingDataCommitment.ToLowerInvariant()),
        KeyValuePair.Create("owner", identity.Owner),
        KeyValuePair.Create("fineTunedBy", identity.FineTunedBy),
        KeyValuePair.Create("fineTuning", settings.ToString()),
    ];

    /// <summary>The entries as the file's metadata keys.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Metadata(IReadOnlyList<KeyValuePair<string, string>> entries) =>
        [.. entries.Select(e => KeyValuePair.Create(MetadataPrefix + e.Key, e.Value))];

    /// <summary>The doc string of the derivative's file.</summary>
    public static string DocString(DerivativeIdentity identity, ModelManifest parent) =>
        $"{identity.Name}: the character MLP {parent.Name} ({identity.ParentSha256.ToLowerInvariant()}) fine-tuned on a creator's texts " +
        $"(committed to as {identity.TrainingDataCommitment.ToLowerInvariant()}; the texts are not in this file).";

    /// <summary>The derivative's manifest: the parent's signature, tokenizer and defaults, its own name, hash and provenance.</summary>
    public static ModelManifest Manifest(ModelManifest parent, string docString, byte[] onnx, CharMlp model, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        var provenance = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            provenance[key] = value;
        }

        provenance["parentName"] = parent.Name;
        provenance["architecture"] = $"embedding {model.Embedding} x context {model.Context} -> tanh {model.Hidden} -> {model.Vocabulary}";
        provenance["trainingData"] = "not included: only its commitment (trainingDataCommitment)";
        provenance["builder"] = "MobileAigc.Provenance.Training.FineTuning.TextFineTuner";
        return parent with
        {
            Name = entries[0].Value,
            Description = docString,
            File = "model.onnx",
            Sha256 = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(onnx)),
            Provenance = provenance,
        };
    }

    private static void Text(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxNameLength || value.Any(char.IsControl))
        {
            throw new FineTuneInputException(
                $"The derivative's {what} must be 1 to {MaxNameLength.ToString(CultureInfo.InvariantCulture)} characters without control characters; got '{value}'.");
        }
    }

    [GeneratedRegex("^0x[0-9a-fA-F]{64}$")]
    private static partial Regex Hash();
}
