using System.Text.Json;
using System.Text.Json.Serialization;

namespace MobileAigc.Provenance.ModelDescriptions.Manifests;

/// <summary>
/// What a model is and how to run it: the <c>manifest.json</c> kept beside a <c>model.onnx</c>.
/// It names the graph's inputs and outputs, the tokenizer of a text model, the coordinate
/// layout of an image model, and default generation parameters. The identity of a model is
/// the SHA-256 of its .onnx file, not of this manifest.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The file name of a manifest: <c>manifest.json</c>.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>A short name, e.g. <c>kjv-char-mlp</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Text or image.</summary>
    public required ModelKind Kind { get; init; }

    /// <summary>What the model is, for people.</summary>
    public string? Description { get; init; }

    /// <summary>The ONNX file, relative to the manifest's folder. Default: <c>model.onnx</c>.</summary>
    public string File { get; init; } = "model.onnx";

    /// <summary>
    /// The SHA-256 of the ONNX file as 0x-prefixed hex, when the manifest pins it; loading then
    /// fails on a file with another hash. Null: not pinned.
    /// </summary>
    public string? Sha256 { get; init; }

    /// <summary>The graph's inputs as the model's author describes them.</summary>
    public IReadOnlyList<TensorDescription> Inputs { get; init; } = [];

    /// <summary>The graph's outputs as the model's author describes them.</summary>
    public IReadOnlyList<TensorDescription> Outputs { get; init; } = [];

    /// <summary>The text section; present when <see cref="Kind"/> is <see cref="ModelKind.Text"/>.</summary>
    public TextModelSection? Text { get; init; }

    /// <summary>The image section; present when <see cref="Kind"/> is <see cref="ModelKind.Image"/>.</summary>
    public ImageModelSection? Image { get; init; }

    /// <summary>How the model was made (corpus, seed, steps, loss): informative only.</summary>
    public IReadOnlyDictionary<string, string>? Provenance { get; init; }

    /// <summary>Reads a manifest from JSON text.</summary>
    /// <exception cref="InvalidModelException">When the JSON is malformed or lacks a required field.</exception>
    public static ModelManifest Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions)
                ?? throw new InvalidModelException("The manifest is the JSON literal null.");
            manifest.Validate();
            return manifest;
        }
        catch (JsonException e)
        {
            throw new InvalidModelException($"The manifest is not valid JSON for a model manifest: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="path"/> as a manifest.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="InvalidModelException">When it is not a valid manifest.</exception>
    public static ModelManifest Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"No model manifest at {path}.", path);
        }

        return Parse(System.IO.File.ReadAllText(path));
    }

    /// <summary>The manifest as indented JSON (camelCase, nulls left out, LF line ends): the same manifest always gives the same text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions).ReplaceLineEndings("\n") + "\n";

    private void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new InvalidModelException("The manifest has no name.");
        }

        if (string.IsNullOrWhiteSpace(File) || Path.IsPathRooted(File) || File.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidModelException($"The manifest's file '{File}' must be a plain relative path beside the manifest.");
        }

        if (Kind == ModelKind.Text && Text is null)
        {
            throw new InvalidModelException("A text model's manifest needs a 'text' section.");
        }

        if (Kind == ModelKind.Image && Image is null)
        {
            throw new InvalidModelException("An image model's manifest needs an 'image' section.");
        }
    }
}

/// <summary>The kind of content a model generates.</summary>
public enum ModelKind
{
    /// <summary>A causal language model: token ids in, next-token logits out.</summary>
    Text,

    /// <summary>An image network: a latent vector and pixel coordinates in, RGB out.</summary>
    Image,
}

/// <summary>One input or output of a graph: name, element type and symbolic shape.</summary>
/// <param name="Name">The tensor's name in the graph, e.g. <c>input_ids</c>.</param>
/// <param name="Type">The element type as ONNX names it, e.g. <c>int64</c> or <c>float</c>.</param>
/// <param name="Shape">Dimensions: numbers for fixed sizes, names (e.g. <c>batch</c>) for free ones.</param>
public sealed record TensorDescription(string Name, string Type, IReadOnlyList<string> Shape);

/// <summary>The text part of a manifest.</summary>
public sealed record TextModelSection
{
    /// <summary>How text becomes token ids.</summary>
    public required TokenizerDescription Tokenizer { get; init; }

    /// <summary>
    /// The number of preceding tokens that can affect the next token's logits, when the model has
    /// such a bound (a fixed-context network); the generator then feeds only that many. Null: unbounded
    /// (feed the whole sequence).
    /// </summary>
    public int? ContextLength { get; init; }

    /// <summary>The parameters a generation uses unless the caller sets others.</summary>
    public TextGenerationDefaults Defaults { get; init; } = new();
}

/// <summary>Default sampling parameters of a text model.</summary>
public sealed record TextGenerationDefaults
{
    /// <summary>Softmax temperature. Default 1.0.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens; 0 disables. Default 0.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of tokens whose probability reaches p; 1 disables. Default 1.0.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>The number of tokens to generate. Default 200.</summary>
    public int MaxNewTokens { get; init; } = 200;
}

/// <summary>A tokenizer described by its vocabulary.</summary>
public sealed record TokenizerDescription
{
    /// <summary>Character-level (<c>char</c>: each entry one character) or word-level (<c>word</c>: entries are whitespace-separated words).</summary>
    public required string Kind { get; init; }

    /// <summary>The vocabulary: the entry at index i is token i.</summary>
    public required IReadOnlyList<string> Vocabulary { get; init; }

    /// <summary>The token for text outside the vocabulary; null means such text cannot be encoded.</summary>
    public int? UnknownTokenId { get; init; }

    /// <summary>The token that begins a sequence (fed when the prompt is empty); null when the model has none.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>The token that ends a generation; null when generation runs to its token limit.</summary>
    public int? EosTokenId { get; init; }

    /// <summary>The padding token; null when the model has none.</summary>
    public int? PadTokenId { get; init; }
}

/// <summary>The image part of a manifest.</summary>
public sealed record ImageModelSection
{
    /// <summary>The latent vector's length L (input <c>latent</c> is float [1, L]).</summary>
    public required int LatentSize { get; init; }

    /// <summary>
    /// What each column of input <c>coords</c> (float [N, C]) holds, in order: <c>x</c> and <c>y</c>
    /// (−1..1 across the shorter side, aspect kept), <c>r</c> (distance from the centre), <c>one</c> (a constant 1).
    /// </summary>
    public IReadOnlyList<string> Coordinates { get; init; } = ["x", "y", "r"];

    /// <summary>How far a prompt moves the latent, in latent standard deviations. Default 1.0.</summary>
    public double PromptStrength { get; init; } = 1.0;

    /// <summary>Default picture width in pixels. Default 512.</summary>
    public int DefaultWidth { get; init; } = 512;

    /// <summary>Default picture height in pixels. Default 512.</summary>
    public int DefaultHeight { get; init; } = 512;
}
