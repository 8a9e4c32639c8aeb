using System.Globalization;
using System.Text;
using MobileAigc.Provenance.WatermarkRobustness.FalsePositives;

namespace MobileAigc.Provenance.WatermarkRobustness.Reporting;

/// <summary>The markdown of a false-positive run: what was read, how long it took, every hit, and the variants' definitions.</summary>
public static class FalsePositiveTable
{
    /// <summary>Formats <paramref name="result"/> under <paramref name="header"/> (see <see cref="RunContext.Header"/>).</summary>
    public static string Format(FalsePositiveResult result, IEnumerable<string> setDescriptions, string header)
    {
        ArgumentNullException.ThrowIfNull(result);
        var culture = CultureInfo.InvariantCulture;
        var text = new StringBuilder(header);
        text.AppendLine(culture, $"Unmarked pictures: {result.Reads:N0} variants of the {result.Pictures} unmarked originals of the sets above ({string.Join("; ", setDescriptions)}), each read with the reader's full search and every payload that decodes checked against {result.KeyCount:N0} node keys' MACs (`ImageWatermarkReader`), so {(long)result.Reads * result.KeyCount:N0} picture-key pairs.");
        text.AppendLine();
        text.AppendLine("| Kind of variant | Read | Decoded a payload |");
        text.AppendLine("| --- | ---: | ---: |");
        foreach (var (kind, reads) in result.ReadsPerKind)
        {
            text.AppendLine(culture, $"| {kind} | {reads:N0} | {result.Hits.Count(h => KindOf(h.Variant) == kind)} |");
        }

        text.AppendLine(culture, $"| **all** | **{result.Reads:N0}** | **{result.Hits.Count}** |");
        text.AppendLine();
        var perRead = result.ProcessorTime.TotalMilliseconds / Math.Max(1, result.Reads);
        text.AppendLine(culture, $"Time: {result.Wall.TotalSeconds:F0} s wall, {result.ProcessorTime.TotalSeconds:F0} s processor time on {Environment.ProcessorCount} cores ({perRead:F1} ms of processor time per variant, deriving it included).");
        text.AppendLine();
        text.AppendLine(result.Hits.Count == 0
            ? "No variant decoded a payload for any key."
            : "Variants that decoded a payload: " + string.Join("; ", result.Hits.Select(h => $"{h.Picture}, {h.Variant} (keys {string.Join(", ", h.KeyIndices)})")) + ".");
        text.AppendLine();
        text.AppendLine("The variants (each applied to every original; `UnmarkedVariants.cs`):");
        text.AppendLine();
        foreach (var group in UnmarkedVariants.All.GroupBy(v => v.Kind))
        {
            text.AppendLine(culture, $"- {group.Key} ({group.Count()}): {string.Join("; ", group.Select(v => v.Name))}.");
        }

        return text.ToString();
    }

    private static string KindOf(string variant) => UnmarkedVariants.All.First(v => v.Name == variant).Kind;
}
