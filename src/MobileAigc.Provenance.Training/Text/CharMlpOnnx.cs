using MobileAigc.Provenance.Training.Onnx;
using static Onnx.TensorProto.Types;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// Writes a <see cref="CharMlp"/> as a causal language model with the Hugging Face signature:
/// <c>input_ids</c> int64 [batch, sequence] and <c>attention_mask</c> int64 [batch, sequence] in,
/// <c>logits</c> float [batch, sequence, vocabulary] out. Position t sees tokens t−C+1..t only:
/// the ids are left-padded with C pad tokens, embedded once, and C shifted slices are concatenated.
/// Masked positions (mask 0) read as padding, so left-padded batches work.
/// </summary>
public static class CharMlpOnnx
{
    /// <summary>The producer name the shipped model's file carries.</summary>
    public const string DefaultProducer = "MobileAigc.Provenance.ModelBuilder";

    /// <summary>The graph's name.</summary>
    public const string GraphName = "char_mlp_lm";

    /// <summary>The model's ONNX bytes, produced by <see cref="DefaultProducer"/>, without metadata.</summary>
    public static byte[] Export(CharMlp model, string docString) => Export(model, docString, DefaultProducer, []);

    /// <summary>
    /// The model's ONNX bytes with <paramref name="metadata"/> as the file's <c>metadata_props</c> (in the order given),
    /// so the file's SHA-256 commits to them.
    /// </summary>
    /// <exception cref="ArgumentException">When a metadata key is empty or repeated.</exception>
    public static byte[] Export(CharMlp model, string docString, string producer, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(producer);
        ArgumentNullException.ThrowIfNull(metadata);
        var g = new OnnxGraphBuilder(GraphName);
        foreach (var (key, value) in metadata)
        {
            g.Metadata(key, value);
        }

        var ids = g.Input("input_ids", DataType.Int64, "batch", "sequence");
        var mask = g.Input("attention_mask", DataType.Int64, "batch", "sequence");
        g.Output("logits", DataType.Float, "batch", "sequence", model.Vocabulary);

        var emb = g.Initializer("embedding", model.Emb, model.Vocabulary, model.Embedding);
        var w1 = g.Initializer("hidden.weight", model.W1, model.InputWidth, model.Hidden);
        var b1 = g.Initializer("hidden.bias", model.B1, model.Hidden);
        var w2 = g.Initializer("output.weight", model.W2, model.Hidden, model.Vocabulary);
        var b2 = g.Initializer("output.bias", model.B2, model.Vocabulary);
        var pads = g.Initializer("pads", new long[] { 0, model.Context, 0, 0 }, 4);
        var padValue = g.Initializer("pad_value", new long[] { CharVocabulary.PadId });
        var axis1 = g.Initializer("axis_1", new long[] { 1 }, 1);

        // Masked tokens become the pad id (0), which is also what lies before the text.
        var masked = g.Node("Mul", "masked_ids", [ids, mask]);
        var padded = g.Node("Pad", "padded_ids", [masked, pads, padValue]);
        var embedded = g.Node("Gather", "embedded", [emb, padded], ("axis", 0L));
        var length = g.Node("Shape", "sequence_length", [ids], ("start", 1L), ("end", 2L));

        var slices = new string[model.Context];
        for (var j = 1; j <= model.Context; j++)
        {
            var start = g.Initializer($"slice_start_{j}", new long[] { j }, 1);
            var end = g.Node("Add", $"slice_end_{j}", [length, start]);
            slices[j - 1] = g.Node("Slice", $"context_{j}", [embedded, start, end, axis1]);
        }

        var features = g.Node("Concat", "features", slices, ("axis", 2L));
        var hiddenPre = g.Node("Add", "hidden_pre", [g.Node("MatMul", "hidden_mm", [features, w1]), b1]);
        var hidden = g.Node("Tanh", "hidden", [hiddenPre]);
        g.Node("Add", "logits", [g.Node("MatMul", "logits_mm", [hidden, w2]), b2]);
        return g.ToBytes(producer, docString);
    }
}
