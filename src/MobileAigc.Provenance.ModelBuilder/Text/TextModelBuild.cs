using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.ModelBuilder.Text;

/// <summary>Builds <c>models/kjv-char-mlp</c>: trains on the corpus, writes model.onnx and manifest.json.</summary>
public static class TextModelBuild
{
    /// <summary>The model's name and folder.</summary>
    public const string Name = "kjv-char-mlp";

    /// <summary>The sampling defaults written to the manifest (the watermark benchmark runs at these).</summary>
    public static readonly TextGenerationDefaults Defaults = new() { Temperature = 1.0, TopK = 0, TopP = 0.95, MaxNewTokens = 200 };

    /// <summary>Trains and writes the model; returns the training result.</summary>
    public static CharMlpTrainingResult Run(string corpusPath, string outputDirectory, CharMlpTrainingOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var corpusBytes = File.ReadAllBytes(corpusPath);
        var corpus = Encoding.UTF8.GetString(corpusBytes);
        var vocabulary = CharVocabulary.FromText(corpus);
        var tokens = vocabulary.Encode(corpus);
        log($"corpus {corpusPath}: {corpus.Length:N0} characters, vocabulary {vocabulary.Size}");

        var result = CharMlpTrainer.Train(tokens, vocabulary.Size, options, log);
        log($"trained in {result.Elapsed.TotalSeconds:F0}s: train loss {result.TrainLoss:F4}, validation loss {result.ValidationLoss:F4} nats/char");

        var model = result.Model;
        var doc = $"Character-level MLP language model (context {model.Context}, embedding {model.Embedding}, hidden {model.Hidden}) trained on {Path.GetFileName(corpusPath)} (KJV, public domain).";
        var onnx = CharMlpOnnx.Export(model, doc);
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllBytes(Path.Combine(outputDirectory, "model.onnx"), onnx);

        var manifest = new ModelManifest
        {
            Name = Name,
            Kind = ModelKind.Text,
            Description = doc,
            Sha256 = "0x" + Convert.ToHexStringLower(SHA256.HashData(onnx)),
            Inputs =
            [
                new TensorDescription("input_ids", "int64", ["batch", "sequence"]),
                new TensorDescription("attention_mask", "int64", ["batch", "sequence"]),
            ],
            Outputs = [new TensorDescription("logits", "float", ["batch", "sequence", vocabulary.Size.ToString(CultureInfo.InvariantCulture)])],
            Text = new TextModelSection
            {
                Tokenizer = vocabulary.ToDescription(),
                ContextLength = model.Context,
                Defaults = Defaults,
            },
            Provenance = new Dictionary<string, string>
            {
                ["corpus"] = "models/corpus/" + Path.GetFileName(corpusPath),
                ["corpusSha256"] = "0x" + Convert.ToHexStringLower(SHA256.HashData(corpusBytes)),
                ["architecture"] = $"embedding {model.Embedding} x context {model.Context} -> tanh {model.Hidden} -> {model.Vocabulary}",
                ["parameters"] = model.Parameters.Sum(p => p.Length).ToString(CultureInfo.InvariantCulture),
                ["training"] = $"Adam, lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)} linear decay to a tenth, batch {options.BatchSize}, {options.Steps} steps, seed {options.Seed}",
                ["trainLoss"] = result.TrainLoss.ToString("F4", CultureInfo.InvariantCulture),
                ["validationLoss"] = result.ValidationLoss.ToString("F4", CultureInfo.InvariantCulture),
                ["builder"] = "scripts/build-models.sh (src/MobileAigc.Provenance.ModelBuilder)",
            },
        };
        File.WriteAllText(Path.Combine(outputDirectory, ModelManifest.FileName), manifest.ToJson());
        return result;
    }
}
