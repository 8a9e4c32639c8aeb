namespace MobileAigc.Provenance.Testing.Processes;

/// <summary>How to start a <see cref="HostProcess"/> and how to know it is ready.</summary>
public sealed record HostProcessOptions
{
    /// <summary>What <see cref="Arguments"/> may hold where the port goes.</summary>
    public const string PortPlaceholder = "{port}";

    /// <summary>A name for messages (<c>ledger</c>, <c>edge-node</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The program to run (default <c>dotnet</c>).</summary>
    public string FileName { get; init; } = "dotnet";

    /// <summary>Its arguments; <see cref="PortPlaceholder"/> in any of them is replaced by the port it must listen on.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables set for it, on top of this process's.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Its working directory (default: the temporary folder).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The relative path asked over HTTP until it answers (default <c>health</c>).</summary>
    public string ReadinessPath { get; init; } = "health";

    /// <summary>What answer of <see cref="ReadinessPath"/> counts as ready (default: any).</summary>
    public HostReadiness Readiness { get; init; } = HostReadiness.AnyAnswer;

    /// <summary>How long it may take to be ready (default 60 s).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The loopback port it must listen on, for a host another must know the address of before it starts (default:
    /// a free one, <see cref="Network.FreePorts.Loopback"/>).
    /// </summary>
    public int? Port { get; init; }

    /// <summary>A file to write its output to, for long runs; default: kept in memory.</summary>
    public string? LogFile { get; init; }

    /// <summary>An ASP.NET Core host built as <paramref name="assembly"/>, run by <c>dotnet</c> listening on the port on loopback.</summary>
    public static HostProcessOptions ForAspNetCore(string name, string assembly) => new()
    {
        Name = name,
        Arguments = [assembly, "--urls", $"http://127.0.0.1:{PortPlaceholder}"],
    };

    /// <summary>
    /// These options with configuration <paramref name="settings"/> (keys with ':' separators, as in appsettings.json)
    /// added as the environment variables ASP.NET Core reads them from ('__' separators), over the ones already set.
    /// </summary>
    public HostProcessOptions WithSettings(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var environment = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return this with { Environment = environment };
    }
}

/// <summary>When a starting <see cref="HostProcess"/> counts as ready.</summary>
public enum HostReadiness
{
    /// <summary>Any HTTP answer: the server listens (its health may still be degraded, e.g. while a chain is away).</summary>
    AnyAnswer,

    /// <summary>A success status code (2xx).</summary>
    Success,
}
