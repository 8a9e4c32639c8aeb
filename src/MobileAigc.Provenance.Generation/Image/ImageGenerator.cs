using System.Security.Cryptography;
using System.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Generation.Image;

/// <summary>
/// Renders pictures with a coordinate network: input <c>latent</c> float [1, L] and <c>coords</c>
/// float [N, C] (one row per pixel, columns as the manifest's <see cref="ImageModelSection.Coordinates"/>),
/// output <c>rgb</c> float [N, 3] in 0..1. A seed fixes the latent (standard normal); a prompt adds a
/// direction fixed by its SHA-256. Pixels are evaluated in bands to bound memory. A model that also takes
/// <c>init</c> float [N, 3] (an input picture's colour at each pixel, 0..1) and <c>strength</c> float [1]
/// does image-to-image (<see cref="ImageGenerationOptions.Input"/>); text-to-image feeds it mid-grey at strength 1.
/// </summary>
public sealed class ImageGenerator
{
    /// <summary>The largest side this generator renders: 4,096 pixels.</summary>
    public const int MaxSide = 4096;

    /// <summary>The latent input.</summary>
    public const string LatentName = "latent";

    /// <summary>The coordinate input.</summary>
    public const string CoordinatesName = "coords";

    /// <summary>The optional input picture's colours (image-to-image).</summary>
    public const string InitName = "init";

    /// <summary>The optional strength input (image-to-image).</summary>
    public const string StrengthName = "strength";

    /// <summary>The colour output.</summary>
    public const string RgbName = "rgb";

    private const int PixelsPerRun = 65_536;

    private readonly OnnxModel _model;
    private readonly string[] _coordinates;
    private readonly double _promptStrength;

    /// <summary>A generator over <paramref name="model"/>, which must have the latent/coords → rgb signature.</summary>
    /// <exception cref="InvalidModelException">When the graph lacks those inputs or output with float elements and fixed latent and coordinate widths, or the manifest's coordinate list disagrees with the graph.</exception>
    public ImageGenerator(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        if (!model.Inputs.TryGetValue(LatentName, out var latent) || latent.ElementDataType != TensorElementType.Float || latent.Dimensions.Length != 2 || latent.Dimensions[1] < 1)
        {
            throw new InvalidModelException($"An image model needs input '{LatentName}' float [1, L] with a fixed L.");
        }

        if (!model.Inputs.TryGetValue(CoordinatesName, out var coords) || coords.ElementDataType != TensorElementType.Float || coords.Dimensions.Length != 2 || coords.Dimensions[1] < 1)
        {
            throw new InvalidModelException($"An image model needs input '{CoordinatesName}' float [N, C] with a fixed C.");
        }

        SupportsImageToImage = model.Inputs.TryGetValue(InitName, out var init) && model.Inputs.TryGetValue(StrengthName, out var strength)
            && init.ElementDataType == TensorElementType.Float && init.Dimensions is [_, 3]
            && strength.ElementDataType == TensorElementType.Float && strength.Dimensions is [1];
        if (model.Inputs.Count != (SupportsImageToImage ? 4 : 2))
        {
            throw new InvalidModelException($"An image model takes exactly '{LatentName}' and '{CoordinatesName}', and optionally '{InitName}' float [N, 3] with '{StrengthName}' float [1].");
        }

        if (!model.Outputs.TryGetValue(RgbName, out var rgb) || rgb.ElementDataType != TensorElementType.Float || rgb.Dimensions.Length != 2 || rgb.Dimensions[1] != 3)
        {
            throw new InvalidModelException($"An image model needs output '{RgbName}' float [N, 3].");
        }

        LatentSize = latent.Dimensions[1];
        var section = model.Manifest?.Image;
        _coordinates = [.. section?.Coordinates ?? ["x", "y", "r"]];
        if (_coordinates.Length != coords.Dimensions[1])
        {
            throw new InvalidModelException($"The graph takes {coords.Dimensions[1]} coordinate columns; the manifest names {_coordinates.Length}.");
        }

        foreach (var name in _coordinates)
        {
            if (name is not ("x" or "y" or "r" or "one"))
            {
                throw new InvalidModelException($"Unknown coordinate '{name}'; expected x, y, r or one.");
            }
        }

        if (section is not null && section.LatentSize != LatentSize)
        {
            throw new InvalidModelException($"The graph's latent has {LatentSize} entries; the manifest says {section.LatentSize}.");
        }

        _promptStrength = section?.PromptStrength ?? 1.0;
        DefaultWidth = section?.DefaultWidth ?? 512;
        DefaultHeight = section?.DefaultHeight ?? 512;
    }

    /// <summary>True when the model takes an input picture (<c>init</c> and <c>strength</c>).</summary>
    public bool SupportsImageToImage { get; }

    /// <summary>The latent vector's length.</summary>
    public int LatentSize { get; }

    /// <summary>The width used when the options leave it unset.</summary>
    public int DefaultWidth { get; }

    /// <summary>The height used when the options leave it unset.</summary>
    public int DefaultHeight { get; }

    /// <summary>
    /// The latent a seed and prompt give: L standard normal values from the seed, plus
    /// <see cref="ImageModelSection.PromptStrength"/> times a unit-variance direction drawn from the prompt's SHA-256.
    /// </summary>
    public float[] Latent(ulong seed, string? prompt)
    {
        var random = new SeededRandom(seed);
        var latent = new float[LatentSize];
        for (var i = 0; i < latent.Length; i++)
        {
            latent[i] = (float)random.NextGaussian();
        }

        if (!string.IsNullOrEmpty(prompt))
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(prompt.Trim().ToLowerInvariant()));
            var direction = new SeededRandom(BitConverter.ToUInt64(hash, 0) ^ BitConverter.ToUInt64(hash, 8));
            for (var i = 0; i < latent.Length; i++)
            {
                latent[i] = (float)(latent[i] + (_promptStrength * direction.NextGaussian()));
            }
        }

        return latent;
    }

    /// <summary>Renders one picture; with <see cref="ImageGenerationOptions.Input"/>, a transform of that picture.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a side is outside 1 to <see cref="MaxSide"/>, or the strength outside 0 to 1.</exception>
    /// <exception cref="NotSupportedException">When an input picture is given and <see cref="SupportsImageToImage"/> is false.</exception>
    /// <exception cref="InvalidModelException">When the graph returns a shape other than [N, 3].</exception>
    public RgbImage Generate(ImageGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var input = options.Input;
        if (input is not null && !SupportsImageToImage)
        {
            throw new NotSupportedException("This image model does not take an input picture.");
        }

        if (input is not null && options.Strength is not (>= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Strength, "Strength must be 0 to 1.");
        }

        var width = options.Width ?? input?.Width ?? DefaultWidth;
        var height = options.Height ?? input?.Height ?? DefaultHeight;
        if (width is < 1 or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(options), width, $"Width must be 1 to {MaxSide}.");
        }

        if (height is < 1 or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(options), height, $"Height must be 1 to {MaxSide}.");
        }

        var latent = Latent(options.Seed, options.Prompt);
        return input is null
            ? Render(latent, width, height)
            : Render(latent, width, height, ImageCodec.Resize(input, width, height), (float)options.Strength);
    }

    /// <summary>Renders one picture from an explicit latent.</summary>
    /// <exception cref="ArgumentException">When <paramref name="latent"/> does not have <see cref="LatentSize"/> finite entries.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When a side is outside 1 to <see cref="MaxSide"/>.</exception>
    /// <exception cref="InvalidModelException">When the graph returns a shape other than [N, 3].</exception>
    public RgbImage Render(float[] latent, int width, int height) => Render(latent, width, height, null, 1f);

    private RgbImage Render(float[] latent, int width, int height, RgbImage? init, float strength)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.Length != LatentSize || latent.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException($"The latent must have {LatentSize} finite entries.", nameof(latent));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSide);

        var image = RgbImage.Create(width, height);
        var columns = _coordinates.Length;
        var scale = 2.0 / Math.Min(width, height);
        var rowsPerRun = Math.Max(1, PixelsPerRun / width);
        using var latentValue = OrtValue.CreateTensorValueFromMemory(latent, [1, LatentSize]);
        using var strengthValue = OrtValue.CreateTensorValueFromMemory(new[] { strength }, [1]);
        using var runOptions = new RunOptions();
        string[] inputNames = SupportsImageToImage ? [LatentName, CoordinatesName, InitName, StrengthName] : [LatentName, CoordinatesName];
        for (var top = 0; top < height; top += rowsPerRun)
        {
            var rows = Math.Min(rowsPerRun, height - top);
            var count = rows * width;
            var coords = new float[count * columns];
            for (var row = 0; row < rows; row++)
            {
                var y = (((top + row) + 0.5) - (height / 2.0)) * scale;
                for (var col = 0; col < width; col++)
                {
                    var x = ((col + 0.5) - (width / 2.0)) * scale;
                    var offset = ((row * width) + col) * columns;
                    for (var c = 0; c < columns; c++)
                    {
                        coords[offset + c] = _coordinates[c] switch
                        {
                            "x" => (float)x,
                            "y" => (float)y,
                            "r" => (float)Math.Sqrt((x * x) + (y * y)),
                            _ => 1f,
                        };
                    }
                }
            }

            using var coordsValue = OrtValue.CreateTensorValueFromMemory(coords, [count, columns]);
            using var initValue = SupportsImageToImage ? OrtValue.CreateTensorValueFromMemory(InitColours(init, top * width, count), [count, 3]) : null;
            OrtValue[] inputs = initValue is null ? [latentValue, coordsValue] : [latentValue, coordsValue, initValue, strengthValue];
            using var outputs = _model.Session.Run(runOptions, inputNames, inputs, [RgbName]);
            var shape = outputs[0].GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != count || shape[1] != 3)
            {
                throw new InvalidModelException($"Expected rgb [{count}, 3]; the model returned [{string.Join(", ", shape)}].");
            }

            var rgb = outputs[0].GetTensorDataAsSpan<float>();
            var pixels = image.Pixels.AsSpan(top * width * 3, count * 3);
            for (var i = 0; i < pixels.Length; i++)
            {
                var v = rgb[i];
                pixels[i] = float.IsNaN(v) ? (byte)0 : (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
            }
        }

        return image;
    }

    /// <summary>The input's colours of <paramref name="count"/> pixels from <paramref name="first"/>, 0..1; mid-grey without an input.</summary>
    private static float[] InitColours(RgbImage? init, int first, int count)
    {
        var colours = new float[count * 3];
        if (init is null)
        {
            Array.Fill(colours, 0.5f);
            return colours;
        }

        var pixels = init.Pixels.AsSpan(first * 3, count * 3);
        for (var i = 0; i < colours.Length; i++)
        {
            colours[i] = pixels[i] / 255f;
        }

        return colours;
    }
}
