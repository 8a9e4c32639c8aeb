using MobileAigc.Provenance.Training.Image;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The node's <see cref="DerivativeTrainer"/> for image models: the training library's <see cref="ImageFineTuner"/> on the
/// base model's folder and the job's pictures, with <see cref="ImageFineTuner.DefaultSettings"/> but the job's seed (and
/// <see cref="FineTuningOptions.Steps"/> when set), the identity of <see cref="LibraryTraining.IdentityOf"/>, and the
/// library's refusal of unusable pictures as <see cref="TrainingDataException"/>.
/// </summary>
public static class ImageDerivativeTrainer
{
    /// <summary>Trains as <see cref="DerivativeTrainer"/> describes.</summary>
    /// <exception cref="ArgumentException">When <paramref name="input"/> carries no pictures.</exception>
    /// <exception cref="TrainingDataException">When the library refuses the pictures or the settings.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static TrainedDerivative Train(DerivativeTrainingInput input, IProgress<(int Step, int Steps)> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(progress);
        var pictures = input.Pictures ?? throw new ArgumentException("An image model's fine-tune needs pictures.", nameof(input));
        var defaults = ImageFineTuner.DefaultSettings;
        var settings = defaults with { Seed = input.Seed, Steps = input.Steps ?? defaults.Steps };
        return LibraryTraining.Run(progress, steps =>
            ImageFineTuner.Run(input.BaseModelDirectory, pictures, settings, LibraryTraining.IdentityOf(input), steps, cancellationToken));
    }
}
