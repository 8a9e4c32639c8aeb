using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.LedgerLoad.Environment;

/// <summary>
/// The real ledger host (<c>ledger.dll</c>, built in the generator's configuration) as a child process on a loopback
/// port, configured through environment variables as an operator would, in production mode, its output in a log file.
/// </summary>
public static class LedgerProcess
{
    /// <summary>The path of the host assembly built next to this generator's configuration.</summary>
    public static string HostAssembly => RepositoryPaths.BuiltAssembly("MobileAigc.Provenance.Ledger.Host", "ledger.dll");

    /// <summary>Starts the host with <paramref name="settings"/> (keys with ':' separators) and waits until it answers HTTP.</summary>
    /// <exception cref="FileNotFoundException">When the host is not built.</exception>
    /// <exception cref="InvalidOperationException">When it exits during start (the message holds its output).</exception>
    /// <exception cref="TimeoutException">When it does not listen within a minute.</exception>
    public static Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string logPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var assembly = HostAssembly;
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"The ledger host is not built: {assembly}. Build the generator (it builds the host) in the same configuration.", assembly);
        }

        // Any answer means Kestrel is up; health may still be degraded while the indexer catches up.
        var options = HostProcessOptions.ForAspNetCore("ledger", assembly) with
        {
            // The host's own folder is its content root, as in its container image: appsettings.json and wwwroot are there.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            Environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            LogFile = logPath,
        };
        options = options.WithSettings(new Dictionary<string, string> { ["Logging:Console:FormatterName"] = "simple" }).WithSettings(settings);
        return HostProcess.StartAsync(options, cancellationToken);
    }
}
