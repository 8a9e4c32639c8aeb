using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>
/// Starts the edge node and the ledger on loopback, each as its own process in its own folder
/// under the demo's output, configured as their operators configure them: environment variables,
/// secrets in files (the node's keystore passphrase, the ledger's anchorer keystore and admin key).
/// Short intervals everywhere, so that the round trip takes seconds rather than minutes.
/// </summary>
internal sealed class LocalServices(ServiceHosts hosts, AnvilNode anvil, string deploymentFile, LocalPorts ports, string outputDirectory)
{
    // The services' own messages in their logs, not every request and SQL command.
    private static readonly Dictionary<string, string> QuietFramework = new()
    {
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
    };

    /// <summary>The edge node's folder: keystore, watermark key, outbox, payments, log.</summary>
    public string NodeDirectory { get; } = Path.Combine(outputDirectory, "node");

    /// <summary>The ledger's folder: SQLite database, anchorer keystore, admin key, log.</summary>
    public string LedgerDirectory { get; } = Path.Combine(outputDirectory, "ledger");

    /// <summary>The node's encrypted keystore (its operator settles and withdraws with it).</summary>
    public FileInfo NodeKeystore => new(Path.Combine(NodeDirectory, "node-keystore.json"));

    /// <summary>The file holding the node keystore's passphrase.</summary>
    public FileInfo NodePassphraseFile => new(Path.Combine(NodeDirectory, "passphrase"));

    /// <summary>The provider key the node creates on its first start: its provider presents it to read earnings, channels and held records.</summary>
    public FileInfo NodeProviderKeyFile => new(Path.Combine(NodeDirectory, "provider.key"));

    /// <summary>Where the ledger will listen: chosen up front, so the node knows where to deliver before the ledger runs.</summary>
    public Uri LedgerAddress { get; } = LocalPorts.Loopback(ports.Ledger);

    /// <summary>The deployment file both hosts read their chain id and contracts from, as <c>provenance deploy</c> writes it.</summary>
    public string DeploymentFile => deploymentFile;

    /// <summary>The ledger's admin API key (also in <c>admin.key</c> in its folder).</summary>
    public string AdminKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts the edge node: it serves <paramref name="modelsDirectory"/>, takes payments and settles a channel once it owes <paramref name="settlementThreshold"/>.</summary>
    public async Task<ServiceProcess> StartEdgeNodeAsync(string modelsDirectory, BigInteger settlementThreshold, CancellationToken cancellationToken)
    {
        // Secrets are written owner-only from the start, in owner-only folders (the node's as the node itself would create it).
        SecretFile.CreateFolder(NodeDirectory, restrict: true);
        if (!NodePassphraseFile.Exists)
        {
            await SecretFile.CreateAsync(NodePassphraseFile.FullName, Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(24))), cancellationToken);
        }

        var environment = new Dictionary<string, string>(QuietFramework)
        {
            ["EdgeNode__DataDirectory"] = NodeDirectory,
            ["EdgeNode__ModelsDirectory"] = Path.GetFullPath(modelsDirectory),
            ["EdgeNode__PassphraseFile"] = NodePassphraseFile.FullName,
            // Chain id, ledger contract, registry and channels: from the deployment file, as an operator configures it.
            ["EdgeNode__DeploymentFile"] = deploymentFile,
            ["Ledger__BaseAddress"] = LedgerAddress.ToString(),
            ["Ledger__PollInterval"] = "00:00:00.200",
            ["Ledger__MinBackoff"] = "00:00:00.200",
            ["Ledger__MaxBackoff"] = "00:00:00.500",
            ["Payments__RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Payments__SettlementThreshold"] = Invariant(settlementThreshold),
            ["Payments__SettlementPollInterval"] = "00:00:00.500",
            // The node keeps its records' proofs once anchored; like the ledger here, without waiting for blocks the local chain only mines on demand.
            ["Evidence__PollInterval"] = "00:00:00.200",
            ["Evidence__MaxBackoff"] = "00:00:01",
            ["Evidence__Confirmations"] = "0",
        };
        return await ServiceProcess.StartAsync("edge node", hosts.EdgeNode, LocalPorts.Loopback(ports.Node), NodeDirectory, environment,
            Path.Combine(NodeDirectory, "node.log"), cancellationToken);
    }

    /// <summary>
    /// Starts the ledger at <see cref="LedgerAddress"/>: SQLite in its folder, anchoring as
    /// <paramref name="anchorer"/>, tracing watermarks with the node's watermark key and the text
    /// models' tokenizers in <paramref name="modelsDirectory"/>.
    /// </summary>
    public async Task<ServiceProcess> StartLedgerAsync(EthECKey anchorer, string modelsDirectory, CancellationToken cancellationToken)
    {
        // A database left by an earlier run mirrors contracts on a chain that is gone: the ledger would rightly refuse to anchor on the new one.
        var database = Path.Combine(LedgerDirectory, "db");
        if (Directory.Exists(database))
        {
            Directory.Delete(database, recursive: true);
        }

        SecretFile.CreateFolder(LedgerDirectory, restrict: true);
        var passphrase = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var passphraseFile = Path.Combine(LedgerDirectory, "anchorer.passphrase");
        var keystoreFile = Path.Combine(LedgerDirectory, "anchorer.keystore.json");
        var adminKeyFile = Path.Combine(LedgerDirectory, "admin.key");
        // Replaced, not rewritten: a file of an earlier run never lends its mode to a new secret.
        await SecretFile.ReplaceAsync(passphraseFile, Encoding.ASCII.GetBytes(passphrase), cancellationToken);
        await SecretFile.ReplaceAsync(keystoreFile, Encoding.UTF8.GetBytes(new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            passphrase, anchorer.GetPrivateKeyAsBytes(), anchorer.GetPublicAddress(), new ScryptParams { Dklen = 32, N = 1 << 14, R = 8, P = 1 })), cancellationToken);
        await SecretFile.ReplaceAsync(adminKeyFile, Encoding.ASCII.GetBytes(AdminKey), cancellationToken);

        var environment = new Dictionary<string, string>(QuietFramework)
        {
            ["Ledger__Database__DataDirectory"] = database,
            ["Ledger__Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Ledger__Chain__DeploymentFile"] = deploymentFile,
            // anvil mines a block per transaction and no other: waiting for confirmations would wait forever.
            ["Ledger__Chain__Confirmations"] = "0",
            ["Ledger__Chain__PollInterval"] = "00:00:00.200",
            ["Ledger__Chain__AnchorerKeystorePath"] = keystoreFile,
            ["Ledger__Chain__AnchorerPassphraseFile"] = passphraseFile,
            ["Ledger__Anchoring__MaxBatchAge"] = "00:00:01",
            // The node wrote its enrollment at start; its operator hands it to the ledger's operator.
            ["Ledger__Verification__WatermarkEnrollmentFiles__0"] = Path.Combine(NodeDirectory, "watermark-enrollment.json"),
            ["Ledger__Host__AdminApiKeyFile"] = adminKeyFile,
        };
        var manifests = ModelManifests(modelsDirectory).ToLookup(path => ModelManifest.Load(path).Kind == ModelKind.Text);
        foreach (var (manifest, index) in manifests[true].Select((m, i) => (m, i)))
        {
            environment[$"Ledger__Verification__TextModelManifests__{index}"] = manifest;
        }

        foreach (var (manifest, index) in manifests[false].Select((m, i) => (m, i)))
        {
            environment[$"Ledger__Verification__ModelManifests__{index}"] = manifest;
        }

        return await ServiceProcess.StartAsync("ledger", hosts.Ledger, LedgerAddress, LedgerDirectory, environment,
            Path.Combine(LedgerDirectory, "ledger.log"), cancellationToken);
    }

    // The ledger detects text watermarks with the tokenizers of the text models' manifests, and names every model
    // by its manifest.
    private static IEnumerable<string> ModelManifests(string modelsDirectory) =>
        Directory.EnumerateFiles(Path.GetFullPath(modelsDirectory), ModelManifest.FileName, SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);

    private static string Invariant(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
