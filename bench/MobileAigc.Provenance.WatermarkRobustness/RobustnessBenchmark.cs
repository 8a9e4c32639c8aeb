using System.Security.Cryptography;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;
using MobileAigc.Provenance.WatermarkRobustness.FalsePositives;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;
using MobileAigc.Provenance.WatermarkRobustness.Reporting;

namespace MobileAigc.Provenance.WatermarkRobustness;

/// <summary>An attack of the benchmark: its name in the table and what it does to image number <c>index</c>.</summary>
public sealed record Attack(string Name, Func<RgbImage, int, RgbImage> Apply);

/// <summary>
/// Marks each picture of each set with a random payload, attacks it every way in <see cref="Attacks"/>, and counts
/// exact payload recoveries; reads the unmarked originals, marked pictures with a wrong key and thousands of unmarked
/// variants (<see cref="UnmarkedVariants"/>) for false positives. Each set's table and the false-positive table go into
/// their own results sections of the output file.
/// </summary>
public static class RobustnessBenchmark
{
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
        new("JPEG q30 (4:2:0)", (image, _) => ImageAttacks.Jpeg(image, 30)),
        new("WebP q50 (libwebp)", (image, _) => CompressionAttacks.WebP(image, 50)),
        new("thumbnail 30% (resized back)", (image, _) => CompressionAttacks.ThumbnailAndBack(image, 0.3)),
        new("chain: crop 10% per side, 400 px, saturation +20%, JPEG q70", (image, _) => CompressionAttacks.EditChain(image)),
        new("rotate 15 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 15)),
        new("rotate 30 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 30)),
        new("rotate 45 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 45)),
        new("rotate 90 deg (quarter turn, sides swapped)", (image, _) => GeometricAttacks.RotateQuarterTurns(image, 1)),
        new("rotate 90 deg in the same frame, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 90)),
        new("rotate 135 deg, reflection fill", (image, _) => GeometricAttacks.RotateReflected(image, 135)),
        new("rotate 180 deg", (image, _) => GeometricAttacks.RotateQuarterTurns(image, 2)),
        new("rotate 270 deg (three quarter turns, sides swapped)", (image, _) => GeometricAttacks.RotateQuarterTurns(image, 3)),
        new("rotate (6i+7) mod 360 deg, reflection fill", (image, i) => GeometricAttacks.RotateReflected(image, VaryingAngle(i))),
        new("rotate 15 deg, cropped to largest upright rectangle", (image, _) => GeometricAttacks.RotateCropped(image, 15)),
        new("rotate 45 deg, cropped to largest upright rectangle", (image, _) => GeometricAttacks.RotateCropped(image, 45)),
        new("rotate (6i+7) mod 360 deg, cropped to largest upright rectangle", (image, i) => GeometricAttacks.RotateCropped(image, VaryingAngle(i))),
        new("mirror flip, horizontal", (image, _) => GeometricAttacks.FlipHorizontal(image)),
        new("mirror flip, vertical", (image, _) => GeometricAttacks.FlipVertical(image)),
        new("width to 75%, height kept", (image, _) => GeometricAttacks.Stretch(image, 0.75, 1)),
        new("height to 75%, width kept", (image, _) => GeometricAttacks.Stretch(image, 1, 0.75)),
        new("thumbnail 30% (read at that size)", (image, _) => GeometricAttacks.Thumbnail(image, 0.3)),
    ];

    /// <summary>An angle that differs from picture to picture (6·index + 7 degrees, modulo 360), so no one angle decides the rate.</summary>
    private static double VaryingAngle(int index) => (6 * index + 7) % 360;

    /// <summary>Runs every set of <paramref name="settings"/>, then the false positives; prints each table and writes it into its section.</summary>
    /// <returns>0.</returns>
    /// <exception cref="BenchmarkInputException">When a set cannot be loaded (the photographs missing or altered) or too many false positives are asked for.</exception>
    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var key = WatermarkKey.Parse("0x" + Convert.ToHexString(SHA256.HashData("robustness-benchmark-key"u8)));
        var wrongKey = WatermarkKey.Parse("0x" + Convert.ToHexString(SHA256.HashData("some-other-key"u8)));
        var watermarker = new ImageWatermarker(key);
        var stranger = new ImageWatermarker(wrongKey);
        using var generator = settings.Sets.Any(s => s.Source == PictureSource.Generated) ? new GeneratedImages() : null;

        // Every set is loaded first, so a missing photograph stops the run before hours of work, not after.
        var sets = settings.Sets.Select(request => PictureSets.Load(request, settings, generator)).ToList();
        foreach (var set in sets)
        {
            await log.WriteLineAsync($"{set.Section}: {set.Pictures.Count} pictures ({set.Description}), {Attacks.Count} attacks.");
            var load = RunContext.LoadAverage();
            var result = RobustnessRun.Run(set, Attacks, watermarker, stranger);
            var markdown = RobustnessTable.Format(result, RunContext.Header(settings.Arguments, result.Elapsed, load, RunContext.LoadAverage(), "pictures in parallel"));
            await log.WriteLineAsync(markdown);
            await ResultsDocument.WriteSectionAsync(settings.OutputPath, set.Section, markdown);
        }

        if (settings.FalsePositiveCount != 0)
        {
            await log.WriteLineAsync($"false positives: {settings.FalsePositiveCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"} unmarked variants, {UnmarkedVariants.All.Count} per picture.");
            var load = RunContext.LoadAverage();
            var result = FalsePositiveRun.Run(sets, settings.FalsePositiveCount, key);
            var markdown = FalsePositiveTable.Format(
                result, sets.Select(s => $"{s.Section}: {s.Pictures.Count}"), RunContext.Header(settings.Arguments, result.Wall, load, RunContext.LoadAverage(), "variants in parallel"));
            await log.WriteLineAsync(markdown);
            await ResultsDocument.WriteSectionAsync(settings.OutputPath, "false-positives", markdown);
        }

        await log.WriteLineAsync($"Wrote {settings.OutputPath}");
        return 0;
    }

    private static double Position(int index, int prime) => index * prime % 11 / 10.0;
}
