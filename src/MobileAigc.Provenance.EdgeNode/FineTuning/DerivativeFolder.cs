using System.Text.Json;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// A derivative on disk: a sub-folder of the derivatives folder named after it, holding its <c>manifest.json</c>, its ONNX
/// file and <c>access.json</c> (parent, owner, visibility: who the node serves it to). Written into a temporary folder,
/// flushed, then renamed into place, so the folder is there whole or not at all.
/// </summary>
public static class DerivativeFolder
{
    /// <summary>The access file's name: <c>access.json</c>.</summary>
    public const string AccessFile = "access.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Writes the derivative into <c>{directory}/{name}</c>; a folder already there (a run a crash cut short after the
    /// rename) is replaced.
    /// </summary>
    /// <returns>The derivative's folder.</returns>
    public static string Write(string directory, string name, TrainedDerivative trained, DerivativeAccess access)
    {
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(access);
        var manifest = ModelManifest.Parse(trained.ManifestJson);
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, name);
        var temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temporary);
        try
        {
            WriteFlushed(Path.Combine(temporary, manifest.File), trained.Onnx);
            WriteFlushed(Path.Combine(temporary, ModelManifest.FileName), System.Text.Encoding.UTF8.GetBytes(trained.ManifestJson));
            WriteFlushed(Path.Combine(temporary, AccessFile), JsonSerializer.SerializeToUtf8Bytes(access, Json));
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(temporary, target);
            return target;
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            throw;
        }
    }

    /// <summary>
    /// Loads every derivative folder under <paramref name="directory"/> (those with an access file) into
    /// <paramref name="catalog"/>, and removes temporary folders a crash left there.
    /// </summary>
    /// <returns>The derivatives loaded.</returns>
    /// <exception cref="InvalidModelException">When a derivative cannot be loaded (the message names it).</exception>
    public static IReadOnlyList<ServedModel> LoadInto(string directory, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var loaded = new List<ServedModel>();
        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(folder).StartsWith('.'))
            {
                Directory.Delete(folder, recursive: true);
                continue;
            }

            var accessPath = Path.Combine(folder, AccessFile);
            if (File.Exists(accessPath) && File.Exists(Path.Combine(folder, ModelManifest.FileName)))
            {
                var access = JsonSerializer.Deserialize<DerivativeAccess>(File.ReadAllBytes(accessPath), Json)
                    ?? throw new InvalidModelException($"The access file '{accessPath}' holds null.");
                loaded.Add(catalog.Add(ServedModel.Load(folder, derivative: access)));
            }
        }

        return loaded;
    }

    private static void WriteFlushed(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }
}
