using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>What one fine-tune trains: the base model, the creator's examples and who the derivative is.</summary>
/// <param name="BaseModelDirectory">The base model's folder (manifest and ONNX file).</param>
/// <param name="Examples">The creator's texts (empty for an image model).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Steps">The training steps; null for the training library's default.</param>
/// <param name="Name">The derivative's name.</param>
/// <param name="Parent">The base model's hash.</param>
/// <param name="TrainingDataCommitment">The salted commitment to <paramref name="Examples"/>, written into the derivative.</param>
/// <param name="Owner">Who owns the derivative; null when nobody is named.</param>
/// <param name="FineTunedBy">The node that trains it.</param>
/// <param name="Pictures">The creator's pictures (PNG, JPEG or WebP files) for an image model; null for a text model, which learns from <paramref name="Examples"/>.</param>
public sealed record DerivativeTrainingInput(
    string BaseModelDirectory, IReadOnlyList<string> Examples, ulong Seed, int? Steps, string Name, Bytes32 Parent,
    Bytes32 TrainingDataCommitment, EvmAddress? Owner, EvmAddress FineTunedBy, IReadOnlyList<byte[]>? Pictures = null);

/// <summary>What a fine-tune produced.</summary>
/// <param name="Onnx">The derivative's ONNX file.</param>
/// <param name="ManifestJson">Its <c>manifest.json</c>.</param>
/// <param name="HeldOutLossBefore">The base model's loss on the held-out examples (nats per character; for an image model the colour distance).</param>
/// <param name="HeldOutLossAfter">The derivative's loss on them.</param>
/// <param name="Steps">The steps trained.</param>
public sealed record TrainedDerivative(byte[] Onnx, string ManifestJson, double HeldOutLossBefore, double HeldOutLossAfter, int Steps);

/// <summary>
/// Trains a derivative: deterministic (the same input gives the same bytes), reports steps through the progress, checks
/// the token between steps. The seam between the job queue and the training library (the node's is
/// <see cref="DerivativeTrainers.ByKind"/> over <see cref="TextDerivativeTrainer"/> and <see cref="ImageDerivativeTrainer"/>);
/// tests may pass their own.
/// </summary>
/// <exception cref="TrainingDataException">When the examples cannot be trained on (the message says why).</exception>
/// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
public delegate TrainedDerivative DerivativeTrainer(DerivativeTrainingInput input, IProgress<(int Step, int Steps)> progress, CancellationToken cancellationToken);

/// <summary>The creator's examples cannot be trained on (no known character, too little text to hold any out, ...).</summary>
public sealed class TrainingDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDataException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrainingDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TrainingDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
