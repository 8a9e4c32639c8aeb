namespace MobileAigc.Provenance.Cli.Demo.Serving;

/// <summary>The stable defaults of <c>provenance demo --serve</c>, and the clean slate it starts from.</summary>
internal static class ServeDefaults
{
    /// <summary>anvil's JSON-RPC port: 8545, every Ethereum tool's default.</summary>
    public const int Anvil = 8545;

    /// <summary>The ledger's port: 8080.</summary>
    public const int Ledger = 8080;

    /// <summary>The edge node's port: 8081.</summary>
    public const int Node = 8081;

    /// <summary>
    /// Deletes what an earlier run left in <paramref name="outputDirectory"/> that belongs to its chain, which is gone
    /// (anvil keeps no state): the node's folder (outbox of records signed for old contracts, keystore), the ledger's
    /// (database mirroring old contracts), the actors' keystores and the deployment file. Generated files stay.
    /// </summary>
    public static void WipeEarlierRun(string outputDirectory)
    {
        foreach (var folder in new[] { "node", "ledger", "keys" }.Select(f => Path.Combine(outputDirectory, f)).Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        if (Directory.Exists(outputDirectory))
        {
            File.Delete(Path.Combine(outputDirectory, "deployment.json"));
        }
    }
}
