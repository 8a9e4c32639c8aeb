using System.Globalization;
using Google.Protobuf;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using Onnx;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Writes a fine-tuned image model: the base graph with the new colour head, the derivative's identity in
/// its <c>metadata_props</c> (so the file's SHA-256 commits to it), and a manifest pinning that hash.
/// </summary>
internal static class DerivativeImageModel
{
    /// <summary>The prefix of the metadata keys that name a derivative.</summary>
    public const string MetadataPrefix = "mobileaigc.derivative.";

    /// <summary>The bytes and manifest of the derivative of <paramref name="baseModel"/> (not modified) with <paramref name="parameters"/> as its head.</summary>
    public static (byte[] Onnx, ModelManifest Manifest) Write(
        ModelProto baseModel, ModelManifest baseManifest, CppnColourHead head, double[] parameters,
        DerivativeIdentity identity, FineTuneSettings settings, double heldOutBefore, double heldOutAfter)
    {
        var model = baseModel.Clone();
        head.WriteInto(model, parameters);
        (string Key, string Value)[] metadata =
        [
            ("name", identity.Name),
            ("parent_sha256", identity.ParentSha256.ToLowerInvariant()),
            ("training_data_commitment", identity.TrainingDataCommitment),
            ("owner", identity.Owner),
            ("fine_tuned_by", identity.FineTunedBy),
            ("method", Method),
        ];
        foreach (var (key, value) in metadata)
        {
            var full = MetadataPrefix + key;
            var existing = model.MetadataProps.Where(p => p.Key == full).ToList();
            existing.ForEach(p => model.MetadataProps.Remove(p));
            model.MetadataProps.Add(new StringStringEntryProto { Key = full, Value = value });
        }

        model.DocString = $"{identity.Name}: the image model {identity.ParentSha256.ToLowerInvariant()} with its colour head fine-tuned on a creator's pictures.";
        var bytes = model.ToByteArray();
        var manifest = baseManifest with
        {
            Name = identity.Name,
            Description = $"{identity.Name}: fine-tuned from {baseManifest.Name} ({identity.ParentSha256.ToLowerInvariant()}); {Method}.",
            Sha256 = Bytes32.Sha256(bytes).ToString(),
            Provenance = new Dictionary<string, string>
            {
                ["parentSha256"] = identity.ParentSha256.ToLowerInvariant(),
                ["parentName"] = baseManifest.Name,
                ["trainingDataCommitment"] = identity.TrainingDataCommitment,
                ["owner"] = identity.Owner,
                ["fineTunedBy"] = identity.FineTunedBy,
                ["fineTuning"] = Method,
                ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
                ["steps"] = settings.Steps.ToString(CultureInfo.InvariantCulture),
                ["batchSize"] = settings.BatchSize.ToString(CultureInfo.InvariantCulture),
                ["learningRate"] = settings.LearningRate.ToString("R", CultureInfo.InvariantCulture),
                ["heldOutShare"] = settings.HeldOutShare.ToString("R", CultureInfo.InvariantCulture),
                ["heldOutLossBefore"] = heldOutBefore.ToString("R", CultureInfo.InvariantCulture),
                ["heldOutLossAfter"] = heldOutAfter.ToString("R", CultureInfo.InvariantCulture),
            },
        };
        return (bytes, manifest);
    }

    private const string Method = "colour head (rgb.weight, rgb.mix1, rgb.latent, rgb.bias) fitted by Adam to the examples' colours (sliced Wasserstein-2 over 32 RGB directions); pattern layers unchanged";
}
