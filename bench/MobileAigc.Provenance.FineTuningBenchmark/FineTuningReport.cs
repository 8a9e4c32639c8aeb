using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.FineTuningBenchmark;

/// <summary>Writes the benchmark's Markdown report.</summary>
internal static class FineTuningReport
{
    public static void Write(
        string path,
        FineTuneSettings settings,
        string[] examples,
        string samplePath,
        IReadOnlyList<FineTuningRun> runs,
        FineTuneOutcome outcome,
        IReadOnlyList<DivergenceRow> divergences,
        string baseSample,
        string derivativeSample)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.AppendLine("# Fine-tuning benchmark");
        s.AppendLine();
        s.AppendLine("Written by `bench/MobileAigc.Provenance.FineTuningBenchmark` (do not edit by hand). Command:");
        s.AppendLine();
        s.AppendLine("```");
        s.AppendLine("dotnet run -c Release --project bench/MobileAigc.Provenance.FineTuningBenchmark");
        s.AppendLine("```");
        s.AppendLine();
        s.AppendLine(c, $"- Machine: {Environment.ProcessorCount} cores, {Cpu()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}; run {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC. Other work shared the cores: the load average is beside each run.");
        s.AppendLine(c, $"- Base model: `kjv-char-mlp` (`models/kjv-char-mlp`). Sample: `{Path.GetRelativePath(RepositoryPaths.Root, samplePath)}`, {examples.Length} examples (one per line), {examples.Sum(e => e.Length + 1):N0} characters.");
        s.AppendLine(c, $"- Settings: the defaults, `{settings}` (`FineTuneSettings`); the last {settings.HeldOutShare:P0} of the text is held out.");
        s.AppendLine();
        s.AppendLine("## Runs");
        s.AppendLine();
        s.AppendLine("| run | wall time | peak working set | managed allocations | load average (1, 5, 15 min) before | derivative SHA-256 |");
        s.AppendLine("| ---: | ---: | ---: | ---: | --- | --- |");
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            s.AppendLine(c, $"| {i + 1} | {r.Seconds:F1} s | {r.PeakWorkingSetBytes / 1048576.0:F0} MiB | {r.AllocatedBytes / 1048576.0:F1} MiB | {r.LoadAverage} | `{r.Sha256[..18]}…` |");
        }

        var median = runs.OrderBy(r => r.Seconds).ElementAt(runs.Count / 2);
        var medianPeak = runs.Select(r => r.PeakWorkingSetBytes).Order().ElementAt(runs.Count / 2);
        var same = runs.Select(r => r.Sha256).Distinct().Count() == 1;
        s.AppendLine();
        s.AppendLine(c, $"- **Median wall time {median.Seconds:F1} s** (load average {median.LoadAverage} before that run); median peak working set of the process {medianPeak / 1048576.0:F0} MiB (the .NET runtime included; ONNX Runtime is not loaded until the generations below).");
        s.AppendLine(c, $"- The {runs.Count} runs gave {(same ? "the same" : "DIFFERENT")} file: SHA-256 `{runs[0].Sha256}`.");
        s.AppendLine(c, $"- **Held-out loss: {outcome.HeldOutLossBefore:F4} → {outcome.HeldOutLossAfter:F4} nats per character ({outcome.HeldOutLossDrop:P1} lower)**; {outcome.HeldOutLossBefore / Math.Log(2):F2} → {outcome.HeldOutLossAfter / Math.Log(2):F2} bits.");
        s.AppendLine();
        s.AppendLine("## Output moving toward the sample");
        s.AppendLine();
        s.AppendLine("The measure (`CharacterBigramDivergence`): the Jensen–Shannon divergence, in bits (0 = same, 1 = disjoint), between the distribution of character pairs in a text and in the sample. The generations start from the prompt \"The \" with seeds 1 to 20 at the model's default sampling (temperature 1, top-p 0.95).");
        s.AppendLine();
        s.AppendLine("| text | divergence from the sample |");
        s.AppendLine("| --- | ---: |");
        foreach (var row in divergences)
        {
            s.AppendLine(c, $"| {row.Source} | {row.Bits:F4} bits |");
        }

        s.AppendLine();
        s.AppendLine(c, $"The derivative's divergence is {1 - (divergences[1].Bits / divergences[0].Bits):P0} below the base model's.");
        s.AppendLine();
        s.AppendLine("## Examples (seed 1, prompt \"The \")");
        s.AppendLine();
        s.AppendLine(c, $"- Base model: \"{Quote(baseSample)}\"");
        s.AppendLine(c, $"- Derivative: \"{Quote(derivativeSample)}\"");
        File.WriteAllText(path, s.ToString().ReplaceLineEndings("\n"));
    }

    private static string Quote(string text) => "The " + text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);

    private static string Cpu() =>
        (File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null) ?? "unknown CPU";
}
