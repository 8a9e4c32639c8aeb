using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Generation.Text;

namespace MobileAigc.Provenance.EdgeNode.Generation;

/// <summary>Who a derivative the node fine-tuned is for: its parent, its owner and who it is served to.</summary>
/// <param name="Parent">The base model's hash.</param>
/// <param name="Owner">The owner it was made for; null when it has none (public only).</param>
/// <param name="Visibility">A <see cref="ModelVisibilities"/> value.</param>
public sealed record DerivativeAccess(Bytes32 Parent, EvmAddress? Owner, string Visibility)
{
    /// <summary>True when only its owner's requests are served.</summary>
    public bool IsPrivate => Visibility == ModelVisibilities.Private;
}

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

    /// <summary>The folder the model was loaded from (its manifest and ONNX file).</summary>
    public string Directory => Path.GetDirectoryName(Model.FilePath)!;

    /// <summary>For a derivative the node fine-tuned: its parent, owner and visibility; null for a model the node was given.</summary>
    public DerivativeAccess? Derivative { get; init; }

    /// <summary>What <c>GET v1/models</c> shows of it.</summary>
    public ServedModelInfo Info => new(Name, Model.Manifest!.Kind.ToString().ToLowerInvariant(), ModelHash, Model.SizeBytes, Model.Manifest.Description,
        Parent: Derivative?.Parent, Visibility: Derivative?.Visibility, Owner: Derivative?.Owner);

    /// <summary>Loads the model in <paramref name="directory"/> through the same code path as any user's model.</summary>
    /// <exception cref="InvalidModelException">When it cannot be loaded (the message names it).</exception>
    public static ServedModel Load(string directory, int? threads = null, DerivativeAccess? derivative = null)
    {
        var model = OnnxModel.LoadDirectory(directory, threads);
        return model.Manifest!.Kind == ModelKind.Image
            ? new ServedModel(model, new ImageGenerator(model), null) { Derivative = derivative }
            : new ServedModel(model, null, new TextGenerator(model)) { Derivative = derivative };
    }
}

/// <summary>
/// The models of one node: every sub-folder of the models folder that holds a
/// <c>manifest.json</c>, loaded at start through the same code path as any user's model, and the
/// derivatives the node fine-tunes, added while it runs.
/// </summary>
/// <remarks>
/// Thread-safe: <see cref="Models"/> is a snapshot that <see cref="Add"/> replaces, never changes, so a reader
/// sees the catalog before or after an addition. Models are never removed while the node runs.
/// </remarks>
public sealed class ModelCatalog : IDisposable
{
    private readonly Lock _gate = new();
    private ServedModel[] _models;

    private ModelCatalog(ServedModel[] models) => _models = models;

    /// <summary>Every served model: those given in folder-name order, then the derivatives in the order they were added.</summary>
    public IReadOnlyList<ServedModel> Models => Volatile.Read(ref _models);

    /// <summary>Loads every model folder under <paramref name="modelsDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">When the folder does not exist.</exception>
    /// <exception cref="InvalidModelException">When a model cannot be loaded (the message names it).</exception>
    public static ModelCatalog Load(string modelsDirectory, int? threads = null)
    {
        if (!System.IO.Directory.Exists(modelsDirectory))
        {
            throw new DirectoryNotFoundException($"No models folder at '{Path.GetFullPath(modelsDirectory)}'.");
        }

        var models = new List<ServedModel>();
        try
        {
            foreach (var dir in System.IO.Directory.GetDirectories(modelsDirectory).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(dir, ModelManifest.FileName)))
                {
                    models.Add(ServedModel.Load(dir, threads));
                }
            }
        }
        catch
        {
            models.ForEach(m => m.Model.Dispose());
            throw;
        }

        return new ModelCatalog([.. models]);
    }

    /// <summary>
    /// Serves <paramref name="model"/> from now on, unless a model with its hash is served already (then
    /// <paramref name="model"/> is disposed and the served one returned).
    /// </summary>
    /// <exception cref="InvalidOperationException">When another model already has its name (the model is disposed).</exception>
    public ServedModel Add(ServedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate)
        {
            var models = _models;
            if (models.FirstOrDefault(m => m.ModelHash == model.ModelHash) is { } served)
            {
                model.Model.Dispose();
                return served;
            }

            if (models.Any(m => string.Equals(m.Name, model.Name, StringComparison.OrdinalIgnoreCase)))
            {
                model.Model.Dispose();
                throw new InvalidOperationException($"The node already serves a model named '{model.Name}'.");
            }

            Volatile.Write(ref _models, [.. models, model]);
            return model;
        }
    }

    /// <summary>True when a served model has <paramref name="name"/> (names compare without case).</summary>
    public bool Serves(string name) => Models.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The model named <paramref name="nameOrHash"/> (its manifest name or 0x hash) of any kind.</summary>
    /// <exception cref="UnknownModelException">When no served model matches.</exception>
    public ServedModel Find(string nameOrHash)
    {
        ArgumentNullException.ThrowIfNull(nameOrHash);
        return Models.FirstOrDefault(m => Matches(m, nameOrHash))
            ?? throw new UnknownModelException($"This node serves no model '{nameOrHash}'; see GET {EdgeRoutes.Models}.");
    }

    /// <summary>The model named <paramref name="nameOrHash"/> (its manifest name or 0x hash), or the first of the kind when null.</summary>
    /// <exception cref="UnknownModelException">When no served model of that kind matches.</exception>
    public ServedModel Find(ModelKind kind, string? nameOrHash)
    {
        var match = Models.FirstOrDefault(m => m.Model.Manifest!.Kind == kind && (nameOrHash is null ? m.Derivative is null : Matches(m, nameOrHash)));
        return match ?? throw new UnknownModelException(nameOrHash is null
            ? $"This node serves no {kind.ToString().ToLowerInvariant()} model."
            : $"This node serves no {kind.ToString().ToLowerInvariant()} model '{nameOrHash}'; see GET {EdgeRoutes.Models}.");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in Models)
        {
            model.Model.Dispose();
        }
    }

    private static bool Matches(ServedModel model, string nameOrHash) =>
        string.Equals(model.Name, nameOrHash, StringComparison.OrdinalIgnoreCase)
        || (Bytes32.TryParse(nameOrHash, out var hash) && hash == model.ModelHash);
}

/// <summary>A request named a model the node does not serve.</summary>
public sealed class UnknownModelException(string message) : Exception(message);
