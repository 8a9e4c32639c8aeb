using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Generation.Image;

/// <summary>The parameters of one picture.</summary>
public sealed record ImageGenerationOptions
{
    /// <summary>Picks the latent vector: the same model, seed, prompt and size give the same picture. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Moves the latent by a direction fixed by the text (a hash of it); null or empty for none. Default null.</summary>
    public string? Prompt { get; init; }

    /// <summary>Width in pixels, 1 to 4,096; null (the default) takes the manifest's default, else 512.</summary>
    public int? Width { get; init; }

    /// <summary>Height in pixels, 1 to 4,096; null (the default) takes the manifest's default, else 512.</summary>
    public int? Height { get; init; }

    /// <summary>
    /// The picture to transform (image-to-image); null (the default) for text-to-image. It is resized to the
    /// output size, so unset sides take its size. Needs a model with <see cref="ImageGenerator.SupportsImageToImage"/>.
    /// </summary>
    public RgbImage? Input { get; init; }

    /// <summary>
    /// With <see cref="Input"/>: how far the result departs from the input, 0 (the input itself) to 1 (the
    /// text-to-image picture of the seed, ignoring the input). Default 0.6. Ignored without an input.
    /// </summary>
    public double Strength { get; init; } = DefaultStrength;

    /// <summary>The default <see cref="Strength"/>: 0.6.</summary>
    public const double DefaultStrength = 0.6;
}
