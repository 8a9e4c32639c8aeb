namespace MobileAigc.Provenance.Chain.DevChain;

/// <summary>How to start a managed local anvil.</summary>
public sealed class AnvilOptions
{
    /// <summary>
    /// The anvil executable. Default: <c>null</c>, meaning the <c>ANVIL_PATH</c> environment variable,
    /// else <c>contracts/node_modules/.bin/anvil</c> found by walking up from the working directory
    /// and from the application's directory (where <c>npm ci</c> in <c>contracts/</c> puts it).
    /// </summary>
    public string? ExecutablePath { get; set; }

    /// <summary>The loopback port. Default: 0, meaning a free port chosen at start.</summary>
    public int Port { get; set; }

    /// <summary>The chain id. Default: 31337, anvil's own.</summary>
    public ulong ChainId { get; set; } = 31337;

    /// <summary>Seconds between blocks. Default: <c>null</c>, meaning a block per transaction (automine).</summary>
    public int? BlockTimeSeconds { get; set; }

    /// <summary>
    /// A file anvil loads its state from at start and writes back on exit, so that a chain outlives
    /// the process. Default: <c>null</c>, meaning a fresh chain every start.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>How long to wait for the JSON-RPC endpoint to answer. Default: 30 seconds.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
