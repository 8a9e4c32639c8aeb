using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The node's <see cref="DerivativeTrainer"/> for text models: the training library's <see cref="TextFineTuner"/> on the base
/// model's folder, with the library's default settings but the job's seed (and <see cref="FineTuningOptions.Steps"/> when
/// set), the identity of <see cref="LibraryTraining.IdentityOf"/>, and the library's refusal of unusable examples as
/// <see cref="TrainingDataException"/>.
/// </summary>
public static class TextDerivativeTrainer
{
    /// <summary>Trains as <see cref="DerivativeTrainer"/> describes.</summary>
    /// <exception cref="TrainingDataException">When the library refuses the examples.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static TrainedDerivative Train(DerivativeTrainingInput input, IProgress<(int Step, int Steps)> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(progress);
        var defaults = new FineTuneSettings();
        var settings = defaults with { Seed = input.Seed, Steps = input.Steps ?? defaults.Steps };
        return LibraryTraining.Run(progress, steps =>
            TextFineTuner.Run(input.BaseModelDirectory, input.Examples, settings, LibraryTraining.IdentityOf(input), steps, cancellationToken));
    }
}
