using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary><c>api/records</c> through the real host, on anvil and SQLite.</summary>
[Collection(LedgerChainCollection.Name)]
public sealed class RecordsApiTests(LedgerChainFixture chain)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    [Fact]
    public async Task PostRecords_ValidBatchTwice_AcceptsWithSameDigestsAndGetReturnsTheRecord()
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var client = host.CreateClient();
        var batch = Batch(deployment, 1, 5);

        var first = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(batch));
        var again = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(batch));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var accepted = (await first.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!.Records;
        var repeated = (await again.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!.Records;
        Assert.All(accepted, r => Assert.True(r.Accepted));
        Assert.All(accepted, r => Assert.Null(r.Problem));
        Assert.Equal(accepted.Select(r => r.RecordDigest), repeated.Select(r => r.RecordDigest));
        Assert.Equal(batch.Select(r => ProvenanceRecordTypedData.Digest(r.Record, deployment.Chain.Domain)), accepted.Select(r => r.RecordDigest));
        Assert.Equal((5, 0), await host.CountRowsAsync());

        var lookup = await client.GetFromJsonAsync<LedgerRecord>($"{LedgerIngest.RecordsPath}/{accepted[2].RecordDigest}");
        Assert.NotNull(lookup);
        Assert.Equal(batch[2].Record, lookup.SignedRecord.Record);
        Assert.Equal(batch[2].Signature.ToString(), lookup.SignedRecord.Signature.ToString());
        Assert.Null(lookup.Anchoring);
        Assert.Null(lookup.Revocation);
    }

    [Fact]
    public async Task PostRecords_DerivedRecordOverHttp_RecordAndVerifyAnswersShowItsLineage()
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var client = host.CreateClient();
        var domain = deployment.Chain.Domain;
        var origin = SignedRecords.Make(domain, deployment.NodeKey, deployment.ModelHash, 1, TimeProvider.System.GetUtcNow());
        var extensions = new ProvenanceRecordExtensionsV2(ProvenanceRecordTypedData.Digest(origin.Record, domain));
        var edit = SignedRecords.Make(domain, deployment.NodeKey, deployment.ModelHash, 2, TimeProvider.System.GetUtcNow()).Record with
        {
            Version = ProvenanceRecordVersions.V2,
            Extensions = extensions.HashStruct(),
        };
        var signedEdit = new SignedProvenanceRecord(edit, ProvenanceRecordTypedData.Sign(edit, domain, deployment.NodeKey)) { ExtensionsV2 = extensions };

        var response = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([origin, signedEdit]));

        var accepted = (await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!.Records;
        Assert.All(accepted, r => Assert.True(r.Accepted, r.Problem?.Detail));
        var lookup = (await client.GetFromJsonAsync<LedgerRecord>($"{LedgerIngest.RecordsPath}/{accepted[1].RecordDigest}"))!;
        Assert.Equal(extensions, lookup.SignedRecord.ExtensionsV2);
        Assert.Equal(LineageEnd.Origin, lookup.Lineage?.End);
        Assert.Equal(accepted[0].RecordDigest, Assert.Single(lookup.Lineage!.Ancestors).Digest);
        var verdict = (await client.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{edit.ContentHash}"))!;
        Assert.Equal(accepted[0].RecordDigest, Assert.Single(verdict.Lineage!.Ancestors).Digest);
        Assert.Equal(origin.Record.ContentHash, verdict.Lineage.Ancestors[0].ContentHash);
        Assert.Null((await client.GetFromJsonAsync<LedgerRecord>($"{LedgerIngest.RecordsPath}/{accepted[0].RecordDigest}"))!.Lineage);
    }

    [Fact]
    public async Task PostRecords_Version3Record_StoresItsSignedPdqAndRefusesAPdqItsNodeDidNotSign()
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var client = host.CreateClient();
        var domain = deployment.Chain.Domain;
        var extensions = new ProvenanceRecordExtensionsV3(Bytes32.Zero, Bytes32.Sha256("the picture's PDQ"u8), 91);
        var record = SignedRecords.Make(domain, deployment.NodeKey, deployment.ModelHash, 1, TimeProvider.System.GetUtcNow()).Record with
        {
            Version = ProvenanceRecordVersions.V3,
            Extensions = extensions.HashStruct(),
        };
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, domain, deployment.NodeKey)) { ExtensionsV3 = extensions };
        var victim = SignedRecords.Make(domain, deployment.NodeKey, deployment.ModelHash, 2, TimeProvider.System.GetUtcNow()).Record with
        {
            Version = ProvenanceRecordVersions.V3,
            Extensions = (extensions with { PdqHash = Bytes32.Sha256("the victim's PDQ"u8) }).HashStruct(),
        };

        // Whoever relays the victim's record (another node, the ledger's operator) attaches the PDQ of a picture of their choice.
        var attached = new SignedProvenanceRecord(victim, ProvenanceRecordTypedData.Sign(victim, domain, deployment.NodeKey)) { ExtensionsV3 = extensions };
        var response = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([signed, attached]));

        var outcomes = (await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!.Records;
        Assert.True(outcomes[0].Accepted, outcomes[0].Problem?.Detail);
        Assert.False(outcomes[1].Accepted);
        Assert.Equal(RecordProblemTypes.InvalidRequest, outcomes[1].Problem?.Type);
        Assert.Contains("not to the record's extensions commitment", outcomes[1].Problem?.Detail, StringComparison.Ordinal);
        var lookup = (await client.GetFromJsonAsync<LedgerRecord>($"{LedgerIngest.RecordsPath}/{outcomes[0].RecordDigest}"))!;
        Assert.Equal(extensions, lookup.SignedRecord.ExtensionsV3);
        Assert.Null(lookup.SignedRecord.ParentRecord);
        Assert.Null(lookup.Lineage);
        Assert.Equal((1, 0), await host.CountRowsAsync());
    }

    [Fact]
    public async Task PostRecords_MixedBatch_OkWithAProblemForEachRefusedRecord()
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var valid = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 1, TimeProvider.System.GetUtcNow());
        var forged = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 2, TimeProvider.System.GetUtcNow(), EthECKey.GenerateKey());

        var response = await host.CreateClient().PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([valid, forged]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = (await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!.Records;
        Assert.True(records[0].Accepted);
        Assert.False(records[1].Accepted);
        Assert.Equal(RecordProblemTypes.InvalidSignature, records[1].Problem?.Type);
        Assert.Equal((1, 0), await host.CountRowsAsync());
    }

    [Fact]
    public async Task PostRecords_EveryRecordConflicting_409WithErrorsAndTheConflictKept()
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var client = host.CreateClient();
        await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(Batch(deployment, 1, 2)));
        var twins = Enumerable.Range(1, 2).Select(i => SignedRecords.Make(
            deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, (ulong)i, TimeProvider.System.GetUtcNow(), content: "twin")).ToList();

        var response = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(twins));

        var problem = await AssertProblemAsync(response, HttpStatusCode.Conflict, RecordProblemTypes.SequenceConflict);
        var errors = problem["errors"]!.AsArray();
        Assert.Equal(2, errors.Count);
        Assert.Equal(1, errors[1]!["index"]!.GetValue<int>());
        Assert.Equal(RecordProblemTypes.SequenceConflict, errors[1]!["type"]!.GetValue<string>());
        Assert.Equal(ProvenanceRecordTypedData.Digest(twins[1].Record, deployment.Chain.Domain).ToString(), errors[1]!["digest"]!.GetValue<string>());
        Assert.Equal((2, 2), await host.CountRowsAsync());
    }

    [Fact]
    public async Task PostRecords_UnknownModelAndUnauthorizedNode_422And403()
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var client = host.CreateClient();
        var unknownModel = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, Bytes32.Sha256("nope"u8), 1, TimeProvider.System.GetUtcNow());
        var strangerNode = SignedRecords.Make(deployment.Chain.Domain, EthECKey.GenerateKey(), deployment.ModelHash, 1, TimeProvider.System.GetUtcNow());
        var future = SignedRecords.Make(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, 1, TimeProvider.System.GetUtcNow().AddHours(1));

        await AssertProblemAsync(await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([unknownModel])),
            HttpStatusCode.UnprocessableEntity, RecordProblemTypes.UnknownModel);
        await AssertProblemAsync(await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([strangerNode])),
            HttpStatusCode.Forbidden, RecordProblemTypes.NodeNotAuthorized);
        await AssertProblemAsync(await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([future])),
            HttpStatusCode.UnprocessableEntity, RecordProblemTypes.InvalidTimestamp);
        Assert.Equal((0, 0), await host.CountRowsAsync());
    }

    [Theory]
    [InlineData("malformed-json", RecordProblemTypes.InvalidRequest)]
    [InlineData("wrong-type-records", RecordProblemTypes.InvalidRequest)]
    [InlineData("wrong-type-sequence", RecordProblemTypes.InvalidRequest)]
    [InlineData("null-body", RecordProblemTypes.InvalidRequest)]
    [InlineData("empty-list", RecordProblemTypes.InvalidRequest)]
    [InlineData("too-many", RecordProblemTypes.InvalidRequest)]
    [InlineData("null-record", RecordProblemTypes.InvalidRequest)]
    [InlineData("missing-signature", RecordProblemTypes.InvalidRequest)]
    [InlineData("bad-signature-hex", RecordProblemTypes.InvalidSignature)]
    [InlineData("short-signature", RecordProblemTypes.InvalidSignature)]
    [InlineData("malleable-signature", RecordProblemTypes.InvalidSignature)]
    [InlineData("bad-address", RecordProblemTypes.InvalidRequest)]
    public async Task PostRecords_BadBody_400ProblemAndNothingStored(string body, string type)
    {
        var (host, deployment) = await StartAsync();
        using var _ = host;
        var content = new StringContent(BadBody(body, deployment), Encoding.UTF8, "application/json");

        var response = await host.CreateClient().PostAsync(LedgerIngest.RecordsPath, content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, type);
        Assert.Equal((0, 0), await host.CountRowsAsync());
    }

    [Fact]
    public async Task PostRecords_NotJson_415Problem()
    {
        var (host, _) = await StartAsync();
        using var __ = host;

        var response = await host.CreateClient().PostAsync(LedgerIngest.RecordsPath, new StringContent("records", Encoding.UTF8, "text/plain"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, LedgerProblemTypes.InvalidRequest);
    }

    [Fact]
    public async Task GetRecord_UnknownOrMalformedDigest_404Or400Problem()
    {
        var (host, _) = await StartAsync();
        using var __ = host;
        var client = host.CreateClient();

        await AssertProblemAsync(await client.GetAsync($"{LedgerIngest.RecordsPath}/{Bytes32.Sha256("x"u8)}"), HttpStatusCode.NotFound, LedgerProblemTypes.NotFound);
        await AssertProblemAsync(await client.GetAsync($"{LedgerIngest.RecordsPath}/0x1234"), HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
    }

    private static string BadBody(string kind, TestDeployment deployment)
    {
        var valid = JsonSerializer.SerializeToNode(new SubmitRecordsRequest(Batch(deployment, 1, 1)), Json)!;
        var record = valid["records"]![0]!;
        switch (kind)
        {
            case "malformed-json":
                return "{\"records\": [";
            case "wrong-type-records":
                return "{\"records\": \"many\"}";
            case "wrong-type-sequence":
                record["record"]!["sequence"] = "seven";
                break;
            case "null-body":
                return "null";
            case "empty-list":
                return "{\"records\": []}";
            case "too-many":
                valid["records"] = new JsonArray(Enumerable.Range(0, LedgerIngest.MaxRecordsPerRequest + 1).Select(_ => record.DeepClone()).ToArray());
                break;
            case "null-record":
                valid["records"]!.AsArray().Add(null);
                break;
            case "missing-signature":
                record.AsObject().Remove("signature");
                break;
            case "bad-signature-hex":
                record["signature"] = "0x" + new string('z', 130);
                break;
            case "short-signature":
                record["signature"] = "0x1234";
                break;
            case "malleable-signature":
                record["signature"] = Malleable(record["signature"]!.GetValue<string>());
                break;
            case "bad-address":
                record["record"]!["node"] = "0x1234";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }

        return valid.ToJsonString();
    }

    // The twin (r, n − s, v ^ 1) of a valid signature: the same signer, refused by the low-s rule.
    private static string Malleable(string signature)
    {
        var bytes = Convert.FromHexString(signature[2..]);
        var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var high = (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var twin = new byte[65];
        bytes.AsSpan(0, 32).CopyTo(twin);
        high.CopyTo(twin.AsSpan(64 - high.Length));
        twin[64] = (byte)(bytes[64] == 27 ? 28 : 27);
        return "0x" + Convert.ToHexStringLower(twin);
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(type, problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()), text);
        return problem;
    }

    private static List<SignedProvenanceRecord> Batch(TestDeployment deployment, ulong first, int count) =>
        SignedRecords.Batch(deployment.Chain.Domain, deployment.NodeKey, deployment.ModelHash, first, count, TimeProvider.System.GetUtcNow());

    private async Task<(RecordsHost Host, TestDeployment Deployment)> StartAsync()
    {
        var deployment = await chain.DeployAsync();
        var host = new RecordsHost(deployment);
        await host.WaitForRegistryAsync();
        return (host, deployment);
    }
}
