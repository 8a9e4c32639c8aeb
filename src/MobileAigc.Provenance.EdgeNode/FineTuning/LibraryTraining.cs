using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// What the node's text and image trainers share around the training library: the identity written into every
/// derivative (its name, parent, training-data commitment, owner and this node), and a library run turned into what the
/// node keeps, the library's refusal of unusable examples becoming <see cref="TrainingDataException"/>.
/// </summary>
internal static class LibraryTraining
{
    /// <summary>The owner written into a derivative made for nobody in particular: <c>none</c>.</summary>
    public const string NoOwner = "none";

    /// <summary>The identity written into <paramref name="input"/>'s derivative (<see cref="NoOwner"/> when it has no owner).</summary>
    public static DerivativeIdentity IdentityOf(DerivativeTrainingInput input) => new(
        input.Name, input.Parent.ToString(), input.TrainingDataCommitment.ToString(), input.Owner?.ToString() ?? NoOwner, input.FineTunedBy.ToString());

    /// <summary>Runs <paramref name="run"/> with the library's progress passed on to <paramref name="progress"/>.</summary>
    /// <exception cref="TrainingDataException">When the library refuses the examples or the settings.</exception>
    public static TrainedDerivative Run(IProgress<(int Step, int Steps)> progress, Func<IProgress<FineTuneProgress>, FineTuneOutcome> run)
    {
        try
        {
            var outcome = run(new StepProgress(progress));
            return new TrainedDerivative(outcome.Onnx, outcome.Manifest.ToJson(), outcome.HeldOutLossBefore, outcome.HeldOutLossAfter, outcome.Steps);
        }
        catch (FineTuneInputException e)
        {
            throw new TrainingDataException(e.Message, e);
        }
    }

    /// <summary>Passes the library's steps on, synchronously: the worker keeps the latest step for reads.</summary>
    private sealed class StepProgress(IProgress<(int Step, int Steps)> inner) : IProgress<FineTuneProgress>
    {
        public void Report(FineTuneProgress value) => inner.Report((value.Step, value.Steps));
    }
}
