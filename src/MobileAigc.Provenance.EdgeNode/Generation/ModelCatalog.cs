using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Generation.Text;

namespace MobileAigc.Provenance.EdgeNode.Generation;

/// <summary>A model the node serves, loaded and ready.</summary>
/// <param name="Model">The loaded ONNX model (its manifest, hash and session).</param>
/// <param name="ImageGenerator">The generator for an image model; null for a text model.</param>
/// <param name="TextGenerator">The generator for a text model; null for an image model.</param>
public sealed record ServedModel(OnnxModel Model, ImageGenerator? ImageGenerator, TextGenerator? TextGenerator)
{
    /// <summary>The manifest's name.</summary>
    public string Name => Model.Manifest!.Name;

    /// <summary>The model's id: SHA-256 of the ONNX file.</summary>
    public Bytes32 ModelHash => Model.Sha256;

    /// <summary>What <c>GET v1/models</c> shows of it.</summary>
    public ServedModelInfo Info => new(Name, Model.Manifest!.Kind.ToString().ToLowerInvariant(), ModelHash, Model.SizeBytes, Model.Manifest.Description);
}

/// <summary>
/// The models of one node: every sub-folder of the models folder that holds a
/// <c>manifest.json</c>, loaded once at start through the same code path as any user's model.
/// </summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly List<ServedModel> _models;

    private ModelCatalog(List<ServedModel> models) => _models = models;

    /// <summary>Every served model, in folder-name order.</summary>
    public IReadOnlyList<ServedModel> Models => _models;

    /// <summary>Loads every model folder under <paramref name="modelsDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">When the folder does not exist.</exception>
    /// <exception cref="InvalidModelException">When a model cannot be loaded (the message names it).</exception>
    public static ModelCatalog Load(string modelsDirectory, int? threads = null)
    {
        if (!Directory.Exists(modelsDirectory))
        {
            throw new DirectoryNotFoundException($"No models folder at '{Path.GetFullPath(modelsDirectory)}'.");
        }

        var models = new List<ServedModel>();
        try
        {
            foreach (var dir in Directory.GetDirectories(modelsDirectory).Order(StringComparer.Ordinal))
            {
                if (!File.Exists(Path.Combine(dir, ModelManifest.FileName)))
                {
                    continue;
                }

                var model = OnnxModel.LoadDirectory(dir, threads);
                models.Add(model.Manifest!.Kind == ModelKind.Image
                    ? new ServedModel(model, new ImageGenerator(model), null)
                    : new ServedModel(model, null, new TextGenerator(model)));
            }
        }
        catch
        {
            models.ForEach(m => m.Model.Dispose());
            throw;
        }

        return new ModelCatalog(models);
    }

    /// <summary>The model named <paramref name="nameOrHash"/> (its manifest name or 0x hash), or the first of the kind when null.</summary>
    /// <exception cref="UnknownModelException">When no served model of that kind matches.</exception>
    public ServedModel Find(ModelKind kind, string? nameOrHash)
    {
        var match = _models.FirstOrDefault(m => m.Model.Manifest!.Kind == kind
            && (nameOrHash is null
                || string.Equals(m.Name, nameOrHash, StringComparison.OrdinalIgnoreCase)
                || (Bytes32.TryParse(nameOrHash, out var hash) && hash == m.ModelHash)));
        return match ?? throw new UnknownModelException(nameOrHash is null
            ? $"This node serves no {kind.ToString().ToLowerInvariant()} model."
            : $"This node serves no {kind.ToString().ToLowerInvariant()} model '{nameOrHash}'; see GET {EdgeRoutes.Models}.");
    }

    /// <inheritdoc />
    public void Dispose() => _models.ForEach(m => m.Model.Dispose());
}

/// <summary>A request named a model the node does not serve.</summary>
public sealed class UnknownModelException(string message) : Exception(message);
