using Google.Protobuf;
using Onnx;

namespace MobileAigc.Provenance.Training.Onnx;

/// <summary>
/// Writes an ONNX graph node by node with the official <c>onnx.proto</c> classes (OnnxSharp).
/// Output is deterministic: nodes, initializers and attributes are written in the order given, and
/// protobuf encodes them without maps, so the same calls give the same bytes.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>The default operator set: ONNX opset 17.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The IR version written: 8 (ONNX 1.10+), read by every ONNX Runtime since 1.10.</summary>
    public const int IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly int _opset;
    private readonly List<StringStringEntryProto> _metadata = [];
    private int _nodeCount;

    /// <summary>An empty graph named <paramref name="name"/> for operator set <paramref name="opset"/> (default 17).</summary>
    /// <exception cref="ArgumentException">When the name is empty.</exception>
    public OnnxGraphBuilder(string name, int opset = DefaultOpset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _graph = new GraphProto { Name = name };
        _opset = opset;
    }

    /// <summary>Declares a graph input; <paramref name="shape"/> holds numbers for fixed dimensions and names for free ones.</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] shape)
    {
        _graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>Declares a graph output.</summary>
    public string Output(string name, TensorProto.Types.DataType type, params object[] shape)
    {
        _graph.Output.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>A float constant stored in the graph (little-endian raw data).</summary>
    public string Initializer(string name, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        EnsureCount(values.Length, dims);
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        AddInitializer(name, TensorProto.Types.DataType.Float, bytes, dims);
        return name;
    }

    /// <summary>An int64 constant stored in the graph.</summary>
    public string Initializer(string name, long[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        EnsureCount(values.Length, dims);
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }

        AddInitializer(name, TensorProto.Types.DataType.Int64, bytes, dims);
        return name;
    }

    /// <summary>Adds a node and returns the name of its (single) output.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>MatMul</c>.</param>
    /// <param name="output">The output's name.</param>
    /// <param name="inputs">The input names ("" for an omitted optional input).</param>
    /// <param name="attributes">Attributes: <c>long</c>, <c>long[]</c>, <c>float</c> or <c>float[]</c> values.</param>
    public string Node(string opType, string output, string[] inputs, params (string Name, object Value)[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodeCount++}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(value switch
            {
                long i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                int i => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = i },
                float f => new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f },
                long[] ints => Ints(name, ints),
                float[] floats => Floats(name, floats),
                _ => throw new ArgumentException($"Unsupported attribute type {value?.GetType().Name} for '{name}'.", nameof(attributes)),
            });
        }

        _graph.Node.Add(node);
        return output;
    }

    /// <summary>
    /// Adds an entry to the model's <c>metadata_props</c> (written in the order added), so that the file's bytes,
    /// hence its SHA-256, commit to it. ONNX Runtime exposes them as custom metadata.
    /// </summary>
    /// <exception cref="ArgumentException">When the key is empty or already added.</exception>
    public void Metadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_metadata.Exists(e => e.Key == key))
        {
            throw new ArgumentException($"Metadata key '{key}' is already set.", nameof(key));
        }

        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>The finished model: IR version <see cref="IrVersion"/>, the default ONNX domain at the chosen opset.</summary>
    public ModelProto Build(string producerName, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = producerName,
            ProducerVersion = "1",
            Domain = "mobileaigc.provenance",
            ModelVersion = 1,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = _opset });
        model.MetadataProps.AddRange(_metadata);
        return model;
    }

    /// <summary>The model's bytes, as written to a .onnx file.</summary>
    public byte[] ToBytes(string producerName, string docString) => Build(producerName, docString).ToByteArray();

    private void AddInitializer(string name, TensorProto.Types.DataType type, byte[] raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
    }

    private static void EnsureCount(int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
        {
            throw new ArgumentException($"{count} values do not fill dimensions [{string.Join(", ", dims)}].", nameof(dims));
        }
    }

    private static AttributeProto Ints(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static AttributeProto Floats(string name, float[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim switch
            {
                int n => new TensorShapeProto.Types.Dimension { DimValue = n },
                long n => new TensorShapeProto.Types.Dimension { DimValue = n },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"A dimension is a number or a name, not {dim?.GetType().Name}.", nameof(shape)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }
}
