using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

/// <summary>
/// The detector at its defaults on the shipped text model's tokenizer: a CI-sized sample of the false-positive
/// measurement (bench/MobileAigc.Provenance.TextWatermarkBenchmark false-positives, docs/benchmarks/text-watermark-false-positives.md)
/// and the detection of watermarked generations of typical length (docs/benchmarks/text-watermark.md).
/// </summary>
public sealed class ShippedTextModelWatermarkTests
{
    /// <summary>The lengths in tokens the benchmark cycles through: short texts are where the normal approximation failed.</summary>
    private static readonly int[] Lengths = [12, 20, 30, 40, 50, 60, 80, 100, 150, 200, 300, 500, 800];

    private static readonly string ModelDirectory = Path.Combine(RepositoryPaths.Models, "kjv-char-mlp");

    private static readonly TextWatermark[] Watermarks = [.. Enumerable.Range(0, 4)
        .Select(i => new TextWatermark(WatermarkKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"false-positive sample key {i}")))))];

    [Fact]
    public void Detect_ThousandHumanPassagesAndThousandRandomTexts_NoFalsePositive()
    {
        using var model = OnnxModel.LoadDirectory(ModelDirectory);
        var tokenizer = new TextGenerator(model).Tokenizer!;
        var vocabulary = tokenizer.VocabularySize;
        var corpus = File.ReadAllText(Path.Combine(RepositoryPaths.Models, "corpus", "kjv.txt"));
        var random = new Random(12);
        var texts = new List<int[]>();
        for (int i = 0, start = corpus.Length / 3; i < 1000; start += Lengths[i % Lengths.Length], i++)
        {
            texts.Add(tokenizer.Encode(corpus.Substring(start, Lengths[i % Lengths.Length])));
        }

        for (var i = 0; i < 1000; i++)
        {
            texts.Add([.. Enumerable.Range(0, Lengths[i % Lengths.Length]).Select(_ => random.Next(vocabulary))]);
        }

        var detections = texts.Select((t, i) => Watermarks[i % Watermarks.Length].Detect(t, vocabulary)).ToList();

        Assert.Equal(0, detections.Count(d => d.IsWatermarked));

        // The exact test alone holds on every length too, the short texts the minimum sets aside included.
        Assert.Equal(0, detections.Count(d => d.LogPValue <= Math.Log(d.FalsePositiveRate)));
        Assert.InRange(detections.Count(d => d.Verdict == TextWatermarkVerdict.TooShortToTell), 300, 1000);

        // Calibration where 2,000 texts can see it: at most about 1 % of p-values at or below 0.01.
        Assert.InRange(detections.Count(d => d.PValue <= 0.01), 0, 40);
    }

    [Fact]
    public void Detect_WatermarkedGenerationsOfTwoHundredTokens_AreDetected()
    {
        using var model = OnnxModel.LoadDirectory(ModelDirectory);
        var generator = new TextGenerator(model);
        var tokenizer = generator.Tokenizer!;
        var watermark = Watermarks[0];
        var sampling = TextGenerationOptions.FromManifest(model.Manifest) with { MaxNewTokens = 200 };
        string[] prompts = ["In the beginning ", "And the LORD ", "Blessed is the ", "Then said Jesus ", "The words of "];

        // Detected from the published text alone, re-tokenized, as a verifier would.
        var detections = Enumerable.Range(0, 20)
            .Select(i => generator.Generate(prompts[i % prompts.Length], sampling with { Seed = (ulong)(500 + i) }, watermark.Bias).Text)
            .Select(text => watermark.Detect(tokenizer.Encode(text), tokenizer.VocabularySize))
            .ToList();

        Assert.All(detections, d => Assert.NotEqual(TextWatermarkVerdict.TooShortToTell, d.Verdict));
        Assert.True(detections.Count(d => d.IsWatermarked) >= 19, string.Join(", ", detections.Select(d => $"{d.GreenTokens}/{d.ScoredTokens} p={d.PValue:0.#e+0}")));
    }
}
