using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>Picks the trainer by the kind of data a job carries, which its base model's kind decided when it was accepted.</summary>
public static class DerivativeTrainers
{
    /// <summary>
    /// A trainer that hands a job with pictures (an image model's) to <paramref name="image"/> and every other to
    /// <paramref name="text"/>.
    /// </summary>
    public static DerivativeTrainer ByKind(DerivativeTrainer text, DerivativeTrainer image)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(image);
        return (input, progress, cancellationToken) => input.Pictures is null
            ? text(input, progress, cancellationToken)
            : image(input, progress, cancellationToken);
    }

    /// <summary>The node's trainers: <see cref="TextDerivativeTrainer"/> and <see cref="ImageDerivativeTrainer"/>.</summary>
    public static DerivativeTrainer Node { get; } = ByKind(TextDerivativeTrainer.Train, ImageDerivativeTrainer.Train);

    /// <summary>True when a model of <paramref name="kind"/> learns from pictures rather than texts.</summary>
    public static bool LearnsFromPictures(ModelKind kind) => kind == ModelKind.Image;
}
