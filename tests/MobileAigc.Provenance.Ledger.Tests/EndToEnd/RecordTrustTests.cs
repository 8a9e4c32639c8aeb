using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// What a record may claim, tried against the real ledger process and anvil as a lying node would:
/// a creator it cannot prove, a creator's signature used twice, a time outside the ledger's skew,
/// a version the ledger cannot read, and a back-dated record racing an earlier one for the same content.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class RecordTrustTests(LedgerChainFixture chain) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-record-trust-").FullName;
    private readonly EthECKey _creatorKey = EthECKey.GenerateKey();
    private LedgerHostSetup _setup = null!;
    private HostProcess _host = null!;
    private HttpClient _http = null!;

    private EvmAddress Creator => EvmAddress.Parse(_creatorKey.GetPublicAddress());

    public async Task InitializeAsync()
    {
        _setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var settings = await _setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        settings["Ledger:Ingest:MaxPastSkew"] = "01:00:00";
        settings["Ledger:Ingest:MaxFutureSkew"] = "00:05:00";
        _host = await LedgerHostProcess.StartAsync(settings);
        _http = new HttpClient { BaseAddress = _host.BaseAddress };
        await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, _setup.NewRecords(1));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Submit_CreatorWithoutProof_IsRefusedAsNotAuthenticated()
    {
        var record = Fresh() with { Creator = Creator };

        var problem = await RefusalAsync(Sign(record));

        Assert.Equal(RecordProblemTypes.CreatorNotAuthenticated, problem);
    }

    [Fact]
    public async Task Submit_ForgedCreator_IsRefusedAsInvalidCreatorProof()
    {
        var nonce = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var record = Fresh() with { Creator = Creator };
        // The node signs "the creator's" request with its own key; then moves a genuine one to another model's record.
        var byTheNode = Sign(record, new CreatorProof(new CreatorRequestProof(nonce,
            CreatorRequestTypedData.Sign(CreatorRequest.Of(record, nonce), _setup.Deployment.Chain.Domain, _setup.Deployment.NodeKey))));
        var genuine = WithCreatorSignature(Fresh());
        var moved = Sign(genuine.Record with { PromptCommitment = Bytes32.Sha256("another prompt"u8) }, genuine.CreatorProof);

        Assert.Equal(RecordProblemTypes.InvalidCreatorProof, await RefusalAsync(byTheNode));
        Assert.Equal(RecordProblemTypes.InvalidCreatorProof, await RefusalAsync(moved));
    }

    [Fact]
    public async Task Submit_ReplayedCreatorSignature_IsRefusedOnceTheNonceIsSpent()
    {
        var first = WithCreatorSignature(Fresh());
        var replay = Sign(Fresh() with { Creator = Creator, PromptCommitment = first.Record.PromptCommitment }, first.CreatorProof);

        var accepted = await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, [first]);
        var problem = await RefusalAsync(replay);
        var again = await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, [first]);

        Assert.True(accepted.Records.Single().Accepted);
        Assert.Equal(RecordProblemTypes.CreatorProofReplayed, problem);
        Assert.True(again.Records.Single().Accepted); // the same record again is idempotent, not a replay
    }

    [Fact]
    public async Task Submit_TimestampOutsideTheSkew_IsRefusedBothWaysWithTheirOwnTypes()
    {
        var now = DateTimeOffset.UtcNow;
        var backDated = Fresh() with { Timestamp = (ulong)(now - TimeSpan.FromHours(2)).ToUnixTimeSeconds() };
        var future = Fresh() with { Timestamp = (ulong)(now + TimeSpan.FromHours(1)).ToUnixTimeSeconds() };
        var withinPast = Fresh() with { Timestamp = (ulong)(now - TimeSpan.FromMinutes(30)).ToUnixTimeSeconds() };

        Assert.Equal(RecordProblemTypes.TimestampTooOld, await RefusalAsync(Sign(backDated)));
        Assert.Equal(RecordProblemTypes.InvalidTimestamp, await RefusalAsync(Sign(future)));
        Assert.True(RecordProblemTypes.IsPermanent(RecordProblemTypes.TimestampTooOld));
        Assert.False(RecordProblemTypes.IsPermanent(RecordProblemTypes.InvalidTimestamp));
        Assert.True((await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, [Sign(withinPast)])).Records.Single().Accepted);
    }

    [Fact]
    public async Task Submit_UnknownRecordVersion_IsRefusedWithItsOwnType()
    {
        var problem = await RefusalAsync(Sign(Fresh() with { Version = 4, Extensions = Bytes32.Sha256("parent record"u8) }));

        Assert.Equal(RecordProblemTypes.UnsupportedRecordVersion, problem);
    }

    [Fact]
    public async Task Verify_CompetingRecordsForTheSameContent_FirstAnchoredWinsWhateverTheNodesClaim()
    {
        var content = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var now = DateTimeOffset.UtcNow;
        var first = WithCreatorSignature(Fresh() with { ContentHash = content, Timestamp = (ulong)now.ToUnixTimeSeconds() });
        // Received later but claiming to be 50 minutes older: a back-dated claim on the same content.
        var backDated = Sign(Fresh() with { ContentHash = content, Timestamp = (ulong)(now - TimeSpan.FromMinutes(50)).ToUnixTimeSeconds() });
        var firstDigest = (await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, [first])).Records.Single().RecordDigest;
        Assert.True((await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, [backDated])).Records.Single().Accepted);

        var result = await VerifiedWhenAnchoredAsync(content);

        Assert.Equal(firstDigest, result.Record!.Digest);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((long)first.Record.Timestamp), result.Record.SignedAt);
        Assert.NotNull(result.Record.AnchoredAt);
        Assert.Equal(CreatorAuthentication.CreatorSignature, result.Record.Creator!.Authentication);
        Assert.True(result.Record.Creator.Valid);
        // "Anchored at" is the chain's time: the anchoring block's timestamp.
        var block = await _setup.Deployment.Owner.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            new Nethereum.Hex.HexTypes.HexBigInteger(result.Anchoring!.Inclusion.Batch.BlockNumber!.Value));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value), result.Record.AnchoredAt);
    }

    private ProvenanceRecord Fresh() => _setup.NewRecords(1)[0].Record;

    private SignedProvenanceRecord Sign(ProvenanceRecord record, CreatorProof? proof = null) =>
        new(record, ProvenanceRecordTypedData.Sign(record, _setup.Deployment.Chain.Domain, _setup.Deployment.NodeKey), proof);

    private SignedProvenanceRecord WithCreatorSignature(ProvenanceRecord record)
    {
        var named = record with { Creator = Creator };
        var nonce = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var signature = CreatorRequestTypedData.Sign(CreatorRequest.Of(named, nonce), _setup.Deployment.Chain.Domain, _creatorKey);
        return Sign(named, new CreatorProof(new CreatorRequestProof(nonce, signature)));
    }

    private async Task<string?> RefusalAsync(SignedProvenanceRecord record)
    {
        using var response = await _http.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([record]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.GetProperty("type").GetString();
    }

    private async Task<VerificationResult> VerifiedWhenAnchoredAsync(Bytes32 contentHash)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var result = await _http.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{contentHash}", JsonSerializerOptions.Web);
            if (result?.Record?.AnchoredAt is not null || DateTime.UtcNow > deadline)
            {
                return result ?? throw new InvalidOperationException("No verification answer.");
            }

            await Task.Delay(200);
        }
    }
}
