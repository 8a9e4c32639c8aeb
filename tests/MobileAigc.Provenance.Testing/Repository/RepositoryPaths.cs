namespace MobileAigc.Provenance.Testing.Repository;

/// <summary>Where things are in the repository the tests (or benchmarks) were built from.</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "MobileAigc.Provenance.sln";

    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>
    /// The repository root: the first folder above the running binaries that holds the solution file, else the first
    /// above the current folder (for binaries built or copied elsewhere, run from inside the repository).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">When no folder above either holds it.</exception>
    public static string Root => RootFolder.Value;

    /// <summary>The shipped models (<c>models/</c>), one folder per model.</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>The shipped text model's folder (<c>models/kjv-char-mlp</c>).</summary>
    public static string TextModel => Path.Combine(Models, "kjv-char-mlp");

    /// <summary>The shipped image model's folder (<c>models/cppn-image</c>).</summary>
    public static string ImageModel => Path.Combine(Models, "cppn-image");

    /// <summary>
    /// A sample of Debian's <c>wamerican</c> word list (<c>tests/fixtures/wamerican/</c>, every 50th word, with its licence),
    /// the words the text watermark's edit tests put into texts.
    /// </summary>
    public static string WordListSample => Combine("tests", "fixtures", "wamerican", "wamerican-sample.txt");

    /// <summary>A path below the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>
    /// The assembly <paramref name="assemblyFile"/> of the project <c>src/<paramref name="project"/></c> as built in the
    /// configuration (Debug, Release) of the running binaries, so that a test runs the host built with it.
    /// </summary>
    public static string BuiltAssembly(string project, string assemblyFile) =>
        Combine("src", project, "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", assemblyFile);

    /// <summary>A forge artifact (ABI and bytecode) of a contract compiled under <c>contracts/</c>.</summary>
    public static string ForgeArtifact(string source, string contract) =>
        Combine("contracts", "out", source, $"{contract}.json");

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"The repository root ({SolutionFile}) is not above {AppContext.BaseDirectory} nor the current folder.");
    }
}
