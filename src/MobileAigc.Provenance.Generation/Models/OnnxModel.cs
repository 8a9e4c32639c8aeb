using Microsoft.ML.OnnxRuntime;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Generation.Models;

/// <summary>
/// An ONNX graph loaded into ONNX Runtime on the CPU, with its identity: the SHA-256 of the exact
/// bytes that were loaded. The project's own models and a user's models load the same way.
/// Dispose it to free the native session.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private OnnxModel(string path, Bytes32 sha256, long sizeBytes, ModelManifest? manifest, InferenceSession session)
    {
        FilePath = path;
        Sha256 = sha256;
        SizeBytes = sizeBytes;
        Manifest = manifest;
        Session = session;
    }

    /// <summary>The .onnx file it was loaded from (full path).</summary>
    public string FilePath { get; }

    /// <summary>The SHA-256 of the .onnx file: the model's identity, e.g. on chain.</summary>
    public Bytes32 Sha256 { get; }

    /// <summary>The size of the .onnx file in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>The manifest it came with; null when loaded without one.</summary>
    public ModelManifest? Manifest { get; }

    /// <summary>The ONNX Runtime session the generators run.</summary>
    internal InferenceSession Session { get; }

    /// <summary>The graph's inputs: name → element type and dimensions (−1 for a free dimension).</summary>
    public IReadOnlyDictionary<string, NodeMetadata> Inputs => Session.InputMetadata;

    /// <summary>The graph's outputs: name → element type and dimensions (−1 for a free dimension).</summary>
    public IReadOnlyDictionary<string, NodeMetadata> Outputs => Session.OutputMetadata;

    /// <summary>
    /// Loads a model folder: <c>manifest.json</c> and the .onnx file it names (default <c>model.onnx</c>).
    /// </summary>
    /// <param name="directory">The folder holding the manifest.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads; null (the default) lets ONNX Runtime choose (one per core).</param>
    /// <exception cref="DirectoryNotFoundException">When the folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">When the manifest or the .onnx file is missing.</exception>
    /// <exception cref="InvalidModelException">When the manifest is invalid, the file's hash differs from the pinned one, or ONNX Runtime rejects the graph.</exception>
    public static OnnxModel LoadDirectory(string directory, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No model folder at {directory}.");
        }

        var manifest = ModelManifest.Load(Path.Combine(directory, ModelManifest.FileName));
        return Load(Path.Combine(directory, manifest.File), manifest, threads);
    }

    /// <summary>Loads an .onnx file, optionally with its manifest.</summary>
    /// <param name="onnxPath">The .onnx file.</param>
    /// <param name="manifest">Its manifest; null for a bare graph (text models then run on token ids only). When it pins a SHA-256 the file must match.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads; null (the default) lets ONNX Runtime choose (one per core).</param>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="threads"/> is below 1.</exception>
    /// <exception cref="InvalidModelException">When the file's hash differs from the manifest's or ONNX Runtime rejects the bytes (empty, truncated, not ONNX, unsupported operator).</exception>
    public static OnnxModel Load(string onnxPath, ModelManifest? manifest = null, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        if (threads is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(threads));
        }

        var fullPath = Path.GetFullPath(onnxPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No ONNX model at {fullPath}.", fullPath);
        }

        // Hash and load the same bytes, so the identity is that of what actually runs.
        var bytes = File.ReadAllBytes(fullPath);
        var sha256 = Bytes32.Sha256(bytes);
        if (manifest?.Sha256 is { } pinned && !string.Equals(pinned, sha256.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidModelException($"{fullPath} has SHA-256 {sha256}, but its manifest pins {pinned}.");
        }

        if (bytes.Length == 0)
        {
            throw new InvalidModelException($"{fullPath} is empty.");
        }

        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (threads is { } n)
        {
            options.IntraOpNumThreads = n;
        }

        try
        {
            var session = new InferenceSession(bytes, options);
            return new OnnxModel(fullPath, sha256, bytes.Length, manifest, session);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidModelException($"ONNX Runtime cannot load {fullPath}: {e.Message}", e);
        }
    }

    /// <summary>Frees the native session.</summary>
    public void Dispose() => Session.Dispose();
}
