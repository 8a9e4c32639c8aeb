using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using Onnx;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Runs the fixed pattern layers of a CPPN image graph through ONNX Runtime: a copy of the graph that also
/// outputs the two hidden layers the colour head reads (h₃ and h₂), so training sees exactly the features the
/// served model computes. It runs on one thread so that the features, hence the derivative's bytes, do not
/// depend on the machine's core count. Dispose it to free the native session.
/// </summary>
internal sealed class CppnFeatureProbe : IDisposable
{
    private const string LatentName = "latent";
    private const string CoordinatesName = "coords";
    private const string InitName = "init";
    private const string StrengthName = "strength";
    private const string RgbName = "rgb";

    private readonly InferenceSession _session;
    private readonly CppnColourHead _head;
    private readonly string[] _coordinates;
    private readonly bool _takesInit;

    /// <summary>A probe over <paramref name="model"/> (not modified), whose head is <paramref name="head"/>.</summary>
    /// <exception cref="InvalidModelException">When ONNX Runtime rejects the graph or it lacks the image signature.</exception>
    public CppnFeatureProbe(ModelProto model, CppnColourHead head, IReadOnlyList<string> coordinates)
    {
        _head = head;
        _coordinates = [.. coordinates];
        var inputs = model.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        if (!inputs.Contains(LatentName) || !inputs.Contains(CoordinatesName) || model.Graph.Output.All(o => o.Name != RgbName))
        {
            throw new InvalidModelException($"An image model needs inputs '{LatentName}' and '{CoordinatesName}' and output '{RgbName}'.");
        }

        _takesInit = inputs.Contains(InitName) && inputs.Contains(StrengthName);
        var probe = model.Clone();
        probe.Graph.Output.Add(FeatureOutput(head.LastHidden, head.LastWidth));
        probe.Graph.Output.Add(FeatureOutput(head.FirstHidden, head.FirstWidth));
        // One thread: how ONNX Runtime splits an element-wise operator between threads can decide which
        // elements take its vectorised path, so only a fixed thread count gives the same features everywhere.
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = 1,
        };
        try
        {
            _session = new InferenceSession(probe.ToByteArray(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidModelException($"ONNX Runtime cannot load the image graph: {e.Message}", e);
        }
    }

    /// <summary>
    /// The hidden layers (and the graph's own colours) at <paramref name="count"/> points for one latent:
    /// <paramref name="points"/> holds x, y pairs in the generator's coordinate frame (−1..1 across the shorter side).
    /// Text-to-image: no input picture, strength 1.
    /// </summary>
    /// <exception cref="InvalidModelException">When the graph returns other shapes than [count, width].</exception>
    public CppnFeatures Run(float[] latent, ReadOnlySpan<float> points, int count)
    {
        var columns = _coordinates.Length;
        var coords = new float[count * columns];
        for (var i = 0; i < count; i++)
        {
            var (x, y) = (points[2 * i], points[(2 * i) + 1]);
            for (var c = 0; c < columns; c++)
            {
                coords[(i * columns) + c] = _coordinates[c] switch
                {
                    "x" => x,
                    "y" => y,
                    "r" => MathF.Sqrt((x * x) + (y * y)),
                    _ => 1f,
                };
            }
        }

        var grey = new float[_takesInit ? count * 3 : 0];
        Array.Fill(grey, 0.5f);
        using var latentValue = OrtValue.CreateTensorValueFromMemory(latent, [1, latent.Length]);
        using var coordsValue = OrtValue.CreateTensorValueFromMemory(coords, [count, columns]);
        using var initValue = OrtValue.CreateTensorValueFromMemory(grey, [count, 3]);
        using var strengthValue = OrtValue.CreateTensorValueFromMemory(new[] { 1f }, [1]);
        using var runOptions = new RunOptions();
        string[] names = _takesInit ? [LatentName, CoordinatesName, InitName, StrengthName] : [LatentName, CoordinatesName];
        OrtValue[] values = _takesInit ? [latentValue, coordsValue, initValue, strengthValue] : [latentValue, coordsValue];
        using var outputs = _session.Run(runOptions, names, values, [_head.LastHidden, _head.FirstHidden, RgbName]);
        return new CppnFeatures(
            Read(outputs[0], count, _head.LastWidth, _head.LastHidden),
            Read(outputs[1], count, _head.FirstWidth, _head.FirstHidden),
            Read(outputs[2], count, 3, RgbName));
    }

    /// <summary>Frees the native session.</summary>
    public void Dispose() => _session.Dispose();

    private static float[] Read(OrtValue value, int count, int width, string name)
    {
        var shape = value.GetTensorTypeAndShape().Shape;
        if (shape is not [var rows, var columns] || rows != count || columns != width)
        {
            throw new InvalidModelException($"Expected '{name}' [{count}, {width}]; the graph gave [{string.Join(", ", shape)}].");
        }

        return value.GetTensorDataAsSpan<float>().ToArray();
    }

    private static ValueInfoProto FeatureOutput(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "pixels" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}

/// <summary>The hidden layers the colour head reads at a set of points, row-major, and the graph's colours there.</summary>
/// <param name="Last">h₃, [count, H₃].</param>
/// <param name="First">h₂, [count, H₂].</param>
/// <param name="Rgb">The graph's own colours, [count, 3].</param>
internal sealed record CppnFeatures(float[] Last, float[] First, float[] Rgb);
