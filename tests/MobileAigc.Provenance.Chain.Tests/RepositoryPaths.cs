namespace MobileAigc.Provenance.Chain.Tests;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the first folder above the test binaries holding the solution.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A forge artifact (ABI and bytecode) of a contract compiled under contracts/.</summary>
    public static string ForgeArtifact(string source, string contract) =>
        Path.Combine(Root, "contracts", "out", source, $"{contract}.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MobileAigc.Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (MobileAigc.Provenance.sln) is not above the test binaries.");
    }
}
