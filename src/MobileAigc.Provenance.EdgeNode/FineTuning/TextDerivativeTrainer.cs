using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The node's <see cref="DerivativeTrainer"/>: the training library's <see cref="TextFineTuner"/> on the base model's folder,
/// with the library's default settings but the job's seed (and <see cref="FineTuningOptions.Steps"/> when set), the identity
/// written into the derivative's manifest and ONNX metadata (its name, parent, training-data commitment, owner and this
/// node), and the library's refusal of unusable examples as <see cref="TrainingDataException"/>.
/// </summary>
public static class TextDerivativeTrainer
{
    /// <summary>The owner written into a derivative made for nobody in particular: <c>none</c>.</summary>
    public const string NoOwner = "none";

    /// <summary>Trains as <see cref="DerivativeTrainer"/> describes.</summary>
    /// <exception cref="TrainingDataException">When the library refuses the examples.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static TrainedDerivative Train(DerivativeTrainingInput input, IProgress<(int Step, int Steps)> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(progress);
        var defaults = new FineTuneSettings();
        var settings = defaults with { Seed = input.Seed, Steps = input.Steps ?? defaults.Steps };
        try
        {
            var outcome = TextFineTuner.Run(input.BaseModelDirectory, input.Examples, settings, IdentityOf(input),
                new StepProgress(progress), cancellationToken);
            return new TrainedDerivative(outcome.Onnx, outcome.Manifest.ToJson(), outcome.HeldOutLossBefore, outcome.HeldOutLossAfter, outcome.Steps);
        }
        catch (FineTuneInputException e)
        {
            throw new TrainingDataException(e.Message, e);
        }
    }

    /// <summary>
    /// The identity written into <paramref name="input"/>'s derivative: its name, parent, training-data commitment, owner
    /// (<see cref="NoOwner"/> when none) and the node.
    /// </summary>
    public static DerivativeIdentity IdentityOf(DerivativeTrainingInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new DerivativeIdentity(
            input.Name, input.Parent.ToString(), input.TrainingDataCommitment.ToString(), input.Owner?.ToString() ?? NoOwner, input.FineTunedBy.ToString());
    }
}
