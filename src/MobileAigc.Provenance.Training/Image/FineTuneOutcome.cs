using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>The result of a fine-tuning run: the derivative's bytes and manifest, and how it went.</summary>
/// <param name="Onnx">The derivative's <c>model.onnx</c> bytes.</param>
/// <param name="Manifest">Its manifest, pinning the SHA-256 of <paramref name="Onnx"/>.</param>
/// <param name="HeldOutLossBefore">The held-out loss of the base model.</param>
/// <param name="HeldOutLossAfter">The held-out loss of the derivative.</param>
/// <param name="Steps">The gradient steps taken.</param>
/// <param name="Elapsed">The run's wall time.</param>
public sealed record FineTuneOutcome(byte[] Onnx, ModelManifest Manifest, double HeldOutLossBefore, double HeldOutLossAfter, int Steps, TimeSpan Elapsed);
