using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>What a fine-tuning run produced.</summary>
/// <param name="Onnx">The derivative's ONNX file; its SHA-256 (<see cref="ModelManifest.Sha256"/>) is its identity and commits to the <see cref="DerivativeIdentity"/>.</param>
/// <param name="Manifest">The derivative's manifest, to write as <c>manifest.json</c> beside the file (named <c>model.onnx</c>).</param>
/// <param name="HeldOutLossBefore">The base model's loss on the held-out examples: for text the mean cross-entropy in nats per character; for pictures the sliced Wasserstein-2 distance of colours (0..1 scale).</param>
/// <param name="HeldOutLossAfter">The derivative's loss on the same held-out examples, in the same unit.</param>
/// <param name="Steps">The optimiser steps taken.</param>
/// <param name="Elapsed">Wall-clock time of the whole run (not part of any output).</param>
public sealed record FineTuneOutcome(byte[] Onnx, ModelManifest Manifest, double HeldOutLossBefore, double HeldOutLossAfter, int Steps, TimeSpan Elapsed)
{
    /// <summary>The relative fall of the held-out loss: 0.25 means the derivative's loss is a quarter below the base model's.</summary>
    public double HeldOutLossDrop => (HeldOutLossBefore - HeldOutLossAfter) / HeldOutLossBefore;

    /// <summary>Writes <c>model.onnx</c> and <c>manifest.json</c> into <paramref name="directory"/> (created if missing), the layout <c>OnnxModel.LoadDirectory</c> reads.</summary>
    public void WriteTo(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, Manifest.File), Onnx);
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), Manifest.ToJson());
    }
}
