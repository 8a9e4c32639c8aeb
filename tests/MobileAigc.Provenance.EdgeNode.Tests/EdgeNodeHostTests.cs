using System.Net;
using System.Net.Http.Json;
using System.Text;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>One edge-node host process with a ledger stand-in, shared by the tests of a class.</summary>
public sealed class EdgeNodeHostFixture : IAsyncLifetime, IDisposable
{
    public TempDirectory Directory { get; } = new();

    public LedgerStandIn Ledger { get; private set; } = null!;

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Ledger = await LedgerStandIn.StartAsync();
        Host = await EdgeNodeHost.StartAsync(Directory.Path, Ledger.BaseAddress);
        Http = EdgeNodeHost.ProviderClient(Host, Directory.Path);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        await Ledger.DisposeAsync();
    }

    public void Dispose() => Directory.Dispose();
}

/// <summary>The edge node as users meet it: the real host process, the shipped models, HTTP.</summary>
public sealed class EdgeNodeHostTests(EdgeNodeHostFixture fixture) : IClassFixture<EdgeNodeHostFixture>
{
    private static readonly ContractDomain Domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse(EdgeNodeHost.LedgerContract));
    private readonly TempDirectory _dir = fixture.Directory;
    private readonly LedgerStandIn _ledger = fixture.Ledger;
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Models_ListsTheShippedImageAndTextModels()
    {
        var models = await _http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models);

        Assert.Contains(models!, m => m.Kind == "image");
        Assert.Contains(models!, m => m.Kind == "text");
    }

    [Fact]
    public async Task GenerateImage_ReturnsAPngWithItsSignedRecord()
    {
        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a harbour in the rain", Seed: 7));
        var result = await response.Content.ReadFromJsonAsync<GenerateImageResponse>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = result!.Record.Record;
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(record, Domain, result.Record.Signature));
        // The content hash covers the file without its Content Credentials; the delivered file's own hash is stated beside it.
        Assert.Equal(AssetContainers.AssetHash(result.File), record.ContentHash);
        Assert.Equal(Bytes32.Sha256(result.File), result.Record.DeliveredFile!.File.FileHash);
        Assert.Equal(WatermarkIds.FromImagePayload(result.WatermarkPayload), record.WatermarkId);
        Assert.Equal(Commitments.Prompt("a harbour in the rain", result.Salts.PromptSalt), record.PromptCommitment);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task GenerateImage_SignsThePdqOfThePixelsItDeliversAndWritesItAsASoftBinding(string format)
    {
        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a lighthouse at dawn", Seed: 11, Format: format));
        var result = (await response.Content.ReadFromJsonAsync<GenerateImageResponse>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = result.Record.Record;
        var pdq = PdqHasher.Compute(result.File);
        Assert.Equal(ProvenanceRecordVersions.V3, record.Version);
        Assert.Equal(new ProvenanceRecordExtensionsV3(Bytes32.Zero, pdq.Hash.Bits, (ushort)pdq.Quality), result.Record.ExtensionsV3);
        Assert.Equal(result.Record.ExtensionsV3!.HashStruct(), record.Extensions);
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(record, Domain, result.Record.Signature));
        var store = AssetContainers.Locate(result.File)!.ManifestStore.ToArray();
        Assert.True(store.AsSpan().IndexOf(Encoding.ASCII.GetBytes(SoftBindingAlgorithms.Pdq)) >= 0);
        Assert.True(store.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(pdq.Hash.Bits.ToArray()))) >= 0);
        await WaitUntilAsync(() => _ledger.Received.ContainsKey(record.Sequence));
        Assert.Equal(result.Record.ExtensionsV3, _ledger.Received[record.Sequence].ExtensionsV3);
    }

    [Fact]
    public async Task GenerateImage_Jpeg_DeliversAJpegWithCredentialsAndSendsItsStoreAndDeliveredFileToTheLedger()
    {
        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a harbour at night", Seed: 8, Format: "jpeg"));
        var result = (await response.Content.ReadFromJsonAsync<GenerateImageResponse>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", result.MediaType);
        Assert.Equal(AssetFormat.Jpeg, AssetContainers.Detect(result.File));
        var sequence = result.Record.Record.Sequence;
        await WaitUntilAsync(() => _ledger.Received.ContainsKey(sequence));
        var sent = _ledger.Received[sequence];
        Assert.Equal(AssetContainers.Locate(result.File)!.ManifestStore.ToArray(), sent.ManifestStore);
        Assert.Equal(new DeliveredFile(result.RecordDigest, Bytes32.Sha256(result.File)), sent.DeliveredFile!.File);
        Assert.Equal(EvmAddress.Parse((await EdgeNodeHost.NodeKeyAsync(_dir.Path)).GetPublicAddress()), DeliveredFileTypedData.RecoverSigner(sent.DeliveredFile, Domain));
    }

    [Fact]
    public async Task GenerateImage_WatermarkReadsBackWithTheNodesKey()
    {
        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a harbour in the rain", Seed: 7));
        var result = await response.Content.ReadFromJsonAsync<GenerateImageResponse>();

        var watermarkKey = WatermarkKey.Parse((await File.ReadAllTextAsync(_dir.File("watermark.key"))).Trim());
        var reading = new ImageWatermarker(watermarkKey).Extract(ImageCodec.Decode(result!.File));
        Assert.Equal(result.WatermarkPayload, reading.Payload);
    }

    [Fact]
    public async Task GenerateText_PrivateCreator_RecordsOnlyTheCommitment()
    {
        var creator = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText,
            new GenerateTextRequest("And God said", Seed: 3, MaxNewTokens: 200, Creator: new CreatorIdentity(creator, Private: true)));
        var result = await response.Content.ReadFromJsonAsync<GenerateTextResponse>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = result!.Record.Record;
        Assert.True(record.Creator.IsZero);
        Assert.Equal(Commitments.Creator(creator, result.Salts.CreatorSalt!.Value), record.CreatorCommitment);
        Assert.Equal(Bytes32.Sha256(Encoding.UTF8.GetBytes(result.Text)), record.ContentHash);
        // The detection target (z >= 4 within 200 tokens for >= 95 %) is measured by the benchmark;
        // here only that the watermark is plainly there, whatever the random node key.
        Assert.True(result.WatermarkZScore >= 2, $"z = {result.WatermarkZScore}");
    }

    [Fact]
    public async Task GenerateText_CreatorSignedTheRequest_RecordNamesThemWithTheirSaltAndProof()
    {
        var creatorKey = Nethereum.Signer.EthECKey.GenerateKey();
        var identity = await SignedIdentityAsync(creatorKey, "And God said");

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("And God said", MaxNewTokens: 5, Creator: identity));
        var result = await response.Content.ReadFromJsonAsync<GenerateTextResponse>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = result!.Record.Record;
        Assert.Equal(identity.Address, record.Creator);
        Assert.Equal(identity.Signature!.PromptSalt, result.Salts.PromptSalt);
        Assert.Equal(Commitments.Prompt("And God said", identity.Signature.PromptSalt), record.PromptCommitment);
        Assert.Equal(identity.Signature.Nonce, result.Record.CreatorProof!.Request!.Nonce);
        Assert.True(CreatorClaims.Check(record, result.Record.CreatorProof, new RecordSignatureVerifier(Domain).DomainSeparator, null).Holds);
    }

    [Fact]
    public async Task GenerateText_CreatorWithoutProof_Is400AndGeneratesNothing()
    {
        var before = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        var creator = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("And God said", MaxNewTokens: 5, Creator: new CreatorIdentity(creator)));

        await AssertCreatorProblemAsync(response, HttpStatusCode.BadRequest, GenerationProblemTypes.CreatorNotAuthenticated, before!);
    }

    [Fact]
    public async Task GenerateText_ForgedCreatorSignature_Is403AndGeneratesNothing()
    {
        var before = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        var victim = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        // Signed by someone else, and a genuine signature moved to another prompt.
        var forged = (await SignedIdentityAsync(Nethereum.Signer.EthECKey.GenerateKey(), "And God said")) with { Address = victim };
        var genuine = await SignedIdentityAsync(Nethereum.Signer.EthECKey.GenerateKey(), "And God said");

        var byStranger = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("And God said", MaxNewTokens: 5, Creator: forged));
        var moved = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("Another prompt", MaxNewTokens: 5, Creator: genuine));

        await AssertCreatorProblemAsync(byStranger, HttpStatusCode.Forbidden, GenerationProblemTypes.InvalidCreatorProof, before!);
        await AssertCreatorProblemAsync(moved, HttpStatusCode.Forbidden, GenerationProblemTypes.InvalidCreatorProof, before!);
    }

    private async Task<CreatorIdentity> SignedIdentityAsync(Nethereum.Signer.EthECKey creatorKey, string prompt)
    {
        var node = (await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!;
        var model = (await _http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!.First(m => m.Kind == "text");
        var domain = ContractDomain.ForProvenanceLedger(node.RecordChainId!.Value, node.ProvenanceLedger!.Value);
        Assert.Equal(Domain, domain);
        return Client.CreatorRequests.Sign(creatorKey, node.Node, model.ModelHash, prompt, domain);
    }

    private async Task AssertCreatorProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type, NodeStatus before)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Type);
        var after = (await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!;
        Assert.Equal(before.PendingRecords + before.DeliveredRecords + before.HeldRecords, after.PendingRecords + after.DeliveredRecords + after.HeldRecords);
    }

    [Fact]
    public async Task Records_AreDeliveredToTheLedger()
    {
        var generated = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 20));
        var sequence = (await generated.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Record.Record.Sequence;

        await WaitUntilAsync(() => _ledger.Received.ContainsKey(sequence));
    }

    [Fact]
    public async Task Records_RefusedForGoodByTheLedger_AreHeldListedAndDegradeHealth()
    {
        var before = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        var next = (ulong)(before!.PendingRecords + before.DeliveredRecords + before.HeldRecords + 1);
        _ledger.Refuse[next] = RecordProblemTypes.SequenceConflict;

        var generated = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 20));
        Assert.Equal(next, (await generated.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Record.Record.Sequence);

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        List<HeldRecord> held;
        while ((held = (await _http.GetFromJsonAsync<List<HeldRecord>>(EdgeRoutes.HeldRecords))!).All(h => h.Sequence != next))
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the refused record was not held within 30 s");
            await Task.Delay(100);
        }

        Assert.StartsWith(RecordProblemTypes.SequenceConflict, held.Single(h => h.Sequence == next).Problem, StringComparison.Ordinal);
        Assert.Equal(1, _ledger.Submissions[next]);
        Assert.True((await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!.HeldRecords >= 1);
        Assert.Contains("Degraded", await _http.GetStringAsync("health"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Records_AcceptedWithAStoreNotKept_AreDeliveredOnceAndListed()
    {
        var before = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        var next = (ulong)(before!.PendingRecords + before.DeliveredRecords + before.HeldRecords + 1);
        _ledger.NotKeep[next] = new RecordProblem(RecordProblemTypes.InvalidManifestStore, "stand-in: not bound to the record's node");

        var generated = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 20));
        Assert.Equal(next, (await generated.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Record.Record.Sequence);

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        List<DeliveryNote> noted;
        while ((noted = (await _http.GetFromJsonAsync<List<DeliveryNote>>(EdgeRoutes.NotKeptRecords))!).All(n => n.Sequence != next))
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "the record was not listed as delivered with a note within 30 s");
            await Task.Delay(100);
        }

        Assert.Contains(RecordProblemTypes.InvalidManifestStore, noted.Single(n => n.Sequence == next).Note, StringComparison.Ordinal);
        Assert.Equal(1, _ledger.Submissions[next]);
    }

    [Theory]
    [InlineData(EdgeRoutes.GenerateText, """{"prompt": ""}""", HttpStatusCode.BadRequest, GenerationProblemTypes.InvalidParameter)]
    [InlineData(EdgeRoutes.GenerateText, """{"prompt": "x", "maxNewTokens": 0}""", HttpStatusCode.BadRequest, GenerationProblemTypes.InvalidParameter)]
    [InlineData(EdgeRoutes.GenerateText, """{"prompt": "x", "temperature": -1}""", HttpStatusCode.BadRequest, GenerationProblemTypes.InvalidParameter)]
    [InlineData(EdgeRoutes.GenerateImage, """{"prompt": "x", "width": 5000}""", HttpStatusCode.BadRequest, GenerationProblemTypes.InvalidParameter)]
    [InlineData(EdgeRoutes.GenerateImage, """{"prompt": "x", "height": 255}""", HttpStatusCode.BadRequest, GenerationProblemTypes.InvalidParameter)]
    [InlineData(EdgeRoutes.GenerateImage, """{"prompt": "x", "model": "no-such-model"}""", HttpStatusCode.NotFound, GenerationProblemTypes.UnknownModel)]
    [InlineData(EdgeRoutes.GenerateImage, """{"prompt": "x", "creator": {"address": "0x1234"}}""", HttpStatusCode.BadRequest, null)]
    [InlineData(EdgeRoutes.GenerateImage, """{"prompt": 12""", HttpStatusCode.BadRequest, null)]
    [InlineData(EdgeRoutes.GenerateImage, """{"prompt": ["not", "a", "string"]}""", HttpStatusCode.BadRequest, null)]
    public async Task Generate_BadRequest_AnswersProblemDetailsAndStoresNothing(string route, string body, HttpStatusCode status, string? type)
    {
        var before = await PendingAndDeliveredAsync();

        var response = await _http.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        if (type is not null)
        {
            Assert.Equal(type, problem!.Type);
        }

        Assert.Equal(before, await PendingAndDeliveredAsync());
    }

    [Fact]
    public async Task Generate_OversizeBody_IsRefused()
    {
        var body = $$"""{"prompt": "{{new string('a', 100_000)}}"}""";

        var response = await _http.PostAsync(EdgeRoutes.GenerateText, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private async Task<long> PendingAndDeliveredAsync()
    {
        var status = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        return status!.PendingRecords + status.DeliveredRecords;
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(30), "condition not met within 30 s");
            await Task.Delay(100);
        }
    }

}
