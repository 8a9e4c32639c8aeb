using System.Buffers.Binary;
using Google.Protobuf;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using Onnx;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// The colour head of a CPPN image graph (<see cref="CppnImageModel"/> or a derivative of it), read from
/// and written back into its ONNX initializers: before the gain and the sigmoid, each pixel's colour logits are
/// <c>h₃·W + h₂·M + latent·Z + b</c>, where h₃ and h₂ are the outputs of the last and first hidden layers.
/// The pattern layers before it stay fixed; fine-tuning changes only W, M, Z and b.
/// </summary>
/// <remarks>
/// The shipped graph has no bias b: the first fine-tuning adds initializer <see cref="BiasName"/> with an
/// <c>Add</c> just before the gain, so image-to-image at strength 0 still gives the input back.
/// </remarks>
internal sealed class CppnColourHead
{
    /// <summary>The head's weights on the last hidden layer, [H₃, 3].</summary>
    public const string WeightName = "rgb.weight";

    /// <summary>The head's weights on the first hidden layer, [H₂, 3].</summary>
    public const string Mix1Name = "rgb.mix1";

    /// <summary>The head's weights on the latent (the picture's tint), [L, 3].</summary>
    public const string LatentWeightName = "rgb.latent";

    /// <summary>The scalar gain before the sigmoid, [1].</summary>
    public const string GainName = "rgb.gain";

    /// <summary>The colour bias a fine-tuned head adds, [3].</summary>
    public const string BiasName = "rgb.bias";

    /// <summary>The widest layer (and longest latent) accepted: 256, which bounds the features a run keeps to about 270 MB.</summary>
    public const int MaxWidth = 256;

    private const string LatentInput = "latent";

    private CppnColourHead(string lastHidden, string firstHidden, int lastWidth, int firstWidth, int latentWidth, float gain, double[] parameters)
    {
        LastHidden = lastHidden;
        FirstHidden = firstHidden;
        LastWidth = lastWidth;
        FirstWidth = firstWidth;
        LatentWidth = latentWidth;
        Gain = gain;
        Parameters = parameters;
    }

    /// <summary>The tensor holding h₃, the last hidden layer's output.</summary>
    public string LastHidden { get; }

    /// <summary>The tensor holding h₂, the first hidden layer's output.</summary>
    public string FirstHidden { get; }

    /// <summary>H₃, the width of h₃.</summary>
    public int LastWidth { get; }

    /// <summary>H₂, the width of h₂.</summary>
    public int FirstWidth { get; }

    /// <summary>L, the latent's length.</summary>
    public int LatentWidth { get; }

    /// <summary>The fixed gain before the sigmoid.</summary>
    public float Gain { get; }

    /// <summary>W, M, Z (row-major, 3 columns each) and b, in that order: what training changes.</summary>
    public double[] Parameters { get; }

    /// <summary>Where M starts in <see cref="Parameters"/>.</summary>
    public int Mix1Offset => LastWidth * 3;

    /// <summary>Where Z starts in <see cref="Parameters"/>.</summary>
    public int LatentOffset => Mix1Offset + (FirstWidth * 3);

    /// <summary>Where b starts in <see cref="Parameters"/>.</summary>
    public int BiasOffset => LatentOffset + (LatentWidth * 3);

    /// <summary>Finds the head in <paramref name="model"/>.</summary>
    /// <exception cref="InvalidModelException">When the graph lacks the head's initializers or nodes, or their shapes disagree.</exception>
    public static CppnColourHead Read(ModelProto model)
    {
        var graph = model.Graph ?? throw new InvalidModelException("The ONNX file holds no graph.");
        var (weight, lastWidth) = Matrix(graph, WeightName);
        var (mix1, firstWidth) = Matrix(graph, Mix1Name);
        var (latentWeight, latentWidth) = Matrix(graph, LatentWeightName);
        var gain = Values(graph, GainName);
        if (gain.Length != 1)
        {
            throw new InvalidModelException($"Initializer '{GainName}' must hold one value, not {gain.Length}.");
        }

        var lastHidden = MatMulInput(graph, WeightName);
        var firstHidden = MatMulInput(graph, Mix1Name);
        if (MatMulInput(graph, LatentWeightName) != LatentInput)
        {
            throw new InvalidModelException($"'{LatentWeightName}' must multiply the graph input '{LatentInput}'.");
        }

        var gainNode = GainNode(graph);
        var bias = new double[3];
        if (graph.Initializer.Any(t => t.Name == BiasName))
        {
            var values = Values(graph, BiasName);
            var biasNode = graph.Node.SingleOrDefault(n => n.OpType == "Add" && n.Input.Count == 2 && n.Input[1] == BiasName);
            if (values.Length != 3 || biasNode is null || biasNode.Output[0] != gainNode.Input[0])
            {
                throw new InvalidModelException($"Initializer '{BiasName}' must hold 3 values added just before the gain.");
            }

            bias = [.. values.Select(v => (double)v)];
        }

        double[] parameters = [.. weight.Select(v => (double)v), .. mix1.Select(v => (double)v), .. latentWeight.Select(v => (double)v), .. bias];
        return new CppnColourHead(lastHidden, firstHidden, lastWidth, firstWidth, latentWidth, gain[0], parameters);
    }

    /// <summary>
    /// Writes <paramref name="parameters"/> into <paramref name="model"/> (a copy of the graph this head was read from),
    /// adding the bias and its node when the graph has none.
    /// </summary>
    public void WriteInto(ModelProto model, double[] parameters)
    {
        if (parameters.Length != Parameters.Length)
        {
            throw new ArgumentException($"Expected {Parameters.Length} parameters, got {parameters.Length}.", nameof(parameters));
        }

        var graph = model.Graph;
        SetValues(graph, WeightName, parameters.AsSpan(0, Mix1Offset));
        SetValues(graph, Mix1Name, parameters.AsSpan(Mix1Offset, LatentOffset - Mix1Offset));
        SetValues(graph, LatentWeightName, parameters.AsSpan(LatentOffset, BiasOffset - LatentOffset));
        var bias = parameters.AsSpan(BiasOffset, 3);
        if (graph.Initializer.Any(t => t.Name == BiasName))
        {
            SetValues(graph, BiasName, bias);
            return;
        }

        var tensor = new TensorProto { Name = BiasName, DataType = (int)TensorProto.Types.DataType.Float, RawData = Raw(bias) };
        tensor.Dims.Add(3);
        graph.Initializer.Add(tensor);
        var gainNode = GainNode(graph);
        var biased = new NodeProto { OpType = "Add", Name = "Add_rgb_bias", Output = { "rgb_pre_biased" } };
        biased.Input.Add(gainNode.Input[0]);
        biased.Input.Add(BiasName);
        graph.Node.Insert(graph.Node.IndexOf(gainNode), biased);
        gainNode.Input[0] = biased.Output[0];
    }

    private static NodeProto GainNode(GraphProto graph) =>
        graph.Node.SingleOrDefault(n => n.OpType == "Mul" && n.Input.Count == 2 && n.Input[1] == GainName)
            ?? throw new InvalidModelException($"The graph has no single 'Mul' by '{GainName}'.");

    private static string MatMulInput(GraphProto graph, string weight)
    {
        var nodes = graph.Node.Where(n => n.Input.Contains(weight)).ToList();
        if (nodes is not [{ OpType: "MatMul" } node] || node.Input.Count != 2 || node.Input[1] != weight)
        {
            throw new InvalidModelException($"Initializer '{weight}' must be the right operand of exactly one 'MatMul'.");
        }

        return node.Input[0];
    }

    private static (float[] Values, int Rows) Matrix(GraphProto graph, string name)
    {
        var tensor = Tensor(graph, name);
        if (tensor.Dims.Count != 2 || tensor.Dims[1] != 3 || tensor.Dims[0] is < 1 or > MaxWidth)
        {
            throw new InvalidModelException($"Initializer '{name}' must be [n, 3] with n from 1 to {MaxWidth}, not [{string.Join(", ", tensor.Dims)}].");
        }

        return (Values(graph, name), (int)tensor.Dims[0]);
    }

    private static TensorProto Tensor(GraphProto graph, string name) =>
        graph.Initializer.SingleOrDefault(t => t.Name == name)
            ?? throw new InvalidModelException($"The graph has no single initializer '{name}': it is not a CPPN image network with a colour head.");

    private static float[] Values(GraphProto graph, string name)
    {
        var tensor = Tensor(graph, name);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new InvalidModelException($"Initializer '{name}' must hold floats.");
        }

        var count = tensor.Dims.Aggregate(1L, (a, b) => a * b);
        float[] values = tensor.RawData.Length > 0
            ? [.. Enumerable.Range(0, tensor.RawData.Length / sizeof(float)).Select(i => BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span[(i * sizeof(float))..]))]
            : [.. tensor.FloatData];
        if (values.Length != count || (tensor.RawData.Length > 0 && tensor.RawData.Length != count * sizeof(float)))
        {
            throw new InvalidModelException($"Initializer '{name}' holds {values.Length} values for dimensions [{string.Join(", ", tensor.Dims)}].");
        }

        if (values.Any(v => !float.IsFinite(v)))
        {
            throw new InvalidModelException($"Initializer '{name}' holds a value that is not finite.");
        }

        return values;
    }

    private static void SetValues(GraphProto graph, string name, ReadOnlySpan<double> values)
    {
        var tensor = Tensor(graph, name);
        tensor.FloatData.Clear();
        tensor.RawData = Raw(values);
    }

    private static ByteString Raw(ReadOnlySpan<double> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), (float)values[i]);
        }

        return ByteString.CopyFrom(bytes);
    }
}
