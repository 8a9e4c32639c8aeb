using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>What a fine-tuning run produced.</summary>
/// <param name="Onnx">The derivative's ONNX file; its SHA-256 (<see cref="ModelManifest.Sha256"/>) is its identity and commits to the <see cref="DerivativeIdentity"/>.</param>
/// <param name="Manifest">The derivative's manifest, to write as <c>manifest.json</c> beside the file (named <c>model.onnx</c>).</param>
/// <param name="HeldOutLossBefore">The base model's mean cross-entropy on the held-out text, in nats per character.</param>
/// <param name="HeldOutLossAfter">The derivative's mean cross-entropy on the same text, in nats per character.</param>
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
