namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// How a fine-tuning run goes. Every field changes the result's bytes; the same settings, example
/// pictures (in the same order) and base model give the same bytes.
/// </summary>
public sealed record FineTuneSettings
{
    /// <summary>The default <see cref="Steps"/> for the image model: 150.</summary>
    public const int DefaultImageSteps = 150;

    /// <summary>Picks the held-out pictures, the latents and the pixels sampled. Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Gradient steps, 1 to 10,000. Default <see cref="DefaultImageSteps"/> (150): the held-out loss falls by far more than 20 % well inside 30 s on 2 busy cores.</summary>
    public int Steps { get; init; } = DefaultImageSteps;

    /// <summary>Latents (pictures of the model) per step, 1 to 64. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Adam's step size on the colour head's weights, above 0 and at most 1. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>The share of the example pictures held out to measure the loss, above 0 and below 1. At least one picture is held out and one kept. Default 0.25.</summary>
    public double HeldOutShare { get; init; } = 0.25;

    /// <summary>Checks every field's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Naming the first field out of range.</exception>
    public void Validate()
    {
        if (Steps is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be 1 to 10,000.");
        }

        if (BatchSize is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be 1 to 64.");
        }

        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be above 0 and at most 1.");
        }

        if (!(HeldOutShare > 0 && HeldOutShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(HeldOutShare), HeldOutShare, "The held-out share must be above 0 and below 1.");
        }
    }
}
