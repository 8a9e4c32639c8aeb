namespace MobileAigc.Provenance.LedgerLoad.Reporting;

/// <summary>
/// A markdown file with generated blocks between <c>&lt;!-- results:NAME --&gt;</c> and
/// <c>&lt;!-- /results:NAME --&gt;</c>: a run replaces its own block and leaves the rest of the
/// page, written by people, untouched.
/// </summary>
public static class ResultsDocument
{
    /// <summary>Replaces block <paramref name="name"/> of <paramref name="path"/> with <paramref name="content"/>, or appends the block when it is missing.</summary>
    /// <exception cref="InvalidDataException">When the start marker is there but its end marker is not.</exception>
    public static async Task WriteBlockAsync(string path, string name, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        await File.WriteAllTextAsync(path, ReplaceBlock(text, name, content));
    }

    /// <summary>The text with block <paramref name="name"/> replaced (or appended).</summary>
    public static string ReplaceBlock(string text, string name, string content)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = $"<!-- results:{name} -->";
        var end = $"<!-- /results:{name} -->";
        var block = $"{start}\n{content.TrimEnd()}\n{end}";
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return text.TrimEnd() + "\n\n" + block + "\n";
        }

        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        if (to < 0)
        {
            throw new InvalidDataException($"'{start}' has no '{end}' after it.");
        }

        return string.Concat(text.AsSpan(0, from), block, text.AsSpan(to + end.Length));
    }
}
