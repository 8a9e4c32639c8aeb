using System.Diagnostics;
using System.Globalization;
using System.Text;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Image;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.ImageFineTuningBenchmark;

/// <summary>
/// Fine-tunes the shipped image model on the first six sample pictures (<c>models/samples/images</c>) at default
/// settings, three times, and measures each run; then renders eight seeds with the base model and the
/// derivative and compares their palettes with the two sample pictures the tuner never saw.
/// </summary>
public static class ImageFineTuningBenchmark
{
    private const int Runs = 3;
    private const int TrainingPictures = 6;
    private const int Seeds = 8;

    /// <summary>Runs the benchmark; <c>--out FILE</c> also writes the Markdown report there, and <c>--pictures FOLDER</c> the rendered pictures.</summary>
    /// <returns>The process exit code: 0, or 1 when the pictures are missing or the arguments wrong.</returns>
    public static int Run(string[] args, TextWriter console)
    {
        var output = args is ["--out", var path, ..] && args.Length is 2 or 4 ? path : null;
        var picturesFolder = args is ["--out", _, "--pictures", var dir] ? dir : null;
        if (args.Length != 0 && output is null)
        {
            console.WriteLine("usage: ImageFineTuningBenchmark [--out docs/benchmarks/fine-tuning-image.md [--pictures FOLDER]]");
            return 1;
        }

        var folder = RepositoryPaths.Combine("models", "samples", "images");
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length < TrainingPictures + 1)
        {
            console.WriteLine($"Expected at least {TrainingPictures + 1} JPEG pictures in {folder}.");
            return 1;
        }

        var pictures = files.Take(TrainingPictures).Select(File.ReadAllBytes).ToList();
        var unseen = files.Skip(TrainingPictures).Select(f => ImageCodec.Decode(File.ReadAllBytes(f))).ToList();
        var baseSha = Bytes32.Sha256(File.ReadAllBytes(Path.Combine(RepositoryPaths.ImageModel, "model.onnx"))).ToString();
        var identity = new DerivativeIdentity("cppn-image-sunset", baseSha, "0x" + new string('c', 64), "0x" + new string('a', 40), "0x" + new string('b', 40));

        var measurements = new List<RunMeasurement>();
        FineTuneOutcome? outcome = null;
        for (var run = 0; run < Runs; run++)
        {
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            outcome = ImageFineTuner.Run(RepositoryPaths.ImageModel, pictures, ImageFineTuner.DefaultSettings, identity, null, CancellationToken.None);
            clock.Stop();
            using var process = Process.GetCurrentProcess();
            var measurement = new RunMeasurement(clock.Elapsed, process.PeakWorkingSet64, GC.GetTotalAllocatedBytes(precise: true) - allocated, load, outcome.HeldOutLossBefore, outcome.HeldOutLossAfter);
            measurements.Add(measurement);
            console.WriteLine($"run {run + 1}: {measurement.Wall.TotalSeconds:F1} s, load {load}, peak working set {measurement.PeakWorkingSet / 1048576.0:F0} MiB, held-out {measurement.Before:F5} -> {measurement.After:F5}");
        }

        var palette = ComparePalettes(outcome!, [.. pictures.Select(file => ImageCodec.Decode(file))], unseen, picturesFolder);
        console.WriteLine($"histogram distance to unseen pictures {palette.HistogramBase:F3} -> {palette.HistogramTuned:F3} (floor {palette.HistogramFloor:F3}); mean colour distance {palette.MeanBase:F1} -> {palette.MeanTuned:F1}; base vs derivative {palette.Change:F1} levels; watermark read back {palette.WatermarkedBase}/{Seeds} -> {palette.WatermarkedTuned}/{Seeds}");
        var report = Report(measurements, palette, files.Length, outcome!);
        if (output is not null)
        {
            File.WriteAllText(output, report);
            console.WriteLine($"wrote {output}");
        }

        return 0;
    }

    private static PaletteComparison ComparePalettes(FineTuneOutcome outcome, IReadOnlyList<RgbImage> examples, IReadOnlyList<RgbImage> unseen, string? picturesFolder)
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(Path.Combine(folder.Path, "model.onnx"), outcome.Onnx);
        File.WriteAllText(Path.Combine(folder.Path, "manifest.json"), outcome.Manifest.ToJson());
        using var tuned = OnnxModel.LoadDirectory(folder.Path);
        using var shipped = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        var requests = Enumerable.Range(1, Seeds).Select(seed => new ImageGenerationOptions { Seed = (ulong)seed, Prompt = seed % 2 == 0 ? "a quiet harbour at dusk" : null }).ToList();
        var before = requests.Select(new ImageGenerator(shipped).Generate).ToList();
        var after = requests.Select(new ImageGenerator(tuned).Generate).ToList();
        if (picturesFolder is not null)
        {
            Directory.CreateDirectory(picturesFolder);
            for (var i = 0; i < before.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(picturesFolder, $"seed-{i + 1}-base.png"), ImageCodec.Encode(before[i], ImageFileFormat.Png));
                File.WriteAllBytes(Path.Combine(picturesFolder, $"seed-{i + 1}-derivative.png"), ImageCodec.Encode(after[i], ImageFileFormat.Png));
            }
        }

        var change = before.Zip(after, (a, b) => a.Pixels.Zip(b.Pixels, (x, y) => (double)Math.Abs(x - y)).Average()).Average();
        return new PaletteComparison(
            Watermarked(before), Watermarked(after),
            PaletteDistance.Histogram(before, unseen), PaletteDistance.Histogram(after, unseen),
            PaletteDistance.MeanColour(before, unseen), PaletteDistance.MeanColour(after, unseen), change,
            PaletteDistance.Histogram(examples, unseen), PaletteDistance.MeanColour(examples, unseen));
    }

    private static string Report(List<RunMeasurement> runs, PaletteComparison palette, int pictureCount, FineTuneOutcome outcome)
    {
        var median = runs.OrderBy(r => r.Wall).ElementAt(runs.Count / 2);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Image model fine-tuning benchmark").AppendLine();
        text.AppendLine("Written by `dotnet run -c Release --project bench/MobileAigc.Provenance.ImageFineTuningBenchmark -- --out docs/benchmarks/fine-tuning-image.md`.").AppendLine();
        text.AppendLine(c, $"The shipped `cppn-image` fine-tuned on the first {TrainingPictures} of the {pictureCount} pictures in `models/samples/images` (512×512 JPEG) at default settings ({ImageFineTuner.DefaultSteps} steps, batch 8, learning rate 0.05, a quarter of the pictures held out), {Runs} runs in one process.").AppendLine();
        var processor = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown processor";
        text.AppendLine(c, $"Machine: {processor}, {Environment.ProcessorCount} cores shared with other work (the load average is beside each run), .NET {Environment.Version}, Release build.").AppendLine();
        text.AppendLine("| run | wall time | load average (1 min) before | process peak working set so far | managed allocations | held-out loss before | held-out loss after | fall |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            text.AppendLine(c, $"| {i + 1} | {r.Wall.TotalSeconds:F1} s | {r.Load} | {r.PeakWorkingSet / 1048576.0:F0} MiB | {r.Allocated / 1048576.0:F0} MiB | {r.Before:F5} | {r.After:F5} | {(1 - (r.After / r.Before)) * 100:F0} % |");
        }

        text.AppendLine().AppendLine(c, $"Median wall time {median.Wall.TotalSeconds:F1} s (run 1 also pays for the JIT and ONNX Runtime's first load; the working set is the process's peak so far, so runs 2 and 3 also hold what the garbage collector had not yet returned from the runs before). The held-out loss is the sliced Wasserstein-2 distance (32 directions of the RGB cube, colours 0..1) between the colours of pictures of 16 held-out latents and the held-out pictures' colours; it is the same in every run because the run is deterministic (derivative SHA-256 `{outcome.Manifest.Sha256}`).").AppendLine();
        text.AppendLine(c, $"Palette of {Seeds} pictures (seeds 1 to {Seeds}, every other one with a prompt, 512×512) against the {pictureCount - TrainingPictures} sample pictures the tuner never saw:").AppendLine();
        text.AppendLine("| measure | base model | derivative | the training pictures themselves (floor) |");
        text.AppendLine("|---|---:|---:|---:|");
        text.AppendLine(c, $"| colour histogram distance (total variation, 8×8×8 cells; 0 same, 1 disjoint) | {palette.HistogramBase:F3} | {palette.HistogramTuned:F3} | {palette.HistogramFloor:F3} |");
        text.AppendLine(c, $"| mean colour distance (8-bit levels) | {palette.MeanBase:F1} | {palette.MeanTuned:F1} | {palette.MeanFloor:F1} |");
        text.AppendLine(c, $"| pictures whose watermark payload reads back after a JPEG at quality 90 | {palette.WatermarkedBase} of {Seeds} | {palette.WatermarkedTuned} of {Seeds} | |");
        text.AppendLine().AppendLine(c, $"The same seed differs between base model and derivative by {palette.Change:F1} levels per channel on average: the shapes stay, the palette moves.");
        return text.ToString();
    }

    private sealed record RunMeasurement(TimeSpan Wall, long PeakWorkingSet, long Allocated, string Load, double Before, double After);

    /// <summary>How many pictures give back their payload after watermarking and a JPEG at quality 90 (the node's delivery).</summary>
    private static int Watermarked(IReadOnlyList<RgbImage> pictures)
    {
        var watermarker = new ImageWatermarker(WatermarkKey.FromBytes(Enumerable.Range(1, WatermarkKey.Length).Select(i => (byte)i).ToArray()));
        var found = 0;
        for (var i = 0; i < pictures.Count; i++)
        {
            var payload = 0x5EED_0000UL + (ulong)i;
            var delivered = ImageCodec.Decode(ImageCodec.Encode(watermarker.Embed(pictures[i], payload), ImageFileFormat.Jpeg, 90));
            found += watermarker.Extract(delivered) is { Found: true } reading && reading.Payload == payload ? 1 : 0;
        }

        return found;
    }

    private sealed record PaletteComparison(int WatermarkedBase, int WatermarkedTuned, double HistogramBase, double HistogramTuned, double MeanBase, double MeanTuned, double Change, double HistogramFloor, double MeanFloor);
}
