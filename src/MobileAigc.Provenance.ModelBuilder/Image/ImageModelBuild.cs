using System.Security.Cryptography;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Imaging;

using MobileAigc.Provenance.Training.Image;

namespace MobileAigc.Provenance.ModelBuilder.Image;

/// <summary>Builds <c>models/cppn-image</c>: model.onnx and manifest.json; optionally renders previews.</summary>
public static class ImageModelBuild
{
    /// <summary>The model's name and folder.</summary>
    public const string Name = "cppn-image";

    /// <summary>Writes the model; with <paramref name="previewDirectory"/>, also PNGs of seeds 1–6 and two prompts.</summary>
    public static void Run(string outputDirectory, string? previewDirectory, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var doc = $"CPPN image network with fixed seeded weights (seed 0x{CppnImageModel.Seed:X}): latent [1, {CppnImageModel.LatentSize}] and pixel coordinates (x, y, r) -> RGB in 0..1; image-to-image from an input picture's colours (init [pixels, 3]) kept by 1 - strength.";
        var onnx = CppnImageModel.Export(doc);
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllBytes(Path.Combine(outputDirectory, "model.onnx"), onnx);
        var manifest = new ModelManifest
        {
            Name = Name,
            Kind = ModelKind.Image,
            Description = doc,
            Sha256 = "0x" + Convert.ToHexStringLower(SHA256.HashData(onnx)),
            Inputs =
            [
                new TensorDescription("latent", "float", ["1", CppnImageModel.LatentSize.ToString(System.Globalization.CultureInfo.InvariantCulture)]),
                new TensorDescription("coords", "float", ["pixels", "3"]),
                new TensorDescription("init", "float", ["pixels", "3"]),
                new TensorDescription("strength", "float", ["1"]),
            ],
            Outputs = [new TensorDescription("rgb", "float", ["pixels", "3"])],
            Image = new ImageModelSection
            {
                LatentSize = CppnImageModel.LatentSize,
                Coordinates = ["x", "y", "r"],
                PromptStrength = 0.8,
                DefaultWidth = 512,
                DefaultHeight = 512,
            },
            Provenance = new Dictionary<string, string>
            {
                ["weights"] = $"SeededRandom(0x{CppnImageModel.Seed:X}), no training",
                ["builder"] = "scripts/build-models.sh (src/MobileAigc.Provenance.ModelBuilder)",
            },
        };
        File.WriteAllText(Path.Combine(outputDirectory, ModelManifest.FileName), manifest.ToJson());
        log($"{Name}: {onnx.Length:N0} bytes, SHA-256 {manifest.Sha256}");

        if (previewDirectory is null)
        {
            return;
        }

        Directory.CreateDirectory(previewDirectory);
        using var model = OnnxModel.LoadDirectory(outputDirectory);
        var generator = new ImageGenerator(model);
        var requests = Enumerable.Range(1, 6).Select(seed => new ImageGenerationOptions { Seed = (ulong)seed })
            .Append(new ImageGenerationOptions { Seed = 1, Prompt = "a harbour at dawn" })
            .Append(new ImageGenerationOptions { Seed = 1, Prompt = "moss on granite" });
        foreach (var request in requests)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var image = generator.Generate(request);
            var file = Path.Combine(previewDirectory, $"seed{request.Seed}{(request.Prompt is null ? string.Empty : "-" + request.Prompt.Replace(' ', '_'))}.png");
            File.WriteAllBytes(file, ImageCodec.Encode(image, ImageFileFormat.Png));
            log($"{file} ({clock.ElapsedMilliseconds} ms)");
        }
    }
}
