namespace MobileAigc.Provenance.Ledger.Tests.Fixtures;

/// <summary>
/// The real <c>ledger</c> host (built next to the tests) as a child process on a loopback port, configured through
/// environment variables the way an operator configures it; <see cref="HostProcess.Kill"/> is what the fault-injection
/// tests need.
/// </summary>
public static class LedgerHostProcess
{
    /// <summary>Starts the host with <paramref name="settings"/> (configuration keys with ':' separators) and waits until /health answers at all.</summary>
    /// <remarks>Any answer means Kestrel is up: health may be degraded while the chain is away.</remarks>
    public static Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = HostProcessOptions.ForAspNetCore("ledger", RepositoryPaths.BuiltAssembly("MobileAigc.Provenance.Ledger.Host", "ledger.dll"))
            .WithSettings(new Dictionary<string, string>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:Console:FormatterName"] = "simple",
            })
            .WithSettings(settings);
        return HostProcess.StartAsync(options);
    }
}
