using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Testing.Text;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.TextWatermarkBenchmark;

/// <summary>
/// Measures whether the text watermark survives the edits people make (issue 17): watermarked generations of the shipped
/// model, then 25 % of their words replaced by random words of Debian's <c>wamerican</c> list, 10 % deleted, or 10 %
/// inserted (<see cref="WordEdits"/>, each attack on its own), detected at the ledger's threshold: the exact binomial
/// p-value times the number of node keys tried (Bonferroni) at most the false-positive rate. The same edits on the same
/// prompts' unwatermarked generations must stay below it. Also the model's own perplexity on what it generated with and
/// without the watermark (the price of the bias in text quality). Writes docs/benchmarks/text-watermark-edits.md.
/// </summary>
public static class EditRobustnessBenchmark
{
    /// <summary>Where <c>scripts/fetch-benchmark-data.sh</c> puts Debian's <c>wamerican</c> word list.</summary>
    public static string DefaultWordList => Path.Combine(
        Environment.GetEnvironmentVariable("MOBILEAIGC_DATA_CACHE") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mobileaigc-provenance"),
        "debian", "wamerican", "usr", "share", "dict", "american-english");

    /// <summary>The attacks, each with the seed base its <see cref="Random"/> starts from (seed = base + generation index).</summary>
    private static readonly Attack[] Attacks =
    [
        new("none", 0, 0, (_, text, _, _) => text),
        new("25 % of words replaced", 0.25, 17_000, (edits, text, share, random) => edits.Replace(text, share, random)),
        new("10 % of words deleted", 0.10, 27_000, (edits, text, share, random) => edits.Delete(text, share, random)),
        new("10 % of words inserted", 0.10, 37_000, (edits, text, share, random) => edits.Insert(text, share, random)),
    ];

    /// <summary>
    /// Runs it; options <c>--words FILE</c> (<see cref="DefaultWordList"/>), <c>--texts N</c> (100), <c>--tokens N</c> (200),
    /// <c>--keys K</c> (100, the Bonferroni factor), <c>--rate A</c> (1e-6, the corrected false-positive rate),
    /// <c>--delta D</c>, <c>--gamma G</c>, <c>--context-width W</c> (library defaults), <c>--out FILE</c>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = BenchmarkOptions.Parse(args);
        var root = RepositoryPaths.Root;
        var wordList = options.GetValueOrDefault("--words") ?? DefaultWordList;
        if (!File.Exists(wordList))
        {
            await Console.Error.WriteLineAsync($"error: the word list '{wordList}' is missing: run scripts/fetch-benchmark-data.sh wamerican (it fetches Debian's word list into the data cache), or pass --words FILE.");
            return 2;
        }

        var edits = WordEdits.Load(wordList);
        var output = options.GetValueOrDefault("--out") ?? Path.Combine(root, "docs", "benchmarks", "text-watermark-edits.md");
        var texts = options.Int("--texts", 100);
        var tokens = options.Int("--tokens", 200);
        var keys = options.Int("--keys", 100);
        var rate = options.Double("--rate", 1e-6);
        var watermarkOptions = options.Watermark();
        var key = WatermarkKey.FromBytes(SHA256.HashData("MobileAigc.Provenance text watermark benchmark"u8));
        var logThreshold = Math.Log(rate) - Math.Log(keys);

        using var model = OnnxModel.LoadDirectory(Path.Combine(root, "models", "kjv-char-mlp"));
        var generator = new TextGenerator(model);
        var vocabulary = generator.VocabularySize!.Value;
        var sampling = TextGenerationOptions.FromManifest(model.Manifest) with { MaxNewTokens = tokens };
        var prompts = TextWatermarkBenchmark.Prompts(Path.Combine(root, "models", "corpus", "kjv.txt"), texts);
        Console.WriteLine($"{texts} texts x {tokens} tokens; gamma {watermarkOptions.Gamma}, delta {watermarkOptions.Delta}, context {watermarkOptions.ContextWidth}; threshold p <= {rate:0.#e+0} / {keys} keys; {edits.Count:N0} words");

        var clock = Stopwatch.StartNew();
        var run = new Run(generator, edits, prompts, sampling);
        var result = run.Measure(new TextWatermark(key, watermarkOptions), collectExamples: true);
        var compared = options.GetValueOrDefault("--compare") is { } list ? list : "2,3,3.5";
        var comparisons = compared.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => double.Parse(d, CultureInfo.InvariantCulture))
            .Where(d => d != watermarkOptions.Delta)
            .Select(d => (Delta: d, Result: run.Measure(new TextWatermark(key, watermarkOptions with { Delta = d }), collectExamples: false)))
            .ToList();
        var (marked, plain, perplexity, examples, samples) = result;

        bool Detected(TextWatermarkDetection d) => d.Verdict != TextWatermarkVerdict.TooShortToTell && d.LogPValue <= logThreshold;
        var c = CultureInfo.InvariantCulture;
        var s = ReportHeader.Start(
            "Text watermark after word edits",
            "scripts/fetch-benchmark-data.sh wamerican   # Debian's word list into the data cache",
            "dotnet run -c Release --project bench/MobileAigc.Provenance.TextWatermarkBenchmark -- edits" + options.Echo());
        s.AppendLine(c, $"- Run {TimeProvider.System.GetUtcNow():yyyy-MM-dd} in {clock.Elapsed.TotalSeconds:F0} s on {Environment.ProcessorCount} cores, .NET {Environment.Version}, ONNX Runtime CPU.");
        s.AppendLine(c, $"- Model `{model.Manifest!.Name}` (SHA-256 `{model.Sha256}`), its tokenizer works on characters ({vocabulary} tokens); sampling: temperature {sampling.Temperature}, top-k {sampling.TopK}, top-p {sampling.TopP}.");
        s.AppendLine(c, $"- Watermark: gamma {watermarkOptions.Gamma}, delta {watermarkOptions.Delta}, context width {watermarkOptions.ContextWidth}; each (context, token) pair scored once.");
        s.AppendLine(c, $"- {texts} generations of {tokens} tokens, seeds 1000..{999 + texts}, prompts as in text-watermark.md; the detector sees only the generated text (prompt left out), edited, then re-tokenized.");
        s.AppendLine(c, $"- Detected: at least {watermarkOptions.MinimumScoredTokens} scored tokens and exact binomial p-value × {keys} (node keys tried, Bonferroni) at most {rate:0.#e+0}, i.e. p <= {Math.Exp(logThreshold):0.#e+0}.");
        s.AppendLine(c, $"- Words: `{Path.GetFileName(wordList)}` ({edits.Count:N0} words, used as listed: possessives and accented words included; characters outside the model's vocabulary become its unknown token).");
        s.AppendLine("- Attacks (one at a time, on the watermarked and on the unwatermarked text alike): a word is a maximal run of non-whitespace characters, punctuation included; with n words, round(share·n) are edited. *Replaced*: that many distinct words drawn uniformly (partial Fisher–Yates) each become a uniformly drawn list word. *Deleted*: that many distinct words drawn uniformly are removed with the whitespace before them. *Inserted*: that many list words, each placed with a following space before a uniformly drawn word of the text. The draws of text i come from .NET's `new Random(seed)` with seed = 17000 + i (replace), 27000 + i (delete), 37000 + i (insert), in that order (`tests/MobileAigc.Provenance.Testing/Text/WordEdits.cs`).");
        s.AppendLine();
        s.AppendLine("| attack | median scored | detected | median p | highest p | unwatermarked, same edit: detected | lowest p |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var a = 0; a < Attacks.Length; a++)
        {
            var detected = marked[a].Count(Detected);
            s.AppendLine(c, $"| {Attacks[a].Name} | {TextWatermarkBenchmark.Median(marked[a].Select(d => (double)d.ScoredTokens)):F0} | {detected}/{texts} ({100.0 * detected / texts:0.#} %) | {Math.Exp(TextWatermarkBenchmark.Median(marked[a].Select(d => d.LogPValue))):0.#e+0} | {marked[a].Max(d => d.PValue):0.#e+0} | {plain[a].Count(Detected)}/{texts} | {plain[a].Min(d => d.PValue):0.#e+0} |");
        }

        s.AppendLine();
        s.AppendLine(c, $"Text quality: the model's own perplexity (its unmodified distribution, temperature 1) on what it generated, median over the {texts} texts: {TextWatermarkBenchmark.Median(perplexity.Marked):F2} with the watermark, {TextWatermarkBenchmark.Median(perplexity.Plain):F2} without (same prompts and seeds).");
        s.AppendLine();
        s.AppendLine(c, $"## Other biases (same generations otherwise; detected of {texts} at the threshold above)");
        s.AppendLine();
        s.AppendLine("| delta | perplexity with / without | " + string.Join(" | ", Attacks.Select(a => a.Name)) + " |");
        s.AppendLine("| ---: | ---: |" + string.Concat(Attacks.Select(_ => " ---: |")));
        foreach (var (delta, other) in comparisons.Append((watermarkOptions.Delta, result)).OrderBy(x => x.Item1))
        {
            var counts = string.Join(" | ", other.Marked.Select(list => list.Count(Detected)));
            s.AppendLine(c, $"| {delta}{(delta == watermarkOptions.Delta ? " (this run)" : "")} | {TextWatermarkBenchmark.Median(other.Perplexity.Marked):F2} / {TextWatermarkBenchmark.Median(other.Perplexity.Plain):F2} | {counts} |");
        }

        s.AppendLine();
        s.AppendLine("## Text quality: the first generations without and with the watermark (same prompt and seed)");
        s.AppendLine();
        foreach (var (prompt, withoutMark, withMark) in samples)
        {
            s.AppendLine(c, $"- prompt \"{prompt.TrimEnd()}\"; without: \"{withoutMark.ReplaceLineEndings(" / ")}\"");
            s.AppendLine(c, $"  - with: \"{withMark.ReplaceLineEndings(" / ")}\"");
        }

        s.AppendLine();
        s.AppendLine("## Example (first generation, watermarked: as generated, then after each attack)");
        s.AppendLine();
        for (var a = 0; a < Attacks.Length; a++)
        {
            s.AppendLine(c, $"**{Attacks[a].Name}**");
            s.AppendLine();
            s.AppendLine("> " + examples[a].Replace("\n", "\n> ", StringComparison.Ordinal));
            s.AppendLine();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, s.ToString());
        Console.WriteLine(s);
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    /// <summary>The generations and attacks of one run, measured with one watermark at a time.</summary>
    private sealed class Run(TextGenerator generator, WordEdits edits, List<string> prompts, TextGenerationOptions sampling)
    {
        /// <summary>Generates every text with and without <paramref name="watermark"/>, attacks both and detects.</summary>
        public Result Measure(TextWatermark watermark, bool collectExamples)
        {
            var tokenizer = generator.Tokenizer!;
            var vocabulary = generator.VocabularySize!.Value;
            var result = new Result(
                [.. Attacks.Select(_ => new List<TextWatermarkDetection>())],
                [.. Attacks.Select(_ => new List<TextWatermarkDetection>())],
                ([], []),
                [],
                []);
            for (var i = 0; i < prompts.Count; i++)
            {
                var seeded = sampling with { Seed = (ulong)(1000 + i) };
                var (markedText, markedPerplexity) = Generate(prompts[i], seeded, watermark.Bias);
                var (plainText, plainPerplexity) = Generate(prompts[i], seeded, null);
                result.Perplexity.Marked.Add(markedPerplexity);
                result.Perplexity.Plain.Add(plainPerplexity);
                for (var a = 0; a < Attacks.Length; a++)
                {
                    var attack = Attacks[a];
                    var editedMarked = attack.Apply(edits, markedText, attack.Share, new Random(attack.SeedBase + i));
                    var editedPlain = attack.Apply(edits, plainText, attack.Share, new Random(attack.SeedBase + i));
                    result.Marked[a].Add(watermark.Detect(tokenizer.Encode(editedMarked), vocabulary));
                    result.Plain[a].Add(watermark.Detect(tokenizer.Encode(editedPlain), vocabulary));
                    if (i == 0 && collectExamples)
                    {
                        result.Examples.Add(editedMarked);
                    }
                }

                if (i < 3 && collectExamples)
                {
                    result.Samples.Add((prompts[i], plainText, markedText));
                }
            }

            return result;
        }

        /// <summary>A generation and the model's perplexity on it under its own unmodified logits.</summary>
        private (string Text, double Perplexity) Generate(string prompt, TextGenerationOptions options, LogitsProcessor? bias)
        {
            var raw = new List<float[]>();
            var result = generator.Generate(prompt, options, (previous, logits) =>
            {
                raw.Add(logits.ToArray());
                bias?.Invoke(previous, logits);
            });
            var logLikelihood = 0.0;
            for (var t = 0; t < result.Tokens.Count; t++)
            {
                var logits = raw[t];
                var max = logits.Max();
                var logSum = Math.Log(logits.Sum(l => Math.Exp(l - max))) + max;
                logLikelihood += logits[result.Tokens[t]] - logSum;
            }

            return (result.Text, Math.Exp(-logLikelihood / Math.Max(1, result.Tokens.Count)));
        }
    }

    /// <summary>
    /// Per attack, the detections on the watermarked and the unwatermarked texts; the perplexities; the first watermarked
    /// text after each attack; the first generations' prompts with their texts without and with the watermark.
    /// </summary>
    private sealed record Result(
        List<TextWatermarkDetection>[] Marked,
        List<TextWatermarkDetection>[] Plain,
        (List<double> Marked, List<double> Plain) Perplexity,
        List<string> Examples,
        List<(string Prompt, string Plain, string Marked)> Samples);

    private sealed record Attack(string Name, double Share, int SeedBase, Func<WordEdits, string, double, Random, string> Apply);
}
