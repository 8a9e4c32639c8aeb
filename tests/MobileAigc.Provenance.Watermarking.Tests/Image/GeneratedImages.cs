using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// Pictures from the repository's real image model (<c>models/cppn-image</c>, run by <see cref="ImageGenerator"/>):
/// dense, high-contrast striations with much energy in the watermark's own frequency band, the case the synthetic
/// pictures missed. Shared by the unit tests and the robustness benchmark. Thread-safe.
/// </summary>
public sealed class GeneratedImages : IDisposable
{
    /// <summary>The prompts cycled through by seed, so that the latents vary in direction as well as in noise.</summary>
    public static IReadOnlyList<string> Prompts { get; } =
    [
        "a mountain lake at dawn", "portrait of an old sailor", "neon city street in the rain", "a bowl of ripe fruit",
        "abstract swirling marble", "a red fox in the snow", "satellite view of farmland", "a cathedral interior",
        "underwater coral reef", "a desert at noon", "close-up of tree bark", "fireworks over a harbour",
    ];

    private readonly OnnxModel _model;
    private readonly ImageGenerator _generator;

    /// <summary>Loads <c>models/cppn-image</c> from the repository containing this build.</summary>
    /// <exception cref="DirectoryNotFoundException">When no folder above the build output holds MobileAigc.Provenance.sln.</exception>
    public GeneratedImages()
    {
        _model = OnnxModel.LoadDirectory(ModelDirectory);
        _generator = new ImageGenerator(_model);
    }

    /// <summary>The model folder: <c>models/cppn-image</c> of the repository.</summary>
    /// <exception cref="DirectoryNotFoundException">When the repository root is not found (see <see cref="RepositoryPaths.Root"/>).</exception>
    public static string ModelDirectory => Path.Combine(RepositoryPaths.Models, "cppn-image");

    /// <summary>Renders the picture for <paramref name="seed"/> (prompt number seed mod <see cref="Prompts"/>.Count), <paramref name="side"/> pixels square.</summary>
    public RgbImage Create(ulong seed, int side = 512) =>
        _generator.Generate(new ImageGenerationOptions { Seed = seed, Prompt = Prompts[(int)(seed % (ulong)Prompts.Count)], Width = side, Height = side });

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
