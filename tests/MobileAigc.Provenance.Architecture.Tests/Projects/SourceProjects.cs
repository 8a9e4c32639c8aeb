using System.Xml.Linq;

namespace MobileAigc.Provenance.Architecture.Tests.Projects;

/// <summary>One project under <c>src/</c>: its short name (without <c>MobileAigc.Provenance.</c>) and where it lives.</summary>
/// <param name="Name">The short name, e.g. <c>Ledger.Host</c>.</param>
/// <param name="ProjectFile">The .csproj file.</param>
/// <param name="References">The short names of the projects it references directly.</param>
public sealed record SourceProject(string Name, FileInfo ProjectFile, IReadOnlySet<string> References)
{
    /// <summary>The compiled assembly in the project's own output folder, built in the same configuration as these tests.</summary>
    public FileInfo Assembly
    {
        get
        {
            var document = XDocument.Load(ProjectFile.FullName);
            var assemblyName = document.Descendants("AssemblyName").Select(e => e.Value).FirstOrDefault()
                ?? Path.GetFileNameWithoutExtension(ProjectFile.Name);
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return new FileInfo(Path.Combine(ProjectFile.DirectoryName!, "bin", configuration, "net10.0", assemblyName + ".dll"));
        }
    }
}

/// <summary>The projects under <c>src/</c> and their <c>ProjectReference</c>s, read from the .csproj files.</summary>
public static class SourceProjects
{
    /// <summary>The prefix every project name shares.</summary>
    public const string Prefix = "MobileAigc.Provenance.";

    /// <summary>The folder holding the solution file.</summary>
    public static DirectoryInfo RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Every project under <c>src/</c>, by short name.</summary>
    public static IReadOnlyDictionary<string, SourceProject> All { get; } = Load();

    /// <summary>Every direct reference between projects under <c>src/</c>, as (from, to) short names.</summary>
    public static IReadOnlySet<(string From, string To)> Edges { get; } =
        All.Values.SelectMany(p => p.References.Select(r => (p.Name, r))).ToHashSet();

    /// <summary>Every project <paramref name="name"/> reaches through references, itself excluded.</summary>
    public static IReadOnlySet<string> Closure(string name)
    {
        var reached = new HashSet<string>();
        var pending = new Stack<string>(All[name].References);
        while (pending.TryPop(out var next))
        {
            if (reached.Add(next))
            {
                foreach (var reference in All[next].References)
                {
                    pending.Push(reference);
                }
            }
        }

        return reached;
    }

    private static Dictionary<string, SourceProject> Load()
    {
        var projects = new Dictionary<string, SourceProject>(StringComparer.Ordinal);
        foreach (var file in new DirectoryInfo(Path.Combine(RepositoryRoot.FullName, "src")).EnumerateFiles("*.csproj", SearchOption.AllDirectories))
        {
            var references = XDocument.Load(file.FullName).Descendants("ProjectReference")
                .Select(e => ShortName(Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/'))))
                .ToHashSet(StringComparer.Ordinal);
            var name = ShortName(Path.GetFileNameWithoutExtension(file.Name));
            projects.Add(name, new SourceProject(name, file, references));
        }

        return projects;
    }

    private static string ShortName(string projectName) =>
        projectName.StartsWith(Prefix, StringComparison.Ordinal) ? projectName[Prefix.Length..] : projectName;

    private static DirectoryInfo FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MobileAigc.Provenance.sln")))
            {
                return dir;
            }
        }

        throw new DirectoryNotFoundException("The repository root (MobileAigc.Provenance.sln) is not above " + AppContext.BaseDirectory);
    }
}
