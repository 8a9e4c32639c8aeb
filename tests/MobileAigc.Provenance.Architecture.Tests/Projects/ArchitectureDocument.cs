using System.Text.RegularExpressions;

namespace MobileAigc.Provenance.Architecture.Tests.Projects;

/// <summary>
/// What <c>docs/architecture.md</c> says about the projects: the table of allowed references
/// (the rows under the heading <see cref="RuleHeading"/>) and the picture of the graph (its
/// <c>mermaid</c> block). The tests hold the code to the table and the picture to the code, so
/// neither can drift from the project files.
/// </summary>
public sealed partial class ArchitectureDocument
{
    /// <summary>The heading of the section whose table lists the allowed references.</summary>
    public const string RuleHeading = "## The dependency rule";

    private ArchitectureDocument(IReadOnlyDictionary<string, IReadOnlySet<string>> allowed, IReadOnlySet<(string From, string To)> pictured)
    {
        Allowed = allowed;
        Pictured = pictured;
    }

    /// <summary>For each project (short name), the projects it may reference directly.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Allowed { get; }

    /// <summary>The edges the picture draws, as (from, to) short names.</summary>
    public IReadOnlySet<(string From, string To)> Pictured { get; }

    /// <summary>Reads <c>docs/architecture.md</c> of the repository.</summary>
    public static ArchitectureDocument Load() =>
        Parse(File.ReadAllText(Path.Combine(SourceProjects.RepositoryRoot.FullName, "docs", "architecture.md")));

    /// <summary>Reads the table and the picture out of the markdown <paramref name="markdown"/>.</summary>
    /// <exception cref="FormatException">When the section, its table or the picture is missing.</exception>
    public static ArchitectureDocument Parse(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        return new ArchitectureDocument(ParseTable(lines), ParsePicture(lines));
    }

    private static Dictionary<string, IReadOnlySet<string>> ParseTable(List<string> lines)
    {
        var start = lines.FindIndex(l => l.Trim() == RuleHeading);
        if (start < 0)
        {
            throw new FormatException($"docs/architecture.md has no '{RuleHeading}' section.");
        }

        var allowed = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            // A row: | `Project` | `A`, `B` or — | why |
            if (cells.Length < 4 || RowProject().Match(cells[1]) is not { Success: true } project)
            {
                continue;
            }

            allowed.Add(project.Groups["name"].Value,
                ProjectName().Matches(cells[2]).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal));
        }

        return allowed.Count > 0 ? allowed : throw new FormatException($"The '{RuleHeading}' section has no table of projects.");
    }

    private static HashSet<(string, string)> ParsePicture(List<string> lines)
    {
        var start = lines.FindIndex(l => l.Trim() == "```mermaid");
        if (start < 0)
        {
            throw new FormatException("docs/architecture.md has no mermaid picture of the project graph.");
        }

        var block = lines.Skip(start + 1).TakeWhile(l => l.Trim() != "```").ToList();
        // Node ids cannot hold dots, so a node is declared as Id["Label"] and edges use ids.
        var labels = block.SelectMany(l => NodeDeclaration().Matches(l))
            .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["label"].Value, StringComparer.Ordinal);
        string Label(string id) => labels.TryGetValue(id, out var label) ? label : id;
        return block.Select(l => Edge().Match(l)).Where(m => m.Success)
            .Select(m => (Label(m.Groups["from"].Value), Label(m.Groups["to"].Value)))
            .ToHashSet();
    }

    [GeneratedRegex(@"^`(?<name>[A-Za-z][A-Za-z.]*)`$")]
    private static partial Regex RowProject();

    [GeneratedRegex(@"`(?<name>[A-Za-z][A-Za-z.]*)`")]
    private static partial Regex ProjectName();

    [GeneratedRegex(@"(?<id>[A-Za-z][A-Za-z0-9]*)\[""(?<label>[^""]+)""\]")]
    private static partial Regex NodeDeclaration();

    [GeneratedRegex(@"^\s*(?<from>[A-Za-z][A-Za-z0-9]*)(\[""[^""]*""\])?\s*-->\s*(?<to>[A-Za-z][A-Za-z0-9]*)(\[""[^""]*""\])?\s*$")]
    private static partial Regex Edge();
}
