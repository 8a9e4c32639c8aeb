using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>
/// Manifest stores sent with records through <c>api/records</c>, then served by the soft-binding API; real host on anvil
/// and SQLite, stores signed in the test by a test CA's leaf the node key binds (or, for the attacks, does not). A store
/// never refuses its record: one that is not kept is reported in the record's <see cref="SubmittedRecord.NotKept"/>.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class ManifestStoreIngestTests(LedgerChainFixture chain)
{
    private readonly byte[] _asset = CredentialedPictures.Asset(61, ImageFileFormat.Png);

    [Fact]
    public async Task PostRecords_SignedStoreOfTheRecord_KeptAndServedAsApplicationC2pa()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var client = host.CreateClient();
        var record = Make(deployment, 1);
        var store = Store(deployment, Digest(deployment, record), BindBy(deployment.NodeKey, deployment));

        var accepted = await PostAsync(host, record with { ManifestStore = store });
        var again = await PostAsync(host, record with { ManifestStore = store });

        Assert.True(accepted.Accepted);
        Assert.Null(accepted.NotKept);
        Assert.Null(again.NotKept);
        using var served = await GetManifestAsync(host, Digest(deployment, record));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/c2pa", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(store, await served.Content.ReadAsByteArrayAsync());
        // The store is no part of the record: the record's own route does not return it.
        using var lookup = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{LedgerIngest.RecordsPath}/{Digest(deployment, record)}", UriKind.Relative)));
        Assert.False(lookup.RootElement.GetProperty("signedRecord").TryGetProperty("manifestStore", out var _));
    }

    [Fact]
    public async Task PostRecords_StoreNamingAnotherRecord_RecordStoredStoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        var other = Make(deployment, 2);
        var lying = record with { ManifestStore = Store(deployment, Digest(deployment, other), BindBy(deployment.NodeKey, deployment)) };

        var answers = await PostAllAsync(host, other, lying);

        Assert.All(answers, a => Assert.True(a.Accepted));
        Assert.Null(answers[0].NotKept);
        AssertNotKept(answers[1], RecordProblemTypes.InvalidManifestStore, "not the record's manifest");
        Assert.Equal((2, 0), await host.CountRowsAsync());
        await AssertNoManifestAsync(host, Digest(deployment, record));
        await AssertNoManifestAsync(host, Digest(deployment, other));
    }

    [Fact]
    public async Task PostRecords_StoreWhoseDataHashIsNotTheContentHash_RecordStoredStoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        // Signed over another picture: its c2pa.hash.data is that picture's, not the record's content hash.
        var otherPicture = CredentialedPictures.Asset(62, ImageFileFormat.Png);
        var store = CredentialedPictures.Sign(
            otherPicture, Digest(deployment, record), Node(deployment.NodeKey), Bytes32.Sha256(otherPicture), BindBy(deployment.NodeKey, deployment)).ManifestStore;

        var answer = await PostAsync(host, record with { ManifestStore = store });

        AssertNotKept(answer, RecordProblemTypes.InvalidManifestStore, "content hash");
        await AssertNoManifestAsync(host, Digest(deployment, record));
    }

    [Fact]
    public async Task PostRecords_CertificateBoundToAnotherNode_RecordStoredStoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        // A valid certificate, properly bound, but to another node: its record assertion names that node.
        var otherNode = EthECKey.GenerateKey();
        var store = CredentialedPictures.Sign(
            _asset, Digest(deployment, record), Node(otherNode), record.Record.ContentHash, BindBy(otherNode, deployment)).ManifestStore;

        var answer = await PostAsync(host, record with { ManifestStore = store });

        AssertNotKept(answer, RecordProblemTypes.InvalidManifestStore, $"bound to node {Node(otherNode)}");
        await AssertNoManifestAsync(host, Digest(deployment, record));
    }

    [Fact]
    public async Task PostRecords_BindingSignedByAnotherNodesKey_RecordStoredStoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        // The record assertion names the record's node, but another node's key signed the binding.
        var store = Store(deployment, Digest(deployment, record), BindBy(EthECKey.GenerateKey(), deployment));

        var answer = await PostAsync(host, record with { ManifestStore = store });

        AssertNotKept(answer, RecordProblemTypes.InvalidManifestStore, "not bound to the record's node");
        await AssertNoManifestAsync(host, Digest(deployment, record));
    }

    [Fact]
    public async Task PostRecords_BrokenClaimSignature_RecordStoredStoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        var store = Store(deployment, Digest(deployment, record), BindBy(deployment.NodeKey, deployment));
        // The active manifest's claim signature is the store's last box, its ES256 signature the last bytes.
        store[^1] ^= 0x01;

        var answer = await PostAsync(host, record with { ManifestStore = store });

        AssertNotKept(answer, RecordProblemTypes.InvalidManifestStore, "claimSignature.mismatch");
        await AssertNoManifestAsync(host, Digest(deployment, record));
    }

    [Fact]
    public async Task PostRecords_SecondDifferentStore_NotKeptAndTheFirstServed()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        var digest = Digest(deployment, record);
        var first = Store(deployment, digest, BindBy(deployment.NodeKey, deployment));
        var second = Store(deployment, digest, BindBy(deployment.NodeKey, deployment));
        Assert.NotEqual(first, second);

        Assert.Null((await PostAsync(host, record with { ManifestStore = first })).NotKept);
        var answer = await PostAsync(host, record with { ManifestStore = second });

        AssertNotKept(answer, RecordProblemTypes.ManifestStoreConflict, "first store is kept");
        using var served = await GetManifestAsync(host, digest);
        Assert.Equal(first, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PostRecords_TwoDifferentStoresForOneRecordInARequest_KeepsTheFirst()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        var digest = Digest(deployment, record);
        var first = Store(deployment, digest, BindBy(deployment.NodeKey, deployment));
        var second = Store(deployment, digest, BindBy(deployment.NodeKey, deployment));

        var answers = await PostAllAsync(host, record with { ManifestStore = first }, record with { ManifestStore = second });

        Assert.Null(answers[0].NotKept);
        AssertNotKept(answers[1], RecordProblemTypes.ManifestStoreConflict, "first store is kept");
        using var served = await GetManifestAsync(host, digest);
        Assert.Equal(first, await served.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task PostRecords_OversizeStore_RecordStoredStoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        var store = Store(deployment, Digest(deployment, record), BindBy(deployment.NodeKey, deployment));
        var padded = new byte[new ManifestStoreOptions().MaxStoreBytes + 1];
        store.CopyTo(padded, 0);

        var answer = await PostAsync(host, record with { ManifestStore = padded });

        AssertNotKept(answer, RecordProblemTypes.InvalidManifestStore, "at most");
        await AssertNoManifestAsync(host, Digest(deployment, record));
    }

    [Fact]
    public async Task PostRecords_RefusedRecordWithAValidStore_StoreNotKept()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var accepted = Make(deployment, 1);
        // Signed by another key: refused, so its store, valid in itself, is not kept either.
        var forged = SignedRecords.Make(
            deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 2, TimeProvider.System.GetUtcNow(), EthECKey.GenerateKey(),
            contentHash: Bytes32.Sha256(_asset));
        var digest = Digest(deployment, forged);
        var store = Store(deployment, digest, BindBy(deployment.NodeKey, deployment));

        var answers = await PostAllAsync(host, accepted, forged with { ManifestStore = store });

        Assert.True(answers[0].Accepted);
        Assert.False(answers[1].Accepted);
        Assert.Null(answers[1].NotKept);
        await AssertNoManifestAsync(host, digest);
    }

    private static void AssertNotKept(SubmittedRecord answer, string type, string detail)
    {
        Assert.True(answer.Accepted, answer.Problem?.Detail);
        Assert.Null(answer.Problem);
        var problem = Assert.Single(answer.NotKept ?? []);
        Assert.Equal(type, problem.Type);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }

    private static async Task AssertNoManifestAsync(RecordsHost host, Bytes32 digest)
    {
        using var served = await GetManifestAsync(host, digest);
        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
    }

    private static Task<HttpResponseMessage> GetManifestAsync(RecordsHost host, Bytes32 digest) =>
        host.CreateClient().GetAsync(new Uri($"c2pa/v1/manifests/{Uri.EscapeDataString(RecordManifestLabel.For(digest))}", UriKind.Relative));

    private static async Task<SubmittedRecord> PostAsync(RecordsHost host, SignedProvenanceRecord record) => Assert.Single(await PostAllAsync(host, record));

    private static async Task<IReadOnlyList<SubmittedRecord>> PostAllAsync(RecordsHost host, params SignedProvenanceRecord[] records)
    {
        using var response = await host.CreateClient().PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(records));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>();
        Assert.Equal(records.Length, answer!.Records.Count);
        return answer.Records;
    }

    private static Func<X509Certificate2, NodeCertificateBinding> BindBy(EthECKey key, TestDeployment deployment) => leaf =>
    {
        var binding = CertificateBinding.Sign(leaf, key, deployment.Chain.RegistryDomain);
        return new NodeCertificateBinding(binding.Signed.Statement.CertificateHash, binding.Signed.Signature);
    };

    private static EvmAddress Node(EthECKey key) => EvmAddress.Parse(key.GetPublicAddress());

    // A store for the test's picture naming the record of the deployment's node, signed by a new test CA's leaf.
    private byte[] Store(TestDeployment deployment, Bytes32 recordDigest, Func<X509Certificate2, NodeCertificateBinding> bind) =>
        CredentialedPictures.Sign(_asset, recordDigest, Node(deployment.NodeKey), Bytes32.Sha256(_asset), bind).ManifestStore;

    private SignedProvenanceRecord Make(TestDeployment deployment, ulong sequence) => SignedRecords.Make(
        deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, sequence, TimeProvider.System.GetUtcNow(), contentHash: Bytes32.Sha256(_asset));

    private static Bytes32 Digest(TestDeployment deployment, SignedProvenanceRecord signed) =>
        ProvenanceRecordTypedData.Digest(signed.Record, deployment.Chain.Domain);

    private async Task<(RecordsHost Host, TestDeployment Deployment)> StartAsync()
    {
        var deployment = await chain.DeployAsync();
        var host = new RecordsHost(deployment);
        await host.WaitForRegistryAsync();
        return (host, deployment);
    }
}
