namespace MobileAigc.Provenance.Training.Text;

/// <summary>The settings of a training run; each changes the model's bytes.</summary>
public sealed record CharMlpTrainingOptions
{
    /// <summary>Context tokens. Default 12. Ignored when training continues from given weights (the model fixes it).</summary>
    public int Context { get; init; } = 12;

    /// <summary>Embedding width. Default 16. Ignored when training continues from given weights.</summary>
    public int Embedding { get; init; } = 16;

    /// <summary>Hidden width. Default 256. Ignored when training continues from given weights.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>Examples per step. Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Optimiser steps. Default 24,000 (about 2.3 passes over the corpus).</summary>
    public int Steps { get; init; } = 24_000;

    /// <summary>Adam's peak learning rate, decayed linearly to a tenth. Default 0.003.</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>The chance that an example's context is cut short (left-padded), so the model can start from few tokens. Default 0.1.</summary>
    public double TruncationRate { get; init; } = 0.1;

    /// <summary>The share of the corpus held out (its end) for the validation loss. Default 0.05.</summary>
    public double ValidationShare { get; init; } = 0.05;

    /// <summary>The seed of initial weights and example order. Default 20240601.</summary>
    public ulong Seed { get; init; } = 20240601;
}

/// <summary>What a training run produced.</summary>
/// <param name="Model">The trained weights.</param>
/// <param name="TrainLoss">Mean cross-entropy (nats per character) over the last 1,000 steps.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the held-out end of the corpus.</param>
/// <param name="Elapsed">Wall-clock training time (not part of any output file).</param>
public sealed record CharMlpTrainingResult(CharMlp Model, double TrainLoss, double ValidationLoss, TimeSpan Elapsed);

/// <summary>One finished optimiser step, as reported to a training run's observer.</summary>
/// <param name="Step">The step just taken, 1-based.</param>
/// <param name="Steps">The run's number of steps.</param>
/// <param name="Loss">The batch's mean cross-entropy (nats per character) before the step's update.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
public readonly record struct CharMlpTrainingStep(int Step, int Steps, double Loss, double LearningRate);
