using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Manifests;
using MobileAigc.Provenance.Ledger.Tests.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>Manifest stores sent with records through <c>api/records</c>, then served by the soft-binding API; real host on anvil and SQLite.</summary>
[Collection(LedgerChainCollection.Name)]
public sealed class ManifestStoreIngestTests(LedgerChainFixture chain)
{
    [Fact]
    public async Task PostRecords_StoreNamingAnotherRecord_422ProblemAndNothingStored()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var record = Make(deployment, 1);
        var other = Make(deployment, 2);
        var lying = record with { ManifestStore = TestManifestStores.For(Digest(deployment, other)) };

        using var response = await host.CreateClient().PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([other, lying]));

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, RecordProblemTypes.InvalidManifestStore);
        Assert.Equal((0, 0), await host.CountRowsAsync());
    }

    [Fact]
    public async Task PostRecords_StoreNamingItsRecord_KeptServedAsApplicationC2paAndFirstStoreWins()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var client = host.CreateClient();
        var record = Make(deployment, 1);
        var digest = Digest(deployment, record);
        var store = TestManifestStores.For(digest, filler: 1);

        using var accepted = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([record with { ManifestStore = store }]));
        using var again = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([record with { ManifestStore = store }]));
        using var different = await client.PostAsJsonAsync(
            LedgerIngest.RecordsPath, new SubmitRecordsRequest([record with { ManifestStore = TestManifestStores.For(digest, filler: 2) }]));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await VerifyApiTests.AssertProblemAsync(different, HttpStatusCode.Conflict, RecordProblemTypes.ManifestStoreConflict);
        using var served = await client.GetAsync(new Uri($"c2pa/v1/manifests/{Uri.EscapeDataString(RecordManifestLabel.For(digest))}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("application/c2pa", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(store, await served.Content.ReadAsByteArrayAsync());
        // The store is no part of the record: the record's own route does not return it.
        using var lookup = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{LedgerIngest.RecordsPath}/{digest}", UriKind.Relative)));
        Assert.False(lookup.RootElement.GetProperty("signedRecord").TryGetProperty("manifestStore", out var _));
    }

    private static SignedProvenanceRecord Make(TestDeployment deployment, ulong sequence) =>
        SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, sequence, TimeProvider.System.GetUtcNow());

    private static Core.Primitives.Bytes32 Digest(TestDeployment deployment, SignedProvenanceRecord signed) =>
        ProvenanceRecordTypedData.Digest(signed.Record, deployment.Chain.Domain);

    private async Task<(RecordsHost Host, TestDeployment Deployment)> StartAsync()
    {
        var deployment = await chain.DeployAsync();
        var host = new RecordsHost(deployment);
        await host.WaitForRegistryAsync();
        return (host, deployment);
    }
}
