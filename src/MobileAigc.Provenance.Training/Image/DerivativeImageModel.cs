using System.Globalization;
using Google.Protobuf;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Training.FineTuning;
using Onnx;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Writes a fine-tuned image model: the base graph with the new colour head, the derivative's identity in
/// its <c>metadata_props</c> (so the file's SHA-256 commits to it), and a manifest pinning that hash.
/// </summary>
internal static class DerivativeImageModel
{
    /// <summary>The bytes and manifest of the derivative of <paramref name="baseModel"/> (not modified) with <paramref name="parameters"/> as its head.</summary>
    public static (byte[] Onnx, ModelManifest Manifest) Write(
        ModelProto baseModel, ModelManifest baseManifest, CppnColourHead head, double[] parameters,
        DerivativeIdentity identity, FineTuneSettings settings, double heldOutBefore, double heldOutAfter)
    {
        var model = baseModel.Clone();
        head.WriteInto(model, parameters);
        // The same entries as the text fine-tuner's, in the same order, then how the head was fitted.
        IReadOnlyList<KeyValuePair<string, string>> metadata = [.. DerivativeDescription.Entries(identity, settings), KeyValuePair.Create("method", Method)];
        foreach (var (key, value) in metadata)
        {
            var full = DerivativeDescription.MetadataPrefix + key;
            var existing = model.MetadataProps.Where(p => p.Key == full).ToList();
            existing.ForEach(p => model.MetadataProps.Remove(p));
            model.MetadataProps.Add(new StringStringEntryProto { Key = full, Value = value });
        }

        model.DocString = $"{identity.Name}: the image model {baseManifest.Name} ({identity.ParentSha256.ToLowerInvariant()}) with its colour head fine-tuned on a creator's pictures " +
            $"(committed to as {identity.TrainingDataCommitment.ToLowerInvariant()}; the pictures are not in this file).";
        var bytes = model.ToByteArray();
        var manifest = baseManifest with
        {
            Name = identity.Name,
            Description = $"{identity.Name}: fine-tuned from {baseManifest.Name} ({identity.ParentSha256.ToLowerInvariant()}); {Method}.",
            Sha256 = Bytes32.Sha256(bytes).ToString(),
            Provenance = Provenance(metadata, baseManifest, heldOutBefore, heldOutAfter),
        };
        return (bytes, manifest);
    }

    private static Dictionary<string, string> Provenance(IReadOnlyList<KeyValuePair<string, string>> metadata, ModelManifest baseManifest, double heldOutBefore, double heldOutAfter)
    {
        var provenance = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            provenance[key] = value;
        }

        provenance["parentName"] = baseManifest.Name;
        provenance["heldOutLossBefore"] = heldOutBefore.ToString("R", CultureInfo.InvariantCulture);
        provenance["heldOutLossAfter"] = heldOutAfter.ToString("R", CultureInfo.InvariantCulture);
        provenance["trainingData"] = "not included: only its commitment (trainingDataCommitment)";
        provenance["builder"] = "MobileAigc.Provenance.Training.Image.ImageFineTuner";
        return provenance;
    }

    private const string Method = "colour head (rgb.weight, rgb.mix1, rgb.latent, rgb.bias) fitted by Adam to the examples' colours (sliced Wasserstein-2 over 32 RGB directions); pattern layers unchanged";
}
