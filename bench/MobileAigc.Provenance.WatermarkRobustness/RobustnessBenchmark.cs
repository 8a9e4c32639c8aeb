using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.WatermarkRobustness;

/// <summary>An attack of the benchmark: its name in the table and what it does to image number <c>index</c>.</summary>
public sealed record Attack(string Name, Func<RgbImage, int, RgbImage> Apply);

/// <summary>
/// Marks each test picture with a random payload, attacks it every way in <see cref="Attacks"/>, and counts
/// exact payload recoveries; reads unmarked pictures and marked ones with a wrong key for false positives.
/// </summary>
public static class RobustnessBenchmark
{
    private const int Side = 512;

    /// <summary>The attacks, as the targets name them.</summary>
    public static IReadOnlyList<Attack> Attacks { get; } =
    [
        new("none", (image, _) => image),
        new("JPEG q50 (4:2:0)", (image, _) => ImageAttacks.Jpeg(image, 50)),
        new("resize 50% and back", (image, _) => ImageAttacks.ScaleAndBack(image, 0.5)),
        new("crop to 80% area (89.4% sides), offset varies", (image, i) => ImageAttacks.CropFraction(image, Math.Sqrt(0.8), Position(i, 37), Position(i, 53))),
        new("crop to 80% of each side, offset varies", (image, i) => ImageAttacks.CropFraction(image, 0.8, Position(i, 29), Position(i, 41))),
        new("brightness x1.3", (image, _) => ImageAttacks.Brightness(image, 1.3)),
        new("contrast x1.3", (image, _) => ImageAttacks.Contrast(image, 1.3)),
        new("Gaussian noise sigma 5", (image, i) => ImageAttacks.GaussianNoise(image, 5, 1000 + i)),
        new("rotate 5 deg (sign alternates)", (image, i) => ImageAttacks.Rotate(image, i % 2 == 0 ? 5 : -5)),
        new("JPEG q75 then resize to 75%", (image, _) => ImageAttacks.Scale(ImageAttacks.Jpeg(image, 75), 0.75)),
        new("rotate 15 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 15)),
        new("rotate 30 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 30)),
        new("rotate 45 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 45)),
        new("rotate 90 deg", (image, _) => GeometricAttacks.RotateReflected(image, 90)),
        new("rotate 135 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 135)),
        new("rotate 180 deg", (image, _) => GeometricAttacks.RotateReflected(image, 180)),
        new("rotate 270 deg", (image, _) => GeometricAttacks.RotateReflected(image, 270)),
        new("rotate (6i+7) mod 360 deg, reflection fill", (image, i) => GeometricAttacks.RotateReflected(image, VaryingAngle(i))),
        new("rotate 15 deg, cropped to largest upright rectangle", (image, _) => GeometricAttacks.RotateCropped(image, 15)),
        new("rotate 45 deg, cropped to largest upright rectangle", (image, _) => GeometricAttacks.RotateCropped(image, 45)),
        new("rotate (6i+7) mod 360 deg, cropped to largest upright rectangle", (image, i) => GeometricAttacks.RotateCropped(image, VaryingAngle(i))),
        new("mirror flip, horizontal", (image, _) => GeometricAttacks.FlipHorizontal(image)),
        new("mirror flip, vertical", (image, _) => GeometricAttacks.FlipVertical(image)),
        new("width to 75%, height kept", (image, _) => GeometricAttacks.Stretch(image, 0.75, 1)),
        new("height to 75%, width kept", (image, _) => GeometricAttacks.Stretch(image, 1, 0.75)),
        new("thumbnail 30% (read at ~154 px)", (image, _) => GeometricAttacks.Thumbnail(image, 0.3)),
    ];

    /// <summary>An angle that differs from picture to picture (6·index + 7 degrees, modulo 360), so no one angle decides the rate.</summary>
    private static double VaryingAngle(int index) => (6 * index + 7) % 360;

    /// <summary>Runs the benchmark, prints the table and writes it into the results section of the output file.</summary>
    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter log)
    {
        var key = WatermarkKey.Parse("0x" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("robustness-benchmark-key"u8)));
        var wrongKey = WatermarkKey.Parse("0x" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("some-other-key"u8)));
        var watermarker = new ImageWatermarker(key);
        var stranger = new ImageWatermarker(wrongKey);
        using var generator = settings.Source == PictureSource.Generated || settings.FalsePositiveCount > 0 ? new GeneratedImages() : null;
        var (images, names, source) = LoadImages(settings, generator);
        await log.WriteLineAsync($"{images.Count} pictures ({source}), {Attacks.Count} attacks, {settings.FalsePositiveCount} extra unmarked pictures.");

        var clock = Stopwatch.StartNew();
        var psnr = new double[images.Count];
        var recovered = new bool[images.Count, Attacks.Count];
        var confidence = new double[images.Count, Attacks.Count];
        var wrongKeyHits = 0;
        var unmarkedHits = 0;
        Parallel.For(0, images.Count, i =>
        {
            var payload = (ulong)new Random(i).NextInt64() ^ 0x5A5A_0000_0000_0000UL;
            var marked = watermarker.Embed(images[i], payload);
            psnr[i] = ImageAttacks.Psnr(images[i], marked);
            for (var a = 0; a < Attacks.Count; a++)
            {
                var reading = watermarker.Extract(Attacks[a].Apply(marked, i));
                recovered[i, a] = reading.Found && reading.Payload == payload;
                confidence[i, a] = reading.Confidence;
            }

            if (stranger.Extract(marked).Found)
            {
                Interlocked.Increment(ref wrongKeyHits);
            }

            if (watermarker.Extract(images[i]).Found)
            {
                Interlocked.Increment(ref unmarkedHits);
            }
        });

        // Half generated (seeds far from the marked ones), half synthetic: the two kinds the mark must never be read in.
        var extraHits = 0;
        Parallel.For(0, settings.FalsePositiveCount, i =>
        {
            var unmarked = i % 2 == 0 ? generator!.Create(1_000_000 + (ulong)i) : SyntheticImages.Create(1_000_000 + i);
            if (watermarker.Extract(unmarked).Found)
            {
                Interlocked.Increment(ref extraHits);
            }
        });

        var markdown = Table(settings, source, images.Count, names, psnr, recovered, confidence, wrongKeyHits, unmarkedHits, extraHits, clock.Elapsed);
        await log.WriteLineAsync(markdown);
        await WriteSectionAsync(settings.OutputPath, settings.SectionName, markdown);
        await log.WriteLineAsync($"Wrote {settings.OutputPath}");
        return 0;
    }

    private static double Position(int index, int prime) => index * prime % 11 / 10.0;

    private static (List<RgbImage> Images, List<string> Names, string Source) LoadImages(BenchmarkSettings settings, GeneratedImages? generator)
    {
        if (settings.Source == PictureSource.Generated)
        {
            var generated = new RgbImage[settings.Count];
            Parallel.For(0, settings.Count, i => generated[i] = generator!.Create((ulong)i + 1, Side));
            var seeds = Enumerable.Range(1, settings.Count).Select(i => $"seed {i}").ToList();
            return ([.. generated], seeds, $"rendered by models/cppn-image, seeds 1 to {settings.Count}, {GeneratedImages.Prompts.Count} prompts in turn, {Side}x{Side}");
        }

        if (settings.Source == PictureSource.Synthetic)
        {
            var synthetic = Enumerable.Range(0, settings.Count).Select(i => SyntheticImages.Create(i)).ToList();
            var kinds = Enumerable.Range(0, settings.Count).Select(i => SyntheticImages.KindNames[i % SyntheticImages.KindCount]).ToList();
            return (synthetic, kinds, $"synthetic, {SyntheticImages.KindCount} kinds");
        }

        var files = Directory.EnumerateFiles(settings.ImagesDirectory!)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Take(settings.Count)
            .ToList();
        var images = new List<RgbImage>();
        var names = new List<string>();
        foreach (var file in files)
        {
            RgbImage decoded;
            try
            {
                decoded = ImageCodec.Decode(File.ReadAllBytes(file));
            }
            catch (UnreadableImageException e)
            {
                Console.Error.WriteLine($"Skipping {file}: {e.Message}");
                continue;
            }

            var side = Math.Min(decoded.Width, decoded.Height);
            var square = ImageAttacks.Crop(decoded, (decoded.Width - side) / 2, (decoded.Height - side) / 2, side, side);
            images.Add(side == Side ? square : ImageAttacks.Resize(square, Side, Side));
            names.Add(Path.GetFileName(file));
        }

        return (images, names, $"files from {settings.ImagesDirectory}, centre-cropped and resized to {Side}x{Side}");
    }

    private static string Table(
        BenchmarkSettings settings, string source, int count, List<string> names, double[] psnr, bool[,] recovered, double[,] confidence,
        int wrongKeyHits, int unmarkedHits, int extraHits, TimeSpan elapsed)
    {
        var culture = CultureInfo.InvariantCulture;
        var sorted = psnr.Order().ToArray();
        var text = new StringBuilder();
        var arguments = settings.Arguments;
        text.AppendLine(culture, $"Command: `dotnet run -c Release --project bench/MobileAigc.Provenance.WatermarkRobustness -- {arguments}`  ");
        text.AppendLine(culture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}; run {TimeProvider.System.GetUtcNow():yyyy-MM-dd}, {elapsed.TotalSeconds:F0} s wall (images in parallel).  ");
        text.AppendLine(culture, $"Pictures: {count} ({source}), each marked with its own random 64-bit payload at the default options.");
        text.AppendLine();
        text.AppendLine(culture, $"PSNR of marked vs original (dB): min {sorted[0]:F2}, median {sorted[sorted.Length / 2]:F2}, max {sorted[^1]:F2}.");
        text.AppendLine();
        text.AppendLine("| Attack | Payload recovered exactly | Rate | Mean confidence | Failures |");
        text.AppendLine("| --- | ---: | ---: | ---: | --- |");
        for (var a = 0; a < Attacks.Count; a++)
        {
            var hits = 0;
            var conf = 0.0;
            var failures = new List<string>();
            for (var i = 0; i < count; i++)
            {
                hits += recovered[i, a] ? 1 : 0;
                conf += confidence[i, a];
                if (!recovered[i, a])
                {
                    failures.Add($"#{i} {names[i]}");
                }
            }

            var failureText = failures.Count == 0 ? "" : string.Join(", ", failures.Take(8)) + (failures.Count > 8 ? $", … ({failures.Count})" : "");
            text.AppendLine(culture, $"| {Attacks[a].Name} | {hits}/{count} | {100.0 * hits / count:F1}% | {conf / count:F2} | {failureText} |");
        }

        text.AppendLine();
        text.AppendLine(culture, $"False positives: {unmarkedHits + extraHits} of {count + settings.FalsePositiveCount} unmarked pictures decoded a payload ({unmarkedHits} of the {count} originals, {extraHits} of {settings.FalsePositiveCount} extra ones, half generated and half synthetic); {wrongKeyHits} of {count} marked pictures read with a wrong key.");
        return text.ToString();
    }

    private static async Task WriteSectionAsync(string path, string name, string content)
    {
        var begin = $"<!-- results:{name} -->";
        var end = $"<!-- /results:{name} -->";
        var section = $"{begin}\n{content.TrimEnd()}\n{end}";
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Image watermark robustness\n";
        var start = existing.IndexOf(begin, StringComparison.Ordinal);
        var stop = existing.IndexOf(end, StringComparison.Ordinal);
        var updated = start >= 0 && stop > start
            ? existing[..start] + section + existing[(stop + end.Length)..]
            : existing.TrimEnd() + "\n\n" + section + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, updated);
    }
}
