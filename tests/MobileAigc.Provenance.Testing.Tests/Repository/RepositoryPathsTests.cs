using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Testing.Tests.Repository;

public sealed class RepositoryPathsTests
{
    [Fact]
    public void Root_HoldsTheSolutionAndIsAboveTheBinaries()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "MobileAigc.Provenance.sln")));
        Assert.StartsWith(RepositoryPaths.Root, AppContext.BaseDirectory, StringComparison.Ordinal);
        Assert.True(Directory.Exists(RepositoryPaths.Models));
    }

    [Fact]
    public void BuiltAssembly_IsInTheRunningConfigurationsOutput()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

        var path = RepositoryPaths.BuiltAssembly("MobileAigc.Provenance.Ledger.Host", "ledger.dll");

        Assert.Equal(Path.Combine(RepositoryPaths.Root, "src", "MobileAigc.Provenance.Ledger.Host", "bin", configuration, "net10.0", "ledger.dll"), path);
    }
}
