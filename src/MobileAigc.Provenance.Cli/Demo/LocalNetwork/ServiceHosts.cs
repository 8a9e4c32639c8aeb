namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>The two service hosts the demo runs, as paths to their assemblies.</summary>
/// <param name="Ledger">The ledger host (<c>ledger.dll</c>).</param>
/// <param name="EdgeNode">The edge node host (<c>edge-node.dll</c>).</param>
internal sealed record ServiceHosts(string Ledger, string EdgeNode)
{
    /// <summary>
    /// The hosts given by <c>--ledger-host</c> and <c>--node-host</c>, each defaulting to its build
    /// output in the repository this CLI was built in (the solution folder above
    /// <see cref="AppContext.BaseDirectory"/>, same configuration and framework folders as the CLI's own).
    /// </summary>
    /// <exception cref="FileNotFoundException">When a host is not where it is given or built (the message names the option).</exception>
    public static ServiceHosts Find(string? ledger, string? edgeNode) => new(
        Find(ledger, "--ledger-host", "MobileAigc.Provenance.Ledger.Host", "ledger.dll"),
        Find(edgeNode, "--node-host", "MobileAigc.Provenance.EdgeNode.Host", "edge-node.dll"));

    private static string Find(string? given, string option, string project, string assembly)
    {
        if (given is not null)
        {
            var path = Path.GetFullPath(given);
            return File.Exists(path) ? path : throw new FileNotFoundException($"No host assembly at '{path}' ({option}).");
        }

        var built = BuildOutput(project, assembly);
        return built is not null && File.Exists(built)
            ? built
            : throw new FileNotFoundException(built is null
                ? $"No {assembly}: this CLI does not run from a repository build (no MobileAigc.Provenance.sln above {AppContext.BaseDirectory}); give {option}."
                : $"No {assembly} at '{built}': build the solution (scripts/bootstrap.sh) or give {option}.");
    }

    private static string? BuildOutput(string project, string assembly)
    {
        // The CLI runs from <project>/bin/<configuration>/<framework>/: the hosts are built beside it the same way.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent;
        for (var dir = framework; dir is not null && configuration is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MobileAigc.Provenance.sln")))
            {
                return Path.Combine(dir.FullName, "src", project, "bin", configuration.Name, framework.Name, assembly);
            }
        }

        return null;
    }
}
