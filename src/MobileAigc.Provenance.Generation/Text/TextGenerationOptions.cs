using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Generation.Text;

/// <summary>
/// The parameters of one text generation. Sampling order: the logits processor (e.g. a watermark)
/// first, then temperature, top-k and top-p, as in Hugging Face <c>generate</c>.
/// </summary>
public sealed record TextGenerationOptions
{
    /// <summary>The most tokens one generation may ask for: 100,000.</summary>
    public const int MaxTokenLimit = 100_000;

    /// <summary>The number of tokens to generate (fewer when the model emits its end token). 1 to <see cref="MaxTokenLimit"/>; default 200.</summary>
    public int MaxNewTokens { get; init; } = 200;

    /// <summary>Softmax temperature: 0 picks the most likely token (greedy); otherwise 0.01 to 100. Default 1.0.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens; 0 (the default) keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probability reaches p; in (0, 1], default 1.0 (keep all).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>The seed of the sampler: the same model, prompt, options and seed give the same tokens. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>A model's defaults from its manifest, with <paramref name="seed"/>; library defaults where the manifest has none.</summary>
    public static TextGenerationOptions FromManifest(ModelManifest? manifest, ulong seed = 0)
    {
        var defaults = manifest?.Text?.Defaults ?? new TextGenerationDefaults();
        return new TextGenerationOptions
        {
            MaxNewTokens = defaults.MaxNewTokens,
            Temperature = defaults.Temperature,
            TopK = defaults.TopK,
            TopP = defaults.TopP,
            Seed = seed,
        };
    }

    /// <summary>Checks every parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a parameter is outside its documented range (the message names it and its value).</exception>
    public void Validate()
    {
        if (MaxNewTokens is < 1 or > MaxTokenLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, $"MaxNewTokens must be 1 to {MaxTokenLimit}.");
        }

        if (!double.IsFinite(Temperature) || (Temperature != 0 && Temperature is < 0.01 or > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be 0 (greedy) or 0.01 to 100.");
        }

        if (TopK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "TopK must be 0 (off) or positive.");
        }

        if (!double.IsFinite(TopP) || TopP is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        }
    }
}
