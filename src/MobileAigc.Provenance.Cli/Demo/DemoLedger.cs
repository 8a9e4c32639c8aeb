using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Ledger.Host;
using Microsoft.AspNetCore.Builder;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Demo;

/// <summary>
/// The ledger service, hosted in-process by the demo exactly as its own process builds it
/// (<see cref="LedgerWebApplication"/>): SQLite under the demo's folder, the demo's anvil, the
/// ledger operator's key as anchorer (in an encrypted keystore, as in production), and the edge
/// node's watermark key shared with it so that it can trace watermarked copies.
/// </summary>
internal sealed class DemoLedger : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DemoLedger(WebApplication app, Uri baseAddress, string adminKey, string dataDirectory)
    {
        _app = app;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        DataDirectory = dataDirectory;
    }

    /// <summary>Where the ledger's API listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The admin API key (also in <c>admin.key</c> in its folder).</summary>
    public string AdminKey { get; }

    /// <summary>The ledger's folder: SQLite database, anchorer keystore, admin key.</summary>
    public string DataDirectory { get; }

    public static async Task<DemoLedger> StartAsync(
        AnvilNode anvil, ProvenanceContracts contracts, EthECKey anchorer, string watermarkKeyFile, IReadOnlyList<string> textModelManifests,
        string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var passphrase = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var passphraseFile = Path.Combine(dataDirectory, "anchorer.passphrase");
        var keystoreFile = Path.Combine(dataDirectory, "anchorer.keystore.json");
        await File.WriteAllTextAsync(passphraseFile, passphrase, cancellationToken);
        await File.WriteAllTextAsync(keystoreFile, new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            passphrase, anchorer.GetPrivateKeyAsBytes(), anchorer.GetPublicAddress(), new ScryptParams { Dklen = 32, N = 1 << 14, R = 8, P = 1 }), cancellationToken);
        var adminKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var adminKeyFile = Path.Combine(dataDirectory, "admin.key");
        await File.WriteAllTextAsync(adminKeyFile, adminKey, cancellationToken);

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = baseAddress.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Ledger:Database:DataDirectory"] = Path.Combine(dataDirectory, "db"),
            ["Ledger:Chain:RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Ledger:Chain:ChainId"] = anvil.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ledger:Chain:ModelRegistry"] = contracts.ModelRegistry.ToString(),
            ["Ledger:Chain:ProvenanceLedger"] = contracts.ProvenanceLedger.ToString(),
            ["Ledger:Chain:PaymentChannels"] = contracts.PaymentChannels.ToString(),
            // anvil mines a block per transaction and no other: waiting for confirmations would wait forever.
            ["Ledger:Chain:Confirmations"] = "0",
            ["Ledger:Chain:PollInterval"] = "00:00:00.200",
            ["Ledger:Chain:AnchorerKeystorePath"] = keystoreFile,
            ["Ledger:Chain:AnchorerPassphraseFile"] = passphraseFile,
            ["Ledger:Anchoring:MaxBatchAge"] = "00:00:01",
            ["Ledger:Verification:WatermarkKeyFiles:0"] = watermarkKeyFile,
            ["Ledger:Host:AdminApiKeyFile"] = adminKeyFile,
        };
        for (var i = 0; i < textModelManifests.Count; i++)
        {
            settings[$"Ledger:Verification:TextModelManifests:{i}"] = textModelManifests[i];
        }

        var app = await LedgerWebApplication.BuildAsync([], settings);
        await app.StartAsync(cancellationToken);
        return new DemoLedger(app, baseAddress, adminKey, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
