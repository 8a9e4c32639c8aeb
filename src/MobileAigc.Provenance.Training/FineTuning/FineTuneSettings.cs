using System.Globalization;

namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// How a fine-tuner trains. Every field changes the result's bytes; the same settings, examples and base model always
/// give the same bytes (on this project's kind of machine: see docs/models.md). The defaults are the text model's
/// (<see cref="TextFineTuner"/>); <see cref="Image.ImageFineTuner.DefaultSettings"/> has the image model's, and each
/// fine-tuner checks its own narrower ranges.
/// </summary>
public sealed record FineTuneSettings
{
    /// <summary>The fewest steps allowed: 1.</summary>
    public const int MinSteps = 1;

    /// <summary>The most steps allowed: 100,000.</summary>
    public const int MaxSteps = 100_000;

    /// <summary>The largest batch allowed: 4,096.</summary>
    public const int MaxBatchSize = 4096;

    /// <summary>The seed of the example order (text) or of the held-out pictures, latents and pixels (image). Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Adam steps. Default 1,000: on the shipped sample (<c>models/samples/</c>) this lowers the held-out loss by more than
    /// 20 % within 30 seconds on 2 busy cores (docs/benchmarks/fine-tuning.md). Allowed 1 to 100,000.
    /// </summary>
    public int Steps { get; init; } = 1000;

    /// <summary>Examples per step: characters to predict (text: an even number, a batch is split into two shards) or latents (image: at most 64). Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's peak learning rate, decayed linearly to a tenth over the steps. Default 0.003. Above 0 and at most 1.</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>The share of the examples' text held out (its end) to measure the loss before and after. Default 0.1. From 0.01 to 0.5.</summary>
    public double HeldOutShare { get; init; } = 0.1;

    /// <summary>The settings as one line, written into the derivative's metadata: <c>seed=1;steps=1000;batch=64;lr=0.003;heldOut=0.1</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"seed={Seed};steps={Steps};batch={BatchSize};lr={LearningRate:R};heldOut={HeldOutShare:R}");

    /// <summary>Checks every field against its documented range.</summary>
    /// <exception cref="FineTuneInputException">When a field is out of range; the message names it.</exception>
    public void Validate()
    {
        if (Steps is < MinSteps or > MaxSteps)
        {
            throw new FineTuneInputException($"Steps must be from {MinSteps} to {MaxSteps}, not {Steps}.");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new FineTuneInputException($"The batch size must be from 1 to {MaxBatchSize}, not {BatchSize}.");
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
