namespace MobileAigc.Provenance.WatermarkRobustness.Reporting;

/// <summary>
/// The markdown file the benchmark writes into: each results section lies between <c>&lt;!-- results:NAME --&gt;</c> and
/// <c>&lt;!-- /results:NAME --&gt;</c> and is replaced in place; a section not there yet is appended.
/// </summary>
public static class ResultsDocument
{
    /// <summary>Replaces (or appends) the section <paramref name="name"/> of <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static async Task WriteSectionAsync(string path, string name, string content)
    {
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : "# Image watermark robustness\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, WithSection(existing, name, content));
    }

    /// <summary>The text <paramref name="document"/> with the section <paramref name="name"/> replaced, or appended when absent.</summary>
    public static string WithSection(string document, string name, string content)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(content);
        var begin = $"<!-- results:{name} -->";
        var end = $"<!-- /results:{name} -->";
        var section = $"{begin}\n{content.TrimEnd()}\n{end}";
        var start = document.IndexOf(begin, StringComparison.Ordinal);
        var stop = start >= 0 ? document.IndexOf(end, start, StringComparison.Ordinal) : -1;
        return start >= 0 && stop > start
            ? document[..start] + section + document[(stop + end.Length)..]
            : document.TrimEnd() + "\n\n" + section + "\n";
    }
}
