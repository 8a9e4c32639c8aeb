namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>The real <c>edge-node</c> host as a child process on a free loopback port, with the shipped models.</summary>
public static class EdgeNodeHost
{
    /// <summary>The passphrase of the node's key file.</summary>
    public const string Passphrase = "edge node test passphrase";

    /// <summary>The ledger contract the node signs records for (anvil's first deployment address).</summary>
    public const string LedgerContract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    /// <summary>The provider key the node created in <paramref name="dataDirectory"/> on its first start.</summary>
    public static string ProviderKey(string dataDirectory) => File.ReadAllText(Path.Combine(dataDirectory, "provider.key")).Trim();

    /// <summary>The node key the host keeps in <paramref name="dataDirectory"/> (created on its first start).</summary>
    public static Task<Nethereum.Signer.EthECKey> NodeKeyAsync(string dataDirectory) =>
        MobileAigc.Provenance.EdgeNode.Keys.NodeKeyStore.LoadAsync(Path.Combine(dataDirectory, "node-keystore.json"), Passphrase);

    /// <summary>An HttpClient of the node's provider: it presents the provider key the node keeps in <paramref name="dataDirectory"/>.</summary>
    public static HttpClient ProviderClient(HostProcess node, string dataDirectory, TimeSpan? timeout = null) => new()
    {
        BaseAddress = node.BaseAddress,
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ProviderKey(dataDirectory)) },
    };

    /// <summary>
    /// Starts the host on <paramref name="dataDirectory"/>, delivering to <paramref name="ledger"/>, with more
    /// <paramref name="settings"/> (environment variables such as <c>Payments__RpcUrl</c>), and waits until /health succeeds.
    /// </summary>
    public static Task<HostProcess> StartAsync(string dataDirectory, Uri? ledger, IReadOnlyDictionary<string, string>? settings = null) =>
        LaunchAsync(dataDirectory, ledger, new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            // The contract the node signs for, unless the test names another.
            ["EdgeNode__ProvenanceLedger"] = settings?.GetValueOrDefault("EdgeNode__ProvenanceLedger") ?? LedgerContract,
        });

    /// <summary>
    /// Starts the host as <see cref="StartAsync(string, Uri?, IReadOnlyDictionary{string, string}?)"/> does, but with no chain id
    /// and no contract address at all: <paramref name="deploymentFile"/> (<c>EdgeNode__DeploymentFile</c>) gives them.
    /// </summary>
    public static Task<HostProcess> StartWithDeploymentFileAsync(
        string dataDirectory, Uri? ledger, string deploymentFile, IReadOnlyDictionary<string, string>? settings = null) =>
        LaunchAsync(dataDirectory, ledger, new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["EdgeNode__DeploymentFile"] = deploymentFile,
        });

    private static Task<HostProcess> LaunchAsync(string dataDirectory, Uri? ledger, Dictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["EDGE_NODE_PASSPHRASE"] = Passphrase,
            ["EdgeNode__DataDirectory"] = dataDirectory,
            ["EdgeNode__ModelsDirectory"] = RepositoryPaths.Models,
            ["Ledger__PollInterval"] = "00:00:00.100",
            ["Ledger__MinBackoff"] = "00:00:00.100",
            ["Ledger__MaxBackoff"] = "00:00:00.500",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (ledger is not null)
        {
            environment["Ledger__BaseAddress"] = ledger.ToString();
        }

        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return HostProcess.StartAsync(HostProcessOptions.ForAspNetCore("edge-node", RepositoryPaths.BuiltAssembly("MobileAigc.Provenance.EdgeNode.Host", "edge-node.dll")) with
        {
            Environment = environment,
            WorkingDirectory = dataDirectory,
            Readiness = HostReadiness.Success,
        });
    }
}
