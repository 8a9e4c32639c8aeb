using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>Settings and records for tests that run the real ledger host process against a test deployment.</summary>
internal sealed class LedgerHostSetup(TestDeployment deployment, string directory)
{
    private long _nextSequence;

    public TestDeployment Deployment { get; } = deployment;

    /// <summary>The host's settings: the deployment, the anchorer keystore, fast batching.</summary>
    public async Task<Dictionary<string, string>> SettingsAsync(Dictionary<string, string> database)
    {
        var keystore = Path.Combine(directory, "anchorer.json");
        var passphrase = Path.Combine(directory, "anchorer.passphrase");
        if (!File.Exists(keystore))
        {
            // Low scrypt cost: a throwaway test key, decrypted at every start.
            var key = Deployment.Owner.Key;
            var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
                "test passphrase", key.GetPrivateKeyAsBytes(), key.GetPublicAddress(), new ScryptParams { Dklen = 32, N = 1 << 10, R = 8, P = 1 });
            await File.WriteAllTextAsync(keystore, json);
            await File.WriteAllTextAsync(passphrase, "test passphrase");
        }

        var options = Deployment.Chain.Options;
        var settings = new Dictionary<string, string>(database)
        {
            ["Ledger:Chain:RpcUrl"] = options.RpcUrl!.ToString(),
            ["Ledger:Chain:ChainId"] = options.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ledger:Chain:ModelRegistry"] = options.ModelRegistry!,
            ["Ledger:Chain:ProvenanceLedger"] = options.ProvenanceLedger!,
            ["Ledger:Chain:Confirmations"] = "0",
            ["Ledger:Chain:PollInterval"] = "00:00:00.100",
            ["Ledger:Chain:AnchorerKeystorePath"] = keystore,
            ["Ledger:Chain:AnchorerPassphraseFile"] = passphrase,
            ["Ledger:Anchoring:BatchSize"] = "64",
            ["Ledger:Anchoring:MaxBatchAge"] = "00:00:00.300",
            ["Ledger:Anchoring:LeaseDuration"] = "00:00:03",
            ["Ledger:Host:RateLimitPermits"] = "1000000",
        };
        return settings;
    }

    /// <summary>Fresh records signed by the deployment's node key, with consecutive node sequences.</summary>
    public IReadOnlyList<SignedProvenanceRecord> NewRecords(int count)
    {
        var node = EvmAddress.Parse(Deployment.NodeKey.GetPublicAddress());
        var records = new List<SignedProvenanceRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var record = new ProvenanceRecord(
                Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Zero, Deployment.ModelHash, node, EvmAddress.Zero,
                Bytes32.Zero, Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Zero,
                (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Bytes32.Zero, (ulong)Interlocked.Increment(ref _nextSequence));
            records.Add(new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Deployment.Chain.Domain, Deployment.NodeKey)));
        }

        return records;
    }

    /// <summary>Submits until the ledger's registry mirror knows the node (the indexer runs in the background).</summary>
    public static async Task<SubmitRecordsResponse> SubmitWhenNodeKnownAsync(HttpClient http, IReadOnlyList<SignedProvenanceRecord> records)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await http.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(records));
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The ledger kept refusing: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(200);
        }
    }
}
