using MobileAigc.Provenance.Architecture.Tests.Projects;

namespace MobileAigc.Provenance.Architecture.Tests.Folders;

/// <summary>Inside a project, folders (namespaces) depend on each other in one direction only.</summary>
public sealed class FolderCycleTests
{
    public static TheoryData<string> Projects() => [.. SourceProjects.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Projects))]
    public void Folders_OfEveryProject_UseEachOtherWithoutCycles(string project)
    {
        var graph = NamespaceGraph.Read(SourceProjects.All[project].Assembly.FullName, SourceProjects.Prefix + project);

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(cycle =>
            $"{project}: folders use each other in a circle: " + string.Join(" ; ", cycle.SelectMany(from =>
                cycle.Where(to => graph.Uses(from).ContainsKey(to)).Select(to => $"{Short(graph, from)} -> {Short(graph, to)} ({graph.Uses(from)[to]})"))))));
    }

    [Fact]
    public void Cycles_TwoFoldersUsingEachOther_AreFound()
    {
        // The check itself must be able to fail: this assembly's own Fixtures folder and this one use each other.
        var graph = NamespaceGraph.Read(typeof(FolderCycleTests).Assembly.Location, "MobileAigc.Provenance.Architecture.Tests");

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(
            ["MobileAigc.Provenance.Architecture.Tests.Folders", "MobileAigc.Provenance.Architecture.Tests.Folders.CycleFixture"],
            cycle.Order(StringComparer.Ordinal));
    }

    private static string Short(NamespaceGraph graph, string ns) =>
        ns == graph.RootNamespace ? "(root)" : ns[(graph.RootNamespace.Length + 1)..];
}

/// <summary>Uses <see cref="CycleFixture.Second"/>, which uses this back: the known cycle the check must find.</summary>
internal static class First
{
    public static int Value => CycleFixture.Second.Value + 1;

    public static int Base => 1;
}
