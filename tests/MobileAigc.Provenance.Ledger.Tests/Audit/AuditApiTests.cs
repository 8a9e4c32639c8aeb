using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Audit;

[Collection(LedgerChainCollection.Name)]
public sealed class AuditApiTests(LedgerChainFixture chain) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SqliteDatabases _databases = new();
    private TestDeployment _deployment = null!;
    private AuditHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _deployment = await chain.DeployAsync();
        _host = await AuditHost.StartAsync(_databases, _deployment);
        _client = _host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        _databases.Dispose();
    }

    [Fact]
    public async Task GetRecords_ThreePages_EveryRecordOnceWithCursor()
    {
        var records = await AuditRows.InsertAsync(_host.Databases, 25);
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await _client.GetFromJsonAsync<AuditPage<AuditRecord>>(
                $"{LedgerAudit.RecordsPath}?limit=10{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", Json);
            seen.AddRange(page!.Items.Select(r => r.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(records.Select(r => r.Id), seen);
    }

    [Theory]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=5000", "limit")]
    [InlineData("model=0x12", "model")]
    [InlineData("node=nope", "node")]
    [InlineData("state=lost", "state")]
    [InlineData("from=tomorrow", "from")]
    public async Task GetRecords_MalformedQuery_Returns400ProblemNamingTheParameter(string query, string parameter)
    {
        var response = await _client.GetAsync($"{LedgerAudit.RecordsPath}?{query}");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(LedgerProblemTypes.InvalidRequest, problem.Type);
        Assert.Contains(parameter, problem.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetProof_AnchoredRecord_VerifiesWithMerkleTreeAndOnChain()
    {
        var records = await AuditRows.InsertAsync(_host.Databases, 6);
        var batch = await AuditRows.AnchorAsync(_host.Databases, _deployment, records);

        foreach (var record in records)
        {
            var proof = await _client.GetFromJsonAsync<RecordProof>($"{LedgerAudit.RecordsPath}/{record.Digest}/proof", Json);

            Assert.NotNull(proof);
            Assert.Equal(batch.Root, proof.Root);
            Assert.True(MerkleTree.Verify(proof.Root, record.Digest, proof.Proof));
            Assert.True(await _deployment.Chain.Ledger.VerifyInclusionAsync(proof.Root, record.Digest, proof.Proof));
            Assert.Equal(batch.FirstSequence + proof.LeafIndex, proof.LedgerSequence);
            Assert.Equal(BatchState.Anchored, proof.Batch.State);
            Assert.Equal(batch.TransactionHash, proof.Batch.TransactionHash);
        }
    }

    [Fact]
    public async Task RecordProof_RecordsVerifyAndAuditRoutes_ServeTheSameProof()
    {
        // A well-formed signature (r = s = 1, v = 27) that recovers to no node: the records route
        // must be able to read it back; verification will call it invalid, which is beside the point here.
        var signature = new byte[65];
        signature[31] = 1;
        signature[63] = 1;
        signature[64] = 27;
        var rows = Enumerable.Range(0, 3).Select(_ => AuditRows.NewRecord()).ToList();
        rows.ForEach(r => r.Signature = signature);
        var records = await AuditRows.InsertAsync(_host.Databases, rows);
        await AuditRows.AnchorAsync(_host.Databases, _deployment, records);
        var record = records[1];

        var audited = await _client.GetFromJsonAsync<RecordProof>($"{LedgerAudit.RecordsPath}/{record.Digest}/proof", Json);
        var stored = await _client.GetFromJsonAsync<LedgerRecord>($"{LedgerIngest.RecordsPath}/{record.Digest}", Json);
        var verified = await _client.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{record.ContentHash}", Json);

        Assert.NotNull(audited);
        Assert.Equal(BatchState.Anchored, audited.Batch.State);
        Assert.Equivalent(audited, stored!.Anchoring, strict: true);
        Assert.Equivalent(audited, verified!.Anchoring!.Inclusion, strict: true);
    }

    [Fact]
    public async Task GetProof_UnknownPendingOrMalformed_ReturnsTypedProblems()
    {
        var pending = (await AuditRows.InsertAsync(_host.Databases, 1))[0];

        var unknown = await ProblemAsync(await _client.GetAsync($"{LedgerAudit.RecordsPath}/{AuditRows.RandomHash()}/proof"), HttpStatusCode.NotFound);
        var notBatched = await ProblemAsync(await _client.GetAsync($"{LedgerAudit.RecordsPath}/{pending.Digest}/proof"), HttpStatusCode.NotFound);
        var malformed = await ProblemAsync(await _client.GetAsync($"{LedgerAudit.RecordsPath}/0x1234/proof"), HttpStatusCode.BadRequest);

        Assert.Equal(LedgerProblemTypes.NotFound, unknown.Type);
        Assert.Equal(LedgerProblemTypes.RecordNotBatched, notBatched.Type);
        Assert.Equal(LedgerProblemTypes.InvalidRequest, malformed.Type);
    }

    [Fact]
    public async Task GetBatches_AnchoredBatches_ShowRootTransactionBlockAndGas()
    {
        var first = await AuditRows.AnchorAsync(_host.Databases, _deployment, await AuditRows.InsertAsync(_host.Databases, 2));
        var second = await AuditRows.AnchorAsync(_host.Databases, _deployment, await AuditRows.InsertAsync(_host.Databases, 3));

        var page = await _client.GetFromJsonAsync<AuditPage<LedgerBatch>>($"{LedgerAudit.BatchesPath}?limit=1", Json);
        var next = await _client.GetFromJsonAsync<AuditPage<LedgerBatch>>($"{LedgerAudit.BatchesPath}?limit=1&cursor={Uri.EscapeDataString(page!.NextCursor!)}", Json);
        var one = await _client.GetFromJsonAsync<LedgerBatch>($"{LedgerAudit.BatchesPath}/{second.Id}", Json);

        var batch = Assert.Single(page.Items);
        Assert.Equal(first.Root, batch.Root);
        Assert.Equal(first.TransactionHash, batch.TransactionHash);
        Assert.True(batch.GasUsed > 0);
        Assert.Equal(first.BlockNumber, batch.BlockNumber);
        Assert.Equal(second.Root, Assert.Single(next!.Items).Root);
        Assert.Equal(2, one!.FirstSequence);
        Assert.Equal(3, one.RecordCount);
        await ProblemAsync(await _client.GetAsync($"{LedgerAudit.BatchesPath}/999"), HttpStatusCode.NotFound);
        await ProblemAsync(await _client.GetAsync($"{LedgerAudit.BatchesPath}/abc"), HttpStatusCode.BadRequest);
        await ProblemAsync(await _client.GetAsync($"{LedgerAudit.BatchesPath}?cursor={Uri.EscapeDataString(page.NextCursor!)}x"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    [InlineData(AuditHost.AdminKey, HttpStatusCode.OK)]
    public async Task Reconcile_AdminKey_OnlyTheRightKeyIsServed(string? key, HttpStatusCode expected)
    {
        await AuditRows.AnchorAsync(_host.Databases, _deployment, await AuditRows.InsertAsync(_host.Databases, 3));
        using var request = new HttpRequestMessage(HttpMethod.Post, LedgerAudit.ReconcilePath);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var report = await response.Content.ReadFromJsonAsync<ReconciliationReport>(Json);
            Assert.True(report!.IsConsistent);
            Assert.Equal(BatchReconciliationStatus.Ok, Assert.Single(report.Batches).Status);
        }
    }

    [Fact]
    public async Task Export_CsvWithRevocationReason_HeaderAndRfc4180Quoting()
    {
        var pdq = AuditRows.RandomHash();
        var withPdq = AuditRows.NewRecord();
        (withPdq.PdqHash, withPdq.PdqQuality) = (pdq, 87);
        var records = await AuditRows.InsertAsync(_host.Databases, [withPdq, AuditRows.NewRecord()]);
        await using (var db = await _host.Databases.CreateDbContextAsync())
        {
            var tracked = await db.Records.FindAsync(records[1].Id);
            tracked!.RevokedAt = AuditRows.ReceivedAt;
            tracked.RevocationReason = "leaked, said \"oops\"\r\nline two";
            await db.SaveChangesAsync();
        }

        var response = await _client.GetAsync($"{LedgerAudit.ExportPath}?format=csv");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = body.Split("\r\n");
        Assert.Equal(string.Join(',', Ledger.Audit.RecordExport.CsvColumns), lines[0]);
        Assert.StartsWith($"{records[0].Id},{records[0].Digest},", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($",,{pdq},87", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",revoked,,,2026-11-30T12:00:00.0000000+00:00,\"leaked, said \"\"oops\"\"", lines[2], StringComparison.Ordinal);
        Assert.Equal("line two\",,", lines[3]);
        Assert.Equal("", lines[4]);
    }

    [Fact]
    public async Task Export_JsonWithFilter_IsAnArrayOfTheMatchingRecords()
    {
        var model = AuditRows.RandomHash();
        var records = await AuditRows.InsertAsync(_host.Databases, [AuditRows.NewRecord(model: model), AuditRows.NewRecord(), AuditRows.NewRecord(model: model)]);

        var exported = await _client.GetFromJsonAsync<List<AuditRecord>>($"{LedgerAudit.ExportPath}?format=json&model={model}", Json);

        Assert.Equal([records[0].Digest, records[2].Digest], exported!.Select(r => r.Digest));
        Assert.All(exported!, r => Assert.Equal(AuditRecordState.Pending, r.State));
    }

    [Fact]
    public async Task Export_Json_AnchoredRecordsCarryTheirEvidencePendingOnesNone()
    {
        var signature = new byte[65];
        signature[31] = 1;
        signature[63] = 1;
        signature[64] = 27;
        var rows = Enumerable.Range(0, 4).Select(_ => AuditRows.NewRecord()).ToList();
        rows.ForEach(r => r.Signature = signature);
        var records = await AuditRows.InsertAsync(_host.Databases, rows);
        await AuditRows.AnchorAsync(_host.Databases, _deployment, records.Take(3).ToList());
        var unreadable = (await AuditRows.InsertAsync(_host.Databases, 1))[0]; // a zero signature: no v
        await AuditRows.AnchorAsync(_host.Databases, _deployment, [unreadable]);

        var exported = await _client.GetFromJsonAsync<List<AuditRecord>>($"{LedgerAudit.ExportPath}?format=json", Json);

        Assert.Equal(5, exported!.Count);
        foreach (var record in records.Take(3))
        {
            var evidence = exported.Single(r => r.Digest == record.Digest).Evidence;
            var proof = await _client.GetFromJsonAsync<RecordProof>($"{LedgerAudit.RecordsPath}/{record.Digest}/proof", Json);
            Assert.NotNull(evidence);
            Assert.Equivalent(proof, evidence.Inclusion, strict: true);
            Assert.Equal(record.ContentHash, evidence.SignedRecord.Record.ContentHash);
            Assert.Equal(signature, evidence.SignedRecord.Signature.ToArray());
            Assert.Equal(new AnchoringDeployment(_deployment.Chain.Ledger.Address, (long)_deployment.Chain.ChainId, true), evidence.Deployment);
        }

        Assert.Null(exported.Single(r => r.Digest == records[3].Digest).Evidence);
        Assert.Null(exported.Single(r => r.Digest == unreadable.Digest).Evidence);
    }

    [Theory]
    [InlineData("format=xml")]
    [InlineData("format=csv&cursor=zzz")]
    public async Task Export_MalformedQuery_Returns400BeforeStreaming(string query)
    {
        await ProblemAsync(await _client.GetAsync($"{LedgerAudit.ExportPath}?{query}"), HttpStatusCode.BadRequest);
    }

    private static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ProblemDetails>(Json))!;
    }
}
