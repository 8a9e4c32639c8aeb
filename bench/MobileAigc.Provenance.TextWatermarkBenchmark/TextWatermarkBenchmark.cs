using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.TextWatermarkBenchmark;

/// <summary>
/// Measures the text watermark on the shipped text model at its default sampling settings:
/// the share of watermarked generations detected (z ≥ threshold) after 50 to 200 tokens, the
/// z-scores of unwatermarked generations and of human-written passages the model never saw, and
/// generation speed. Writes a Markdown report (default docs/benchmarks/text-watermark.md).
/// </summary>
public static class TextWatermarkBenchmark
{
    private static readonly int[] Checkpoints = [50, 100, 150, 200];

    /// <summary>Runs the benchmark; options <c>--texts N</c> (100), <c>--tokens N</c> (200), <c>--delta D</c>, <c>--gamma G</c>, <c>--context-width W</c> (library defaults), <c>--model DIR</c>, <c>--out FILE</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var root = RepositoryPaths.Root;
        var modelDir = options.GetValueOrDefault("--model") ?? Path.Combine(root, "models", "kjv-char-mlp");
        var output = options.GetValueOrDefault("--out") ?? Path.Combine(root, "docs", "benchmarks", "text-watermark.md");
        var texts = int.Parse(options.GetValueOrDefault("--texts") ?? "100", CultureInfo.InvariantCulture);
        var tokens = int.Parse(options.GetValueOrDefault("--tokens") ?? "200", CultureInfo.InvariantCulture);
        var defaults = new TextWatermarkOptions();
        var watermarkOptions = defaults with
        {
            Delta = double.Parse(options.GetValueOrDefault("--delta") ?? defaults.Delta.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            Gamma = double.Parse(options.GetValueOrDefault("--gamma") ?? defaults.Gamma.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            ContextWidth = int.Parse(options.GetValueOrDefault("--context-width") ?? defaults.ContextWidth.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        };

        // A fixed, published key: the benchmark must be repeatable, and nothing real is marked with it.
        var key = WatermarkKey.FromBytes(SHA256.HashData("MobileAigc.Provenance text watermark benchmark"u8));
        var watermark = new TextWatermark(key, watermarkOptions);
        var otherKey = new TextWatermark(WatermarkKey.FromBytes(SHA256.HashData("another key"u8)), watermarkOptions);

        using var model = OnnxModel.LoadDirectory(modelDir);
        var generator = new TextGenerator(model);
        var tokenizer = generator.Tokenizer!;
        var vocabulary = generator.VocabularySize!.Value;
        var sampling = TextGenerationOptions.FromManifest(model.Manifest) with { MaxNewTokens = tokens };
        var prompts = Prompts(Path.Combine(root, "models", "corpus", "kjv.txt"), texts);

        Console.WriteLine($"model {model.Manifest!.Name} {model.Sha256}; {texts} texts x {tokens} tokens; gamma {watermarkOptions.Gamma}, delta {watermarkOptions.Delta}, context {watermarkOptions.ContextWidth}");
        generator.Generate("warm up", sampling with { MaxNewTokens = 20 });

        var marked = new List<double[]>();
        var plain = new List<double>();
        var wrongKey = new List<double>();
        var generated = 0L;
        var generationTime = TimeSpan.Zero;
        string? example = null;
        for (var i = 0; i < texts; i++)
        {
            var run = sampling with { Seed = (ulong)(1000 + i) };
            var clock = Stopwatch.StartNew();
            var result = generator.Generate(prompts[i], run, watermark.Bias);
            generationTime += clock.Elapsed;
            generated += result.Tokens.Count;
            example ??= prompts[i] + result.Text;

            // Detect from the text alone, as a verifier would: re-tokenize what was published.
            var ids = tokenizer.Encode(result.Text);
            marked.Add([.. Checkpoints.Select(n => watermark.Detect(ids.AsSpan(0, Math.Min(n, ids.Length)), vocabulary).ZScore)]);
            wrongKey.Add(otherKey.Detect(ids, vocabulary).ZScore);

            var unmarked = generator.Generate(prompts[i], run);
            plain.Add(watermark.Detect(tokenizer.Encode(unmarked.Text), vocabulary).ZScore);
        }

        var human = new Dictionary<string, List<(double Z, int Scored)>>();
        foreach (var file in new[] { "factbook-backgrounds.txt", "kjv-luke-passages.txt" })
        {
            var path = Path.Combine(AppContext.BaseDirectory, "data", file);
            human[file] = [.. (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).Select(line =>
            {
                var detection = watermark.Detect(tokenizer.Encode(line), vocabulary);
                return (detection.ZScore, detection.ScoredTokens);
            })];
        }

        var report = Report(model, watermarkOptions, sampling, texts, tokens, marked, plain, wrongKey, human, generated / generationTime.TotalSeconds, example!);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report);
        Console.WriteLine(report);
        Console.WriteLine($"wrote {output}");
        var detected = marked.Count(z => z[^1] >= watermarkOptions.ZThreshold) / (double)texts;
        var falsePositives = human.Values.Sum(list => list.Count(h => h.Z >= watermarkOptions.ZThreshold));
        return detected >= 0.95 && falsePositives == 0 ? 0 : 1;
    }

    private static string Report(
        OnnxModel model,
        TextWatermarkOptions watermark,
        TextGenerationOptions sampling,
        int texts,
        int tokens,
        List<double[]> marked,
        List<double> plain,
        List<double> wrongKey,
        Dictionary<string, List<(double Z, int Scored)>> human,
        double tokensPerSecond,
        string example)
    {
        var t = watermark.ZThreshold;
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("# Text watermark benchmark");
        s.AppendLine();
        s.AppendLine("Written by `bench/MobileAigc.Provenance.TextWatermarkBenchmark` (do not edit by hand). Command:");
        s.AppendLine();
        s.AppendLine("```");
        s.AppendLine("dotnet run -c Release --project bench/MobileAigc.Provenance.TextWatermarkBenchmark");
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine(c, $"- Machine: {Machine()}, .NET {Environment.Version}, ONNX Runtime CPU; run {TimeProvider.System.GetUtcNow():yyyy-MM-dd}.");
        s.AppendLine(c, $"- Model: `{model.Manifest!.Name}` ({model.SizeBytes:N0} bytes, SHA-256 `{model.Sha256}`), default sampling: temperature {sampling.Temperature}, top-k {sampling.TopK}, top-p {sampling.TopP}.");
        s.AppendLine(c, $"- Watermark: gamma {watermark.Gamma}, delta {watermark.Delta}, context width {watermark.ContextWidth}, threshold z >= {t}; each (context, token) pair scored once.");
        s.AppendLine(c, $"- {texts} watermarked generations of {tokens} tokens (seeds 1000..{999 + texts}, prompts: the first three words of evenly spaced verses of the training text); the detector sees only the generated text, re-tokenized.");
        s.AppendLine();
        s.AppendLine("## Watermarked generations");
        s.AppendLine();
        s.AppendLine("| tokens | detected (z >= " + t.ToString(c) + ") | median z | lowest z |");
        s.AppendLine("| ---: | ---: | ---: | ---: |");
        for (var k = 0; k < Checkpoints.Length && Checkpoints[k] <= tokens; k++)
        {
            var zs = marked.Select(z => z[k]).ToList();
            s.AppendLine(c, $"| {Checkpoints[k]} | {zs.Count(z => z >= t)}/{texts} ({100.0 * zs.Count(z => z >= t) / texts:F0} %) | {Median(zs):F2} | {zs.Min():F2} |");
        }

        s.AppendLine();
        s.AppendLine("## Texts without the watermark (must stay below the threshold)");
        s.AppendLine();
        s.AppendLine("| texts | count | above threshold | median z | highest z |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        s.AppendLine(c, $"| model output without watermark (same prompts and seeds) | {plain.Count} | {plain.Count(z => z >= t)} | {Median(plain):F2} | {plain.Max():F2} |");
        s.AppendLine(c, $"| watermarked output, detector with another key | {wrongKey.Count} | {wrongKey.Count(z => z >= t)} | {Median(wrongKey):F2} | {wrongKey.Max():F2} |");
        foreach (var (file, results) in human)
        {
            var label = file.StartsWith("factbook", StringComparison.Ordinal)
                ? "human: CIA World Factbook country backgrounds (public domain)"
                : "human: KJV Gospel of Luke, 5-verse passages (not in the training text)";
            var zs = results.Select(r => r.Z).ToList();
            s.AppendLine(c, $"| {label}, median {Median(results.Select(r => (double)r.Scored).ToList()):F0} scored tokens | {zs.Count} | {zs.Count(z => z >= t)} | {Median(zs):F2} | {zs.Max():F2} |");
        }

        s.AppendLine();
        s.AppendLine("## Speed");
        s.AppendLine();
        s.AppendLine(c, $"Generation with the watermark: {tokensPerSecond:F0} tokens/s (one sequence at a time, ONNX Runtime default threads, the model fed its last {model.Manifest.Text!.ContextLength} tokens per step).");
        s.AppendLine();
        s.AppendLine("## Example (first watermarked generation, prompt included)");
        s.AppendLine();
        s.AppendLine("> " + example.Replace("\n", "\n> ", StringComparison.Ordinal));
        return s.ToString();
    }

    private static List<string> Prompts(string corpusPath, int count)
    {
        var lines = File.ReadAllLines(corpusPath);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var words = lines[(int)((long)i * lines.Length / count)].Split(' ');
            return string.Join(' ', words.Take(3)) + " ";
        })];
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}";
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        return options;
    }
}
