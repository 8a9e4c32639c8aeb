using System.Globalization;
using System.Text;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.WatermarkRobustness.Reporting;

/// <summary>The markdown of a picture set's results: PSNR, one row per attack naming every failing picture, false positives.</summary>
public static class RobustnessTable
{
    /// <summary>Formats <paramref name="result"/> under <paramref name="header"/> (see <see cref="RunContext.Header"/>).</summary>
    public static string Format(RobustnessResult result, string header)
    {
        ArgumentNullException.ThrowIfNull(result);
        var culture = CultureInfo.InvariantCulture;
        var pictures = result.Set.Pictures;
        var count = pictures.Count;
        var sorted = result.Psnr.Order().ToArray();
        var text = new StringBuilder(header);
        text.AppendLine(culture, $"Pictures: {count} ({result.Set.Description}), each marked with its own random 64-bit payload at the default options.");
        text.AppendLine();
        var target = new ImageWatermarkOptions().TargetPsnrDb;
        var strengthened = pictures.Select((picture, i) => (picture.Name, Psnr: result.Psnr[i])).Where(p => p.Psnr < target).ToList();
        text.AppendLine(culture, $"PSNR of marked vs original (dB): min {sorted[0]:F2}, median {sorted[sorted.Length / 2]:F2}, max {sorted[^1]:F2}.");
        text.AppendLine();
        var names = string.Join(", ", strengthened.Select(p => p.Name + " " + p.Psnr.ToString("F2", culture)));
        text.AppendLine(culture, $"Strengthened by need (within the texture allowance): {strengthened.Count} of {count} pictures marked below {target:F0} dB{(names.Length == 0 ? "" : ": " + names)}.");
        text.AppendLine();
        text.AppendLine("| Attack | Payload recovered exactly | Rate | Mean confidence | Failures |");
        text.AppendLine("| --- | ---: | ---: | ---: | --- |");
        for (var a = 0; a < result.Attacks.Count; a++)
        {
            var hits = 0;
            var confidence = 0.0;
            var failures = new List<string>();
            for (var i = 0; i < count; i++)
            {
                hits += result.Recovered[i, a] ? 1 : 0;
                confidence += result.Confidence[i, a];
                if (!result.Recovered[i, a])
                {
                    failures.Add($"#{i} {pictures[i].Name}");
                }
            }

            text.AppendLine(culture, $"| {result.Attacks[a].Name} | {hits}/{count} | {100.0 * hits / count:F1}% | {confidence / count:F2} | {string.Join(", ", failures)} |");
        }

        text.AppendLine();
        text.AppendLine(culture, $"False positives: {result.UnmarkedHits} of the {count} unmarked originals decoded a payload; {result.WrongKeyHits} of {count} marked pictures read with a wrong key. Unmarked variants: the false-positive section.");
        return text.ToString();
    }
}
