namespace MobileAigc.Provenance.Architecture.Tests.Projects;

/// <summary>
/// The project references under <c>src/</c> against the table and the picture in
/// <c>docs/architecture.md</c>, and against the rules of the design that no edit of the table may
/// undo (the core depends on nothing of ours, nothing depends on a host, the edge node and the
/// ledger never depend on each other, the ledger never loads ONNX Runtime).
/// </summary>
public sealed class DependencyRuleTests
{
    private static ArchitectureDocument Document => ArchitectureDocument.Load();

    public static TheoryData<string> Projects() => [.. SourceProjects.All.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Table_ListsEveryProjectUnderSource()
    {
        Assert.Equal(SourceProjects.All.Keys.Order(StringComparer.Ordinal), Document.Allowed.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ProjectReferences_OfEveryProject_AreAllowedByTheTable(string project)
    {
        var forbidden = SourceProjects.All[project].References.Except(Document.Allowed.GetValueOrDefault(project) ?? new HashSet<string>()).Order(StringComparer.Ordinal);

        Assert.True(!forbidden.Any(), $"{project} references {string.Join(", ", forbidden)}, which the table in docs/architecture.md does not allow.");
    }

    [Fact]
    public void Picture_DrawsTheGraphAsItIs()
    {
        var missing = SourceProjects.Edges.Except(Document.Pictured).Select(e => $"{e.From} --> {e.To}").Order(StringComparer.Ordinal);
        var extra = Document.Pictured.Except(SourceProjects.Edges).Select(e => $"{e.From} --> {e.To}").Order(StringComparer.Ordinal);

        Assert.True(!missing.Any() && !extra.Any(),
            $"The picture in docs/architecture.md lacks [{string.Join("; ", missing)}] and draws references that do not exist [{string.Join("; ", extra)}].");
    }

    [Fact]
    public void Core_ReferencesNoOtherProject()
    {
        Assert.Empty(SourceProjects.All["Core"].References);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void Hosts_AreReferencedByNoProject(string project)
    {
        Assert.DoesNotContain(SourceProjects.All[project].References, r => r.EndsWith(".Host", StringComparison.Ordinal));
    }

    [Fact]
    public void EdgeNodeAndLedger_NeverReachEachOther()
    {
        Assert.DoesNotContain("Ledger", SourceProjects.Closure("EdgeNode"));
        Assert.DoesNotContain("EdgeNode", SourceProjects.Closure("Ledger"));
    }

    [Theory]
    [InlineData("Ledger")]
    [InlineData("ModelDescriptions")]
    public void Project_NeverReachesOnnxRuntime(string project)
    {
        var reached = SourceProjects.Closure(project).Append(project)
            .Where(p => File.ReadAllText(SourceProjects.All[p].ProjectFile.FullName).Contains("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal));

        Assert.Empty(reached);
    }

    [Fact]
    public void Parse_TableAndPicture_ReadsRowsAndLabelledEdges()
    {
        var document = ArchitectureDocument.Parse("""
            # Architecture
            ## The dependency rule
            | project | may reference | why |
            |---|---|---|
            | `Core` | — | the domain |
            | `Ledger.Host` | `Ledger`, `Core` | wiring |
            ## Next
            | `Ignored` | `Core` | after the section |
            ```mermaid
            flowchart TD
                LedgerHost["Ledger.Host"] --> Ledger
                Ledger --> Core
            ```
            """);

        Assert.Equal(["Core", "Ledger.Host"], document.Allowed.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(document.Allowed["Core"]);
        Assert.Equal(["Core", "Ledger"], document.Allowed["Ledger.Host"].Order(StringComparer.Ordinal));
        Assert.True(document.Pictured.SetEquals([("Ledger.Host", "Ledger"), ("Ledger", "Core")]));
    }
}
