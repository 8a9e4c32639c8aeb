using System.Security.Cryptography;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// A character MLP text model as it lies in a model folder (<c>manifest.json</c> beside its ONNX file), read
/// back for further training: the weights, the vocabulary of its manifest, and the file's identity.
/// </summary>
/// <param name="File">The ONNX file as read (weights and header).</param>
/// <param name="Vocabulary">The vocabulary the manifest's tokenizer describes.</param>
/// <param name="Manifest">The manifest.</param>
/// <param name="Sha256">The SHA-256 of the ONNX file as 0x-prefixed lower-case hex: the model's identity.</param>
public sealed record CharMlpModelDirectory(CharMlpOnnxFile File, CharVocabulary Vocabulary, ModelManifest Manifest, string Sha256)
{
    /// <summary>Reads the model in <paramref name="directory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">When the folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">When the manifest or the ONNX file it names is missing.</exception>
    /// <exception cref="InvalidModelException">
    /// When the manifest is invalid or not a text model's with a <c>char</c> tokenizer, the file's hash differs from the one
    /// the manifest pins, the file is not a character MLP (see <see cref="CharMlpOnnxReader.Read"/>), or the manifest's
    /// vocabulary or context length does not match the weights.
    /// </exception>
    public static CharMlpModelDirectory Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No model folder at {directory}.");
        }

        var manifest = ModelManifest.Load(Path.Combine(directory, ModelManifest.FileName));
        if (manifest.Kind != ModelKind.Text || manifest.Text is null)
        {
            throw new InvalidModelException($"The model '{manifest.Name}' is a {manifest.Kind} model, not a text model.");
        }

        var vocabulary = CharVocabulary.FromDescription(manifest.Text.Tokenizer);
        var path = Path.Combine(directory, manifest.File);
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"The manifest names {manifest.File}, which is not in {directory}.", path);
        }

        var bytes = System.IO.File.ReadAllBytes(path);
        var sha256 = "0x" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (manifest.Sha256 is not null && !string.Equals(manifest.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidModelException($"{manifest.File} has SHA-256 {sha256}, but the manifest pins {manifest.Sha256}.");
        }

        var file = CharMlpOnnxReader.Read(bytes);
        if (file.Model.Vocabulary != vocabulary.Size)
        {
            throw new InvalidModelException($"The manifest's vocabulary has {vocabulary.Size} tokens but the weights have {file.Model.Vocabulary}.");
        }

        if (manifest.Text.ContextLength is { } context && context != file.Model.Context)
        {
            throw new InvalidModelException($"The manifest's context length is {context} but the weights see {file.Model.Context} tokens.");
        }

        return new CharMlpModelDirectory(file, vocabulary, manifest, sha256);
    }
}
