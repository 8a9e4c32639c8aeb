using System.Globalization;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// How <see cref="ImageFineTuner"/> trains. Every field changes the result's bytes; the same settings, example
/// pictures (in the same order) and base model give the same bytes.
/// </summary>
public sealed record FineTuneSettings
{
    /// <summary>The default <see cref="Steps"/> for the image model: 150.</summary>
    public const int DefaultImageSteps = 150;

    /// <summary>The most steps allowed: 10,000.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>The largest batch allowed: 64 latents.</summary>
    public const int MaxBatchSize = 64;

    /// <summary>Picks the held-out pictures, the latents and the pixels sampled. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Gradient steps, 1 to 10,000. Default <see cref="DefaultImageSteps"/> (150): the held-out loss falls by far more than 20 % well inside 30 s on 2 busy cores (docs/benchmarks/fine-tuning-image.md).</summary>
    public int Steps { get; init; } = DefaultImageSteps;

    /// <summary>Latents (pictures of the model) per step, 1 to 64. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Adam's peak step size on the colour head's weights, decayed linearly to a tenth; above 0 and at most 1. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>The share of the example pictures held out to measure the loss, from 0.01 to 0.5; at least one picture is held out and one kept. Default 0.25.</summary>
    public double HeldOutShare { get; init; } = 0.25;

    /// <summary>The settings as one line, written into the derivative's metadata: <c>seed=1;steps=150;batch=8;lr=0.05;heldOut=0.25</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"seed={Seed};steps={Steps};batch={BatchSize};lr={LearningRate:R};heldOut={HeldOutShare:R}");

    /// <summary>Checks every field against its documented range.</summary>
    /// <exception cref="FineTuneInputException">When a field is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Steps is < 1 or > MaxSteps)
        {
            throw new FineTuneInputException($"Steps must be from 1 to {MaxSteps}, not {Steps}.");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new FineTuneInputException($"The batch size must be from 1 to {MaxBatchSize} latents, not {BatchSize}.");
        }

        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            throw new FineTuneInputException($"The learning rate must be above 0 and at most 1, not {LearningRate.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!(HeldOutShare >= 0.01 && HeldOutShare <= 0.5))
        {
            throw new FineTuneInputException($"The held-out share must be from 0.01 to 0.5, not {HeldOutShare.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
