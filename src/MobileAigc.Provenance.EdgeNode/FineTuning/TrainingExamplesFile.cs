using System.Text.Json;
using MobileAigc.Provenance.Core.Secrets;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// A creator's examples (texts, or an image model's pictures) on the node's disk while their job needs them: one owner-only
/// (0600) JSON file per job in an
/// owner-only folder of the data folder, written and flushed before the job is queued, deleted when it ends. They are never
/// sent anywhere nor logged.
/// </summary>
public static class TrainingExamplesFile
{
    /// <summary>The file of job <paramref name="jobId"/> in <paramref name="folder"/>.</summary>
    public static string PathOf(string folder, string jobId) => Path.Combine(folder, jobId + ".json");

    /// <summary>Writes <paramref name="examples"/> to <paramref name="path"/>, created 0600 (replacing a file a crash left there).</summary>
    public static Task WriteAsync(string path, IReadOnlyList<string> examples, CancellationToken cancellationToken = default) =>
        SecretFile.ReplaceAsync(path, JsonSerializer.SerializeToUtf8Bytes(examples), cancellationToken);

    /// <summary>Writes <paramref name="pictures"/> (an image model's examples) to <paramref name="path"/>, created 0600, as <see cref="WriteAsync"/>.</summary>
    public static Task WritePicturesAsync(string path, IReadOnlyList<byte[]> pictures, CancellationToken cancellationToken = default) =>
        SecretFile.ReplaceAsync(path, JsonSerializer.SerializeToUtf8Bytes(pictures), cancellationToken);

    /// <summary>Reads the pictures at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When the file is gone.</exception>
    /// <exception cref="InvalidDataException">When it is not a list of pictures.</exception>
    public static IReadOnlyList<byte[]> ReadPictures(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<List<byte[]>>(File.ReadAllBytes(path)) ?? throw new InvalidDataException($"'{path}' holds null.");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a list of pictures.", e);
        }
    }

    /// <summary>Reads the examples at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When the file is gone.</exception>
    /// <exception cref="InvalidDataException">When it is not a list of texts.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(path)) ?? throw new InvalidDataException($"'{path}' holds null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a list of texts.", e);
        }
    }

    /// <summary>Deletes the file at <paramref name="path"/> when it exists.</summary>
    public static void Delete(string path) => File.Delete(path);
}
