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
}
