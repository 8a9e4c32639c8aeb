using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.FineTuningBenchmark;

/// <summary>
/// Fine-tunes the shipped text model on the shipped creator sample (<c>models/samples/factbook-creator.txt</c>, one
/// example per line) at the default <see cref="FineTuneSettings"/>, three times in one process, and reports the median
/// wall time and peak working set with the load average beside each run, the held-out loss before and after, and the
/// character-bigram divergence (<see cref="CharacterBigramDivergence"/>) from the sample of generations by the base model
/// and the derivative, with human texts for scale. Writes docs/benchmarks/fine-tuning.md (or <c>--out FILE</c>).
/// </summary>
internal static class FineTuningBenchmark
{
    private const int Runs = 3;
    private const int Generations = 20;
    private const int TokensPerGeneration = 300;
    private const string Prompt = "The ";

    public static int Run(string[] args)
    {
        var output = args is ["--out", var path] ? path : RepositoryPaths.Combine("docs", "benchmarks", "fine-tuning.md");
        var samplePath = RepositoryPaths.Combine("models", "samples", "factbook-creator.txt");
        var examples = File.ReadAllLines(samplePath).Where(l => l.Length > 0).ToArray();
        var settings = new FineTuneSettings();
        // The parent's hash from its manifest: loading it through ONNX Runtime here would count in the peak working set.
        var identity = new DerivativeIdentity(
            "factbook-style",
            ModelManifest.Load(Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName)).Sha256!,
            "0x" + new string('a', 64),
            "0x1111111111111111111111111111111111111111",
            "0x2222222222222222222222222222222222222222");

        var runs = new List<FineTuningRun>();
        FineTuneOutcome? outcome = null;
        for (var i = 0; i < Runs; i++)
        {
            var load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            outcome = TextFineTuner.Run(RepositoryPaths.TextModel, examples, settings, identity, null, CancellationToken.None);
            clock.Stop();
            using var process = Process.GetCurrentProcess();
            runs.Add(new FineTuningRun(
                clock.Elapsed.TotalSeconds,
                process.PeakWorkingSet64,
                GC.GetTotalAllocatedBytes(precise: true) - allocated,
                load,
                outcome.Manifest.Sha256!,
                outcome.HeldOutLossBefore,
                outcome.HeldOutLossAfter));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: {runs[^1].Seconds:F1} s, load {load}, loss {outcome.HeldOutLossBefore:F4} -> {outcome.HeldOutLossAfter:F4}"));
        }

        var (divergences, baseSample, derivativeSample) = Divergences(examples, outcome!);
        FineTuningReport.Write(output, settings, examples, samplePath, runs, outcome!, divergences, baseSample, derivativeSample);
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static (List<DivergenceRow> Rows, string BaseSample, string DerivativeSample) Divergences(string[] examples, FineTuneOutcome outcome)
    {
        var measure = new CharacterBigramDivergence(examples);
        var folder = Directory.CreateTempSubdirectory("fine-tuning-benchmark-");
        try
        {
            outcome.WriteTo(folder.FullName);
            using var parent = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);
            using var derivative = OnnxModel.LoadDirectory(folder.FullName);
            var baseText = Generate(parent);
            var derivativeText = Generate(derivative);
            var length = derivativeText.Length;

            // Human texts of about the same length, for scale: more of the Factbook (countries not in the sample), and the KJV.
            var factbook = Prefix(File.ReadLines(RepositoryPaths.Combine("bench", "MobileAigc.Provenance.TextWatermarkBenchmark", "data", "factbook-backgrounds.txt")).Skip(examples.Length + 10), length);
            var luke = Prefix(File.ReadLines(RepositoryPaths.Combine("bench", "MobileAigc.Provenance.TextWatermarkBenchmark", "data", "kjv-luke-passages.txt")), length);
            List<DivergenceRow> rows =
            [
                new($"base model `{parent.Manifest!.Name}`: {Generations} generations of {TokensPerGeneration} tokens", measure.From(baseText)),
                new($"derivative `{derivative.Manifest!.Name}`: the same prompts and seeds", measure.From(derivativeText)),
                new("human: other Factbook backgrounds (countries not in the sample), same length", measure.From(factbook)),
                new("human: KJV Gospel of Luke (the base model's style), same length", measure.From(luke)),
            ];
            return (rows, baseText.Split('\n')[0], derivativeText.Split('\n')[0]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Generate(OnnxModel model)
    {
        var generator = new TextGenerator(model);
        var options = TextGenerationOptions.FromManifest(model.Manifest) with { MaxNewTokens = TokensPerGeneration };
        return string.Join('\n', Enumerable.Range(1, Generations).Select(seed => generator.Generate(Prompt, options with { Seed = (ulong)seed }).Text));
    }

    private static string Prefix(IEnumerable<string> lines, int length)
    {
        var text = string.Join('\n', lines);
        return text.Length <= length ? text : text[..length];
    }
}
