using System.Buffers.Binary;
using Google.Protobuf;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using Onnx;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>A character MLP read back from its ONNX file, with what the file says besides the weights.</summary>
/// <param name="Model">The weights.</param>
/// <param name="DocString">The model's doc string.</param>
/// <param name="Producer">The producer name.</param>
/// <param name="Metadata">The file's <c>metadata_props</c>, in file order.</param>
public sealed record CharMlpOnnxFile(CharMlp Model, string DocString, string Producer, IReadOnlyList<KeyValuePair<string, string>> Metadata);

/// <summary>
/// Reads a <see cref="CharMlp"/> back from the ONNX bytes <see cref="CharMlpOnnx"/> wrote: the weights from the
/// initializers by name, their shapes checked, then the whole file checked against a fresh export of those
/// weights, so a file that reads is exactly the graph <see cref="CharMlp.Forward"/> computes.
/// </summary>
public static class CharMlpOnnxReader
{
    /// <summary>Reads <paramref name="onnx"/>.</summary>
    /// <exception cref="InvalidModelException">When the bytes are not an ONNX model, an initializer is missing or has the wrong type or shape, or the graph is not the one <see cref="CharMlpOnnx"/> writes; the message says which.</exception>
    public static CharMlpOnnxFile Read(byte[] onnx)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(onnx);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidModelException($"The file is not an ONNX model: {e.Message}", e);
        }

        if (proto.Graph is null || proto.Graph.Name != CharMlpOnnx.GraphName)
        {
            throw new InvalidModelException($"The ONNX graph is '{proto.Graph?.Name}', not a character MLP ('{CharMlpOnnx.GraphName}').");
        }

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var tensor in proto.Graph.Initializer)
        {
            if (!initializers.TryAdd(tensor.Name, tensor))
            {
                throw new InvalidModelException($"The initializer '{tensor.Name}' appears twice.");
            }
        }

        var emb = Floats(initializers, "embedding", 2);
        var w1 = Floats(initializers, "hidden.weight", 2);
        var b1 = Floats(initializers, "hidden.bias", 1);
        var w2 = Floats(initializers, "output.weight", 2);
        var b2 = Floats(initializers, "output.bias", 1);
        var (vocabulary, embedding) = ((int)emb.Dims[0], (int)emb.Dims[1]);
        var hidden = (int)b1.Dims[0];
        if (w1.Dims[1] != hidden || w2.Dims[0] != hidden || w2.Dims[1] != vocabulary || b2.Dims[0] != vocabulary)
        {
            throw new InvalidModelException(
                $"The weights' shapes do not fit together: embedding [{vocabulary}, {embedding}], hidden.weight [{w1.Dims[0]}, {w1.Dims[1]}], " +
                $"hidden.bias [{hidden}], output.weight [{w2.Dims[0]}, {w2.Dims[1]}], output.bias [{b2.Dims[0]}].");
        }

        if (w1.Dims[0] % embedding != 0)
        {
            throw new InvalidModelException($"hidden.weight has {w1.Dims[0]} input rows, not a whole number of {embedding}-wide embeddings.");
        }

        var model = new CharMlp(vocabulary, (int)(w1.Dims[0] / embedding), embedding, hidden, emb.Values, w1.Values, b1.Values, w2.Values, b2.Values);
        var metadata = proto.MetadataProps.Select(e => KeyValuePair.Create(e.Key, e.Value)).ToList();
        byte[] again;
        try
        {
            again = CharMlpOnnx.Export(model, proto.DocString, string.IsNullOrWhiteSpace(proto.ProducerName) ? "?" : proto.ProducerName, metadata);
        }
        catch (ArgumentException e)
        {
            throw new InvalidModelException($"The file's metadata cannot be written back: {e.Message}", e);
        }

        if (!again.AsSpan().SequenceEqual(onnx))
        {
            throw new InvalidModelException(
                "The graph around the weights is not the one CharMlpOnnx writes (its nodes, inputs, outputs, constants or header differ), " +
                "so its output cannot be trusted to equal the managed network's.");
        }

        return new CharMlpOnnxFile(model, proto.DocString, proto.ProducerName, metadata);
    }

    private static (long[] Dims, float[] Values) Floats(Dictionary<string, TensorProto> initializers, string name, int rank)
    {
        if (!initializers.TryGetValue(name, out var tensor))
        {
            throw new InvalidModelException($"The graph has no initializer '{name}'.");
        }

        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidModelException($"The initializer '{name}' holds {(TensorProto.Types.DataType)tensor.DataType}, not float.");
        }

        var dims = tensor.Dims.ToArray();
        if (dims.Length != rank || dims.Any(d => d <= 0 || d > int.MaxValue / 4))
        {
            throw new InvalidModelException($"The initializer '{name}' has shape [{string.Join(", ", dims)}]; expected {rank} positive dimension(s).");
        }

        var count = dims.Aggregate(1L, (a, b) => a * b);
        if (count > int.MaxValue / sizeof(float) || tensor.RawData.Length != count * sizeof(float))
        {
            throw new InvalidModelException($"The initializer '{name}' has shape [{string.Join(", ", dims)}] but {tensor.RawData.Length} bytes of raw data.");
        }

        var raw = tensor.RawData.Span;
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
        }

        return (dims, values);
    }
}
