using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Image;

namespace MobileAigc.Provenance.Training.Tests.ImageFineTuning;

/// <summary>One fine-tuning of the shipped image model on <see cref="SepiaExamples"/> at default settings, shared by a test class.</summary>
public sealed class SepiaFineTuning
{
    private readonly Lazy<FineTuneOutcome> _outcome = new(() =>
        ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, ImageFineTuner.DefaultSettings, Identity(), null, CancellationToken.None));

    /// <summary>The outcome at default settings.</summary>
    public FineTuneOutcome Outcome => _outcome.Value;

    /// <summary>An identity naming the shipped model as parent.</summary>
    public static DerivativeIdentity Identity(string name = "cppn-image-sepia", string? parent = null) =>
        new(name, parent ?? SepiaExamples.BaseSha256, "0x" + new string('c', 64), "0x" + new string('a', 40), "0x" + new string('b', 40));

    /// <summary>Writes <paramref name="outcome"/> as a model folder (ONNX file and manifest) under <paramref name="parent"/>.</summary>
    public static string WriteFolder(FineTuneOutcome outcome, string parent)
    {
        var folder = Path.Combine(parent, outcome.Manifest.Name);
        outcome.WriteTo(folder);
        return folder;
    }
}
