using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>
/// Delivered-file statements through <c>POST api/records</c>, then <c>GET api/verify/{sha256}</c> with the hash
/// of the file as delivered; the real host on anvil and SQLite.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class DeliveredFileApiTests(LedgerChainFixture chain)
{
    [Fact]
    public async Task GetVerify_HashOfTheDeliveredFile_VerifiedAndMatchedByDeliveredFile()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var client = host.CreateClient();
        var record = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 1, TimeProvider.System.GetUtcNow());
        var digest = ProvenanceRecordTypedData.Digest(record.Record, deployment.Chain.Domain);
        var file = Bytes32.Sha256("a credentialed file as the node delivered it"u8);
        var statement = DeliveredFileTypedData.Sign(new DeliveredFile(digest, file), deployment.Chain.Domain, deployment.NodeKey);

        using var submitted = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([record with { DeliveredFile = statement }]));
        using var verdict = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{LedgerVerification.VerifyPath}/{file}", UriKind.Relative)));
        using var byContent = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{LedgerVerification.VerifyPath}/{record.Record.ContentHash}", UriKind.Relative)));
        using var stored = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{LedgerIngest.RecordsPath}/{digest}", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        using (var answer = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()))
        {
            Assert.False(answer.RootElement.GetProperty("records")[0].TryGetProperty("notKept", out _));
        }

        Assert.Equal("verified", verdict.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(digest.ToString(), verdict.RootElement.GetProperty("record").GetProperty("digest").GetString());
        Assert.Equal("content-hash", verdict.RootElement.GetProperty("match").GetProperty("method").GetString());
        Assert.Equal("delivered-file", verdict.RootElement.GetProperty("match").GetProperty("matchedBy").GetString());
        Assert.Equal("content-hash", byContent.RootElement.GetProperty("match").GetProperty("matchedBy").GetString());
        // The kept statement is returned with the record, so anyone can check the node's signature over it.
        var kept = stored.RootElement.GetProperty("signedRecord").GetProperty("deliveredFile");
        Assert.Equal(file.ToString(), kept.GetProperty("file").GetProperty("fileHash").GetString());
        Assert.Equal(statement.Signature.ToString(), kept.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task PostRecords_StatementSignedByAnotherKey_RecordAcceptedWithNotKeptAndTheHashFindsNothing()
    {
        var (host, deployment) = await StartAsync();
        using var hosted = host;
        var client = host.CreateClient();
        var record = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 1, TimeProvider.System.GetUtcNow());
        var digest = ProvenanceRecordTypedData.Digest(record.Record, deployment.Chain.Domain);
        var file = Bytes32.Sha256("a file a stranger points at the record"u8);
        var forged = DeliveredFileTypedData.Sign(new DeliveredFile(digest, file), deployment.Chain.Domain, EthECKey.GenerateKey());

        using var submitted = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([record with { DeliveredFile = forged }]));
        var answer = await submitted.Content.ReadFromJsonAsync<SubmitRecordsResponse>();
        using var verdict = JsonDocument.Parse(await client.GetStringAsync(new Uri($"{LedgerVerification.VerifyPath}/{file}", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var outcome = Assert.Single(answer!.Records);
        Assert.True(outcome.Accepted);
        Assert.Null(outcome.Problem);
        Assert.Equal(RecordProblemTypes.InvalidDeliveredFile, Assert.Single(outcome.NotKept!).Type);
        Assert.Equal("unknown", verdict.RootElement.GetProperty("verdict").GetString());
        Assert.Equal((1, 0), await host.CountRowsAsync());
    }

    private async Task<(RecordsHost Host, TestDeployment Deployment)> StartAsync()
    {
        var deployment = await chain.DeployAsync();
        var host = new RecordsHost(deployment);
        await host.WaitForRegistryAsync();
        return (host, deployment);
    }
}
