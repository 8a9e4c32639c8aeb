using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The names of the models the ledger has a manifest of (<see cref="VerificationOptions.ModelManifests"/> and
/// <see cref="VerificationOptions.TextModelManifests"/>), by the model hash the manifest pins: the registry holds no
/// names, so these are what verification answers as <c>model.name</c>. A manifest that pins no hash names nothing.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ModelNames
{
    private readonly Dictionary<Bytes32, string> _names;

    /// <summary>Names by model hash; the first name given for a hash wins.</summary>
    public ModelNames(IEnumerable<KeyValuePair<Bytes32, string>> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = [];
        foreach (var (hash, name) in names)
        {
            _names.TryAdd(hash, name);
        }
    }

    /// <summary>Knows no model.</summary>
    public static ModelNames None { get; } = new([]);

    /// <summary>How many models have a name.</summary>
    public int Count => _names.Count;

    /// <summary>The name of <paramref name="modelHash"/>, or null when no manifest names it.</summary>
    public string? Of(Bytes32 modelHash) => _names.GetValueOrDefault(modelHash);

    /// <summary>Reads the names of the manifests at <paramref name="manifestPaths"/>, then adds those of <paramref name="textModels"/>.</summary>
    /// <exception cref="InvalidOperationException">When a manifest is missing or invalid, or pins a malformed hash; the message names the file.</exception>
    public static ModelNames Load(IEnumerable<string> manifestPaths, IEnumerable<TextModelTokenizer> textModels)
    {
        ArgumentNullException.ThrowIfNull(manifestPaths);
        ArgumentNullException.ThrowIfNull(textModels);
        var names = new List<KeyValuePair<Bytes32, string>>();
        foreach (var path in manifestPaths)
        {
            if (Pinned(path) is { } named)
            {
                names.Add(named);
            }
        }

        names.AddRange(textModels.Where(m => m.ModelHash is not null).Select(m => KeyValuePair.Create(m.ModelHash!.Value, m.Name)));
        return new ModelNames(names);
    }

    private static KeyValuePair<Bytes32, string>? Pinned(string path)
    {
        try
        {
            var manifest = ModelManifest.Load(path);
            return manifest.Sha256 is { } pinned ? KeyValuePair.Create(Bytes32.Parse(pinned), manifest.Name) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidModelException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"Model manifest '{path}' cannot be used: {e.Message}", e);
        }
    }
}
