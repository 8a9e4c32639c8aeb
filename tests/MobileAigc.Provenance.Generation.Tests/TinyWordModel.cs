using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Training.Onnx;
using static Onnx.TensorProto.Types;

namespace MobileAigc.Provenance.Generation.Tests;

/// <summary>
/// A causal language model unlike the shipped one, built on the fly: a word-level bigram table
/// (logits = table[token]) with an attention_mask input, so the generator is shown to work with any
/// graph of the standard signature. Its most likely path is "the cat sat on the mat . &lt;/s&gt;".
/// </summary>
internal static class TinyWordModel
{
    public static readonly string[] Vocabulary = ["<s>", "</s>", "<unk>", "the", "cat", "sat", "on", "mat", "."];

    private static readonly (string From, string To)[] Likely =
    [
        ("<s>", "the"), ("the", "cat"), ("cat", "sat"), ("sat", "on"), ("on", "the"), ("mat", "."), (".", "</s>"),
    ];

    public static byte[] OnnxBytes()
    {
        var v = Vocabulary.Length;
        var table = new float[v * v];
        for (var from = 0; from < v; from++)
        {
            for (var to = 0; to < v; to++)
            {
                // Every word possible, one strongly preferred; "the" is followed by cat or mat.
                table[(from * v) + to] = 0.1f * ((from + (2 * to)) % 5);
            }
        }

        foreach (var (from, to) in Likely)
        {
            table[(Array.IndexOf(Vocabulary, from) * v) + Array.IndexOf(Vocabulary, to)] = 6f;
        }

        table[(Array.IndexOf(Vocabulary, "the") * v) + Array.IndexOf(Vocabulary, "mat")] = 5.5f;

        var g = new OnnxGraphBuilder("tiny_word_bigram");
        var ids = g.Input("input_ids", DataType.Int64, "batch", "sequence");
        var mask = g.Input("attention_mask", DataType.Int64, "batch", "sequence");
        g.Output("logits", DataType.Float, "batch", "sequence", v);
        var weights = g.Initializer("bigram", table, v, v);
        var masked = g.Node("Mul", "masked", [ids, mask]);
        g.Node("Gather", "logits", [weights, masked], ("axis", 0L));
        return g.ToBytes("tests", "word-level bigram test model");
    }

    public static ModelManifest Manifest() => new()
    {
        Name = "tiny-word-bigram",
        Kind = ModelKind.Text,
        Text = new TextModelSection
        {
            Tokenizer = new TokenizerDescription
            {
                Kind = "word",
                Vocabulary = Vocabulary,
                BosTokenId = 0,
                EosTokenId = 1,
                UnknownTokenId = 2,
            },
            Defaults = new TextGenerationDefaults { Temperature = 0.7, TopK = 3, TopP = 0.9, MaxNewTokens = 20 },
        },
    };

    /// <summary>Writes model.onnx and manifest.json to <paramref name="folder"/>.</summary>
    public static void WriteTo(string folder)
    {
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), OnnxBytes());
        File.WriteAllText(Path.Combine(folder, ModelManifest.FileName), Manifest().ToJson());
    }
}
