using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>The result of a fine-tuning run: the derivative's bytes and manifest, and how it went.</summary>
/// <param name="Onnx">The derivative's <c>model.onnx</c> bytes; their SHA-256 (<see cref="ModelManifest.Sha256"/>) is its identity and commits to the <see cref="DerivativeIdentity"/>.</param>
/// <param name="Manifest">Its manifest, to write as <c>manifest.json</c> beside the file.</param>
/// <param name="HeldOutLossBefore">The base model's held-out loss (sliced Wasserstein-2 of colours, 0..1 scale).</param>
/// <param name="HeldOutLossAfter">The derivative's held-out loss on the same latents and pictures.</param>
/// <param name="Steps">The gradient steps taken.</param>
/// <param name="Elapsed">The run's wall time (not part of any output).</param>
public sealed record FineTuneOutcome(byte[] Onnx, ModelManifest Manifest, double HeldOutLossBefore, double HeldOutLossAfter, int Steps, TimeSpan Elapsed)
{
    /// <summary>The relative fall of the held-out loss: 0.25 means the derivative's loss is a quarter below the base model's.</summary>
    public double HeldOutLossDrop => (HeldOutLossBefore - HeldOutLossAfter) / HeldOutLossBefore;

    /// <summary>Writes the ONNX file and <c>manifest.json</c> into <paramref name="directory"/> (created if missing), the layout <c>OnnxModel.LoadDirectory</c> reads.</summary>
    public void WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, Manifest.File), Onnx);
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), Manifest.ToJson());
    }
}
