using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>The ingest specification, run once per database provider.</summary>
public abstract class RecordIngestorTests(LedgerDatabases databases)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly ContractDomain _domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000aa"));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly Bytes32 _model = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
    private readonly FakeTimeProvider _time = new(Now);
    private readonly ContractDomain _channelsDomain = ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000cc"));
    private readonly EthECKey _creatorKey = EthECKey.GenerateKey();
    private readonly Bytes32 _channel = Bytes32.Sha256(Guid.NewGuid().ToByteArray());

    private PaymentVoucherVerifier ChannelsVerifier => new(_channelsDomain);

    private EvmAddress Creator => EvmAddress.Parse(_creatorKey.GetPublicAddress());

    [Fact]
    public async Task IngestAsync_ValidBatch_StoresEveryRecordInOrder()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var batch = SignedRecords.Batch(_domain, _nodeKey, _model, 1, 50, Now);

        var outcomes = await ingestor.IngestAsync(batch);

        Assert.All(outcomes, o => Assert.Equal(RecordIngestStatus.Stored, o.Status));
        Assert.Equal(batch.Select(r => ProvenanceRecordTypedData.Digest(r.Record, _domain)), outcomes.Select(o => o.Digest));
        await using var context = await db.CreateDbContextAsync();
        var stored = await context.Records.OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(outcomes.Select(o => o.Digest), stored.Select(r => r.Digest));
        Assert.All(stored, r => Assert.Null(r.BatchId));
        Assert.Equal(batch[7].Record, stored[7].ToRecord());
        Assert.Equal(batch[7].Signature.ToString(), stored[7].ToSignedRecord().Signature.ToString());
        Assert.Equal(Now, stored[0].ReceivedAt);
    }

    [Fact]
    public async Task IngestAsync_SameBatchAgain_AcceptsWithSameDigestsAndNoNewRow()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var batch = SignedRecords.Batch(_domain, _nodeKey, _model, 1, 10, Now);
        var first = await ingestor.IngestAsync(batch);

        var again = await ingestor.IngestAsync([.. batch, batch[0]]);

        Assert.Equal(first.Select(o => o.Digest), again.Take(10).Select(o => o.Digest));
        Assert.All(again, o => Assert.Equal(RecordIngestStatus.AlreadyStored, o.Status));
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(10, await context.Records.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_SequenceConflict_RefusesAndKeepsItForAudit()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var original = SignedRecords.Make(_domain, _nodeKey, _model, 5, Now);
        var conflicting = SignedRecords.Make(_domain, _nodeKey, _model, 5, Now, content: "other");
        var stored = (await ingestor.IngestAsync([original])).Single();

        var outcome = (await ingestor.IngestAsync([conflicting])).Single();
        var retried = (await ingestor.IngestAsync([conflicting])).Single();

        Assert.Equal(RecordRefusalReason.SequenceConflict, outcome.Refusal?.Reason);
        Assert.Equal(stored.Digest, outcome.Refusal?.ConflictsWith);
        Assert.Equal(RecordRefusalReason.SequenceConflict, retried.Refusal?.Reason);
        await using var context = await db.CreateDbContextAsync();
        var audit = await context.RefusedRecords.SingleAsync();
        Assert.Equal(outcome.Digest, audit.Digest);
        Assert.Equal(stored.Digest, audit.ConflictsWith);
        Assert.Equal(5, audit.NodeSequence);
        Assert.Equal(RecordProblemTypes.SequenceConflict, audit.Reason);
        var kept = System.Text.Json.JsonSerializer.Deserialize<SignedProvenanceRecord>(
            audit.SignedRecordJson, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal(conflicting.Record, kept?.Record);
        Assert.Equal(conflicting.Signature.ToString(), kept?.Signature.ToString());
        Assert.Equal(1, await context.Records.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_ConflictInsideOneBatch_StoresTheFirstAndRefusesTheLater()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var first = SignedRecords.Make(_domain, _nodeKey, _model, 9, Now);
        var second = SignedRecords.Make(_domain, _nodeKey, _model, 9, Now, content: "twin");

        var outcomes = await ingestor.IngestAsync([first, second]);

        Assert.Equal(RecordIngestStatus.Stored, outcomes[0].Status);
        Assert.Equal(RecordRefusalReason.SequenceConflict, outcomes[1].Refusal?.Reason);
        Assert.Equal(outcomes[0].Digest, outcomes[1].Refusal?.ConflictsWith);
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(1, await context.Records.CountAsync());
        Assert.Equal(outcomes[1].Digest, (await context.RefusedRecords.SingleAsync()).Digest);
    }

    [Fact]
    public async Task IngestAsync_WrongSigner_RefusesAsInvalidSignature()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var forged = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now, signer: EthECKey.GenerateKey());
        var otherDomain = SignedRecords.Make(ContractDomain.ForProvenanceLedger(1, EvmAddress.Parse("0x00000000000000000000000000000000000000bb")), _nodeKey, _model, 2, Now);
        var valid = SignedRecords.Make(_domain, _nodeKey, _model, 3, Now);

        var outcomes = await ingestor.IngestAsync([forged, otherDomain, valid]);

        Assert.Equal(RecordRefusalReason.InvalidSignature, outcomes[0].Refusal?.Reason);
        Assert.Equal(RecordRefusalReason.InvalidSignature, outcomes[1].Refusal?.Reason);
        Assert.Equal(RecordIngestStatus.Stored, outcomes[2].Status);
        await AssertStoredCountAsync(db, 1);
    }

    [Fact]
    public async Task IngestAsync_UnknownModel_RefusesAsUnknownModel()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = SignedRecords.Make(_domain, _nodeKey, Bytes32.Sha256("unregistered"u8), 1, Now);

        var outcome = (await ingestor.IngestAsync([record])).Single();

        Assert.Equal(RecordRefusalReason.UnknownModel, outcome.Refusal?.Reason);
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_NodeNotRegisteredServingOrApprovedForModel_RefusesAsNotAuthorized()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var otherModel = Bytes32.Sha256("other model"u8);
        var deregistered = EthECKey.GenerateKey();
        var unapproved = EthECKey.GenerateKey();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Models.Add(new MirroredModel { ModelHash = otherModel, Owner = EvmAddress.Parse("0x00000000000000000000000000000000000000cc"), Active = true });
            context.Nodes.Add(new MirroredNode { Node = EvmAddress.Parse(deregistered.GetPublicAddress()), Operator = EvmAddress.Parse("0x00000000000000000000000000000000000000cc"), Registered = false });
            context.NodeModels.Add(new NodeModelGrant { Node = EvmAddress.Parse(deregistered.GetPublicAddress()), ModelHash = _model });
            context.NodeApprovals.Add(new ModelNodeApproval { ModelHash = _model, Node = EvmAddress.Parse(deregistered.GetPublicAddress()) });
            // Registered and serving, but the model's owner never approved it (and the model is not open).
            context.Nodes.Add(new MirroredNode { Node = EvmAddress.Parse(unapproved.GetPublicAddress()), Operator = EvmAddress.Parse("0x00000000000000000000000000000000000000cc"), Registered = true });
            context.NodeModels.Add(new NodeModelGrant { Node = EvmAddress.Parse(unapproved.GetPublicAddress()), ModelHash = _model });
            await context.SaveChangesAsync();
        }

        var outcomes = await ingestor.IngestAsync([
            SignedRecords.Make(_domain, _nodeKey, otherModel, 1, Now),
            SignedRecords.Make(_domain, EthECKey.GenerateKey(), _model, 1, Now),
            SignedRecords.Make(_domain, deregistered, _model, 1, Now),
            SignedRecords.Make(_domain, unapproved, _model, 1, Now),
        ]);

        Assert.All(outcomes, o => Assert.Equal(RecordRefusalReason.NodeNotAuthorized, o.Refusal?.Reason));
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_TimestampBeyondTolerance_RefusesAsInvalidTimestamp()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var tooLate = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var justInTime = SignedRecords.Make(_domain, _nodeKey, _model, 2, Now + TimeSpan.FromMinutes(10));

        var outcomes = await ingestor.IngestAsync([tooLate, justInTime]);

        Assert.Equal(RecordRefusalReason.InvalidTimestamp, outcomes[0].Refusal?.Reason);
        Assert.Equal(RecordIngestStatus.Stored, outcomes[1].Status);
        await AssertStoredCountAsync(db, 1);
    }

    [Fact]
    public async Task IngestAsync_SameBatchFromTwoTasksAtOnce_BothAcceptedAndStoredOnce()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var (second, _) = await NewIngestorAsync(db);
        var batch = SignedRecords.Batch(_domain, _nodeKey, _model, 1, 200, Now);

        for (var round = 0; round < 3; round++)
        {
            var slice = batch.Skip(round * 50).Take(80).ToList();
            var results = await Task.WhenAll(
                Task.Run(() => ingestor.IngestAsync(slice)),
                Task.Run(() => second.IngestAsync(slice)));

            Assert.All(results.SelectMany(r => r), o => Assert.True(o.Accepted, o.Refusal?.Detail));
            Assert.Equal(results[0].Select(o => o.Digest), results[1].Select(o => o.Digest));
        }

        await AssertStoredCountAsync(db, 180);
    }

    [Fact]
    public async Task IngestAsync_ConflictingBatchesFromTwoTasksAtOnce_EachSequenceStoredOnceAndTheOtherRefused()
    {
        // Two replicas sharing a database, each sure its batch is new: the unique index on (node, sequence) decides.
        var (ingestor, db) = await NewIngestorAsync();
        var (second, _) = await NewIngestorAsync(db);
        const int PerRound = 120;

        for (var round = 0; round < 3; round++)
        {
            var first = (ulong)(round * PerRound) + 1;
            var mine = SignedRecords.Batch(_domain, _nodeKey, _model, first, PerRound, Now);
            var theirs = Enumerable.Range(0, PerRound)
                .Select(i => SignedRecords.Make(_domain, _nodeKey, _model, first + (ulong)i, Now, content: "theirs")).ToList();

            var results = await Task.WhenAll(
                Task.Run(() => ingestor.IngestAsync(mine)),
                Task.Run(() => second.IngestAsync(theirs)));

            for (var i = 0; i < PerRound; i++)
            {
                var (a, b) = (results[0][i], results[1][i]);
                Assert.True(a.Accepted ^ b.Accepted, $"Sequence {first + (ulong)i}: exactly one of the two records must be accepted.");
                var (kept, refused) = a.Accepted ? (a, b) : (b, a);
                Assert.Equal(RecordIngestStatus.Stored, kept.Status);
                Assert.Equal(RecordRefusalReason.SequenceConflict, refused.Refusal?.Reason);
                Assert.Equal(kept.Digest, refused.Refusal?.ConflictsWith);
            }
        }

        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(3 * PerRound, await context.Records.CountAsync());
        Assert.Equal(3 * PerRound, await context.RefusedRecords.CountAsync());
        Assert.Equal(3 * PerRound, await context.Records.Select(r => r.NodeSequence).Distinct().CountAsync());
    }

    [Fact]
    public async Task IngestAsync_NewStoredAndConflictingInOneBatch_CommitsNewRowsAndAuditTogetherInOrder()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var stored = SignedRecords.Batch(_domain, _nodeKey, _model, 1, 5, Now);
        await ingestor.IngestAsync(stored);
        var conflicting = SignedRecords.Make(_domain, _nodeKey, _model, 3, Now, content: "changed");
        var later = SignedRecords.Batch(_domain, _nodeKey, _model, 6, 2, Now);

        var outcomes = await ingestor.IngestAsync([stored[0], later[0], conflicting, later[1]]);

        Assert.Equal(
            [RecordIngestStatus.AlreadyStored, RecordIngestStatus.Stored, RecordIngestStatus.Refused, RecordIngestStatus.Stored],
            outcomes.Select(o => o.Status));
        await using var context = await db.CreateDbContextAsync();
        var rows = await context.Records.OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], rows.Select(r => r.NodeSequence));
        Assert.Equal(later[1].Record, rows[6].ToRecord());
        Assert.Equal(later[1].Signature.ToString(), rows[6].ToSignedRecord().Signature.ToString());
        Assert.Equal(outcomes[2].Digest, (await context.RefusedRecords.SingleAsync()).Digest);
    }

    [Fact]
    public async Task IngestAsync_TimestampBehindPastSkew_RefusesAsTimestampTooOldAndKeepsTheOutageWindow()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var pastSkew = new RecordIngestOptions().MaxPastSkew;
        var backDated = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now - pastSkew - TimeSpan.FromSeconds(1));
        var queuedThroughAnOutage = SignedRecords.Make(_domain, _nodeKey, _model, 2, Now - pastSkew);
        var yearsAgo = SignedRecords.Make(_domain, _nodeKey, _model, 3, DateTimeOffset.UnixEpoch);

        var outcomes = await ingestor.IngestAsync([backDated, queuedThroughAnOutage, yearsAgo]);

        Assert.Equal(RecordRefusalReason.TimestampTooOld, outcomes[0].Refusal?.Reason);
        Assert.Equal(RecordProblemTypes.TimestampTooOld, outcomes[0].Refusal?.ProblemType);
        Assert.True(RecordProblemTypes.IsPermanent(outcomes[0].Refusal?.ProblemType));
        Assert.Equal(RecordIngestStatus.Stored, outcomes[1].Status);
        Assert.Equal(RecordRefusalReason.TimestampTooOld, outcomes[2].Refusal?.Reason);
        await AssertStoredCountAsync(db, 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(ushort.MaxValue)]
    public async Task IngestAsync_UnknownRecordVersion_RefusesAsUnsupportedVersion(int version)
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { Version = (ushort)version };

        var outcome = (await ingestor.IngestAsync([Sign(record)])).Single();

        Assert.Equal(RecordRefusalReason.UnsupportedVersion, outcome.Refusal?.Reason);
        Assert.Equal(RecordProblemTypes.UnsupportedRecordVersion, outcome.Refusal?.ProblemType);
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_Version1WithExtensions_RefusesAsInvalidRecord()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { Extensions = Bytes32.Sha256("parent"u8) };

        var outcome = (await ingestor.IngestAsync([Sign(record)])).Single();

        Assert.Equal(RecordRefusalReason.InvalidRecord, outcome.Refusal?.Reason);
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_CreatorWithoutProof_RefusesAsNotAuthenticated()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { Creator = Creator };

        var outcome = (await ingestor.IngestAsync([Sign(record)])).Single();

        Assert.Equal(RecordRefusalReason.CreatorNotAuthenticated, outcome.Refusal?.Reason);
        Assert.Equal(RecordProblemTypes.CreatorNotAuthenticated, outcome.Refusal?.ProblemType);
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_CreatorSignedTheRequest_StoresItAsCreatorSignature()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var signed = WithRequestProof(SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record, _creatorKey, Bytes32.Sha256("nonce"u8));

        var outcome = (await ingestor.IngestAsync([signed])).Single();

        Assert.Equal(RecordIngestStatus.Stored, outcome.Status);
        await using var context = await db.CreateDbContextAsync();
        var row = await context.Records.SingleAsync();
        Assert.Equal(CreatorAuthentication.CreatorSignature, row.CreatorAuthentication);
        var proof = row.ToSignedRecord().CreatorProof?.Request;
        Assert.Equal(signed.CreatorProof!.Request!.Nonce, proof?.Nonce);
        Assert.Equal(signed.CreatorProof.Request.Signature.ToString(), proof?.Signature.ToString());
    }

    [Fact]
    public async Task IngestAsync_ForgedCreator_RefusesAsInvalidCreatorProof()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var nonce = Bytes32.Sha256("nonce"u8);
        var record = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { Creator = Creator };
        // The node names the creator and signs the request itself; then it moves a genuine signature to another prompt.
        var forged = new CreatorProof(new CreatorRequestProof(nonce, CreatorRequestTypedData.Sign(CreatorRequest.Of(record, nonce), _domain, _nodeKey)));
        var genuine = WithRequestProof(record with { Sequence = 2 }, _creatorKey, nonce);
        var moved = Sign(genuine.Record with { PromptCommitment = Bytes32.Sha256("another prompt"u8) }, genuine.CreatorProof);
        var otherDomain = ContractDomain.ForProvenanceLedger(1, _domain.VerifyingContract);
        var wrongDomain = new CreatorProof(new CreatorRequestProof(nonce,
            CreatorRequestTypedData.Sign(CreatorRequest.Of(record with { Sequence = 3 }, nonce), otherDomain, _creatorKey)));

        var outcomes = await ingestor.IngestAsync([Sign(record, forged), moved, Sign(record with { Sequence = 3 }, wrongDomain)]);

        Assert.All(outcomes, o => Assert.Equal(RecordRefusalReason.InvalidCreatorProof, o.Refusal?.Reason));
        Assert.All(outcomes, o => Assert.Equal(RecordProblemTypes.InvalidCreatorProof, o.Refusal?.ProblemType));
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_ReplayedCreatorNonce_RefusesTheSecondRecordButAcceptsTheSameRecordAgain()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var nonce = Bytes32.Sha256("nonce"u8);
        var first = WithRequestProof(SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record, _creatorKey, nonce);
        // Same node, model and prompt commitment: the creator's signature verifies, only the nonce is spent.
        var replay = Sign(SignedRecords.Make(_domain, _nodeKey, _model, 2, Now, content: "other").Record with { Creator = Creator }, first.CreatorProof);
        var inOneRequest = Sign(SignedRecords.Make(_domain, _nodeKey, _model, 3, Now, content: "third").Record with { Creator = Creator }, first.CreatorProof);

        var stored = await ingestor.IngestAsync([first]);
        var outcomes = await ingestor.IngestAsync([first, replay]);

        Assert.Equal(RecordIngestStatus.Stored, stored[0].Status);
        Assert.Equal(RecordIngestStatus.AlreadyStored, outcomes[0].Status);
        Assert.Equal(RecordRefusalReason.CreatorProofReplayed, outcomes[1].Refusal?.Reason);
        Assert.Equal(RecordProblemTypes.CreatorProofReplayed, outcomes[1].Refusal?.ProblemType);
        await AssertStoredCountAsync(db, 1);

        var (freshIngestor, freshDb) = await NewIngestorAsync();
        var both = await freshIngestor.IngestAsync([replay, inOneRequest]);
        Assert.Equal(RecordIngestStatus.Stored, both[0].Status);
        Assert.Equal(RecordRefusalReason.CreatorProofReplayed, both[1].Refusal?.Reason);
        await AssertStoredCountAsync(freshDb, 1);
    }

    [Fact]
    public async Task IngestAsync_PaidByTheCreatorsVoucher_StoresItAsChannelVoucher()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var signed = WithVoucherProof(SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { Creator = Creator }, _creatorKey, _channel, 1);

        var outcome = (await ingestor.IngestAsync([signed])).Single();

        Assert.Equal(RecordIngestStatus.Stored, outcome.Status);
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(CreatorAuthentication.ChannelVoucher, (await context.Records.SingleAsync()).CreatorAuthentication);
    }

    [Fact]
    public async Task IngestAsync_VoucherOfAnotherCreatorOrChannel_RefusesAndAnUnreadChannelIsRetryable()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var stranger = EthECKey.GenerateKey();
        var record = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record;
        // A stranger's voucher naming the stranger on the creator's channel; the creator's voucher naming the stranger.
        var strangersChannel = WithVoucherProof(record with { Creator = EvmAddress.Parse(stranger.GetPublicAddress()) }, stranger, _channel, 1);
        var notTheSigner = WithVoucherProof(record with { Sequence = 2, Creator = EvmAddress.Parse(stranger.GetPublicAddress()) }, _creatorKey, _channel, 2);
        var unread = WithVoucherProof(record with { Sequence = 3, Creator = Creator }, _creatorKey, Bytes32.Sha256("unread"u8), 1);

        var outcomes = await ingestor.IngestAsync([strangersChannel, notTheSigner, unread]);

        Assert.Equal(RecordRefusalReason.InvalidCreatorProof, outcomes[0].Refusal?.Reason);
        Assert.Equal(RecordRefusalReason.InvalidCreatorProof, outcomes[1].Refusal?.Reason);
        Assert.Equal(RecordRefusalReason.UnknownChannel, outcomes[2].Refusal?.Reason);
        Assert.False(RecordProblemTypes.IsPermanent(outcomes[2].Refusal?.ProblemType));
        await AssertStoredCountAsync(db, 0);
    }

    [Fact]
    public async Task IngestAsync_OneVoucherForTwoRecords_RefusesTheSecond()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var first = WithVoucherProof(SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { Creator = Creator }, _creatorKey, _channel, 7);
        var second = Sign(SignedRecords.Make(_domain, _nodeKey, _model, 2, Now).Record with { Creator = Creator }, first.CreatorProof);

        var outcomes = await ingestor.IngestAsync([first, second]);

        Assert.Equal(RecordIngestStatus.Stored, outcomes[0].Status);
        Assert.Equal(RecordRefusalReason.CreatorProofReplayed, outcomes[1].Refusal?.Reason);
        await AssertStoredCountAsync(db, 1);
    }

    [Fact]
    public async Task IngestAsync_PrivateCreatorCommitment_StoresItAsPrivateWithoutProof()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = SignedRecords.Make(_domain, _nodeKey, _model, 1, Now).Record with { CreatorCommitment = Commitments.Creator(Creator, Commitments.NewSalt()) };
        var withProof = WithRequestProof(record with { Sequence = 2, CreatorCommitment = Bytes32.Zero }, _creatorKey, Bytes32.Sha256("n"u8));
        var proofWithoutCreator = Sign(withProof.Record with { Creator = EvmAddress.Zero }, withProof.CreatorProof);

        var outcomes = await ingestor.IngestAsync([Sign(record), proofWithoutCreator]);

        Assert.Equal(RecordIngestStatus.Stored, outcomes[0].Status);
        Assert.Equal(RecordRefusalReason.InvalidCreatorProof, outcomes[1].Refusal?.Reason);
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(CreatorAuthentication.PrivateCommitment, (await context.Records.SingleAsync()).CreatorAuthentication);
    }

    private SignedProvenanceRecord Sign(ProvenanceRecord record, CreatorProof? proof = null) =>
        new(record, ProvenanceRecordTypedData.Sign(record, _domain, _nodeKey), proof);

    private SignedProvenanceRecord WithRequestProof(ProvenanceRecord record, EthECKey creatorKey, Bytes32 nonce)
    {
        var named = record with { Creator = EvmAddress.Parse(creatorKey.GetPublicAddress()) };
        var signature = CreatorRequestTypedData.Sign(CreatorRequest.Of(named, nonce), _domain, creatorKey);
        return Sign(named, new CreatorProof(new CreatorRequestProof(nonce, signature)));
    }

    private SignedProvenanceRecord WithVoucherProof(ProvenanceRecord record, EthECKey voucherSigner, Bytes32 channel, ulong nonce)
    {
        var voucher = new PaymentVoucher(channel, 10 * nonce, nonce);
        var signature = PaymentVoucherTypedData.Sign(voucher, _channelsDomain, voucherSigner);
        return Sign(record, new CreatorProof(Voucher: new ChannelVoucherProof(channel, voucher.CumulativeAmount, nonce, signature)));
    }

    private async Task<(RecordIngestor Ingestor, IDbContextFactory<LedgerDbContext> Database)> NewIngestorAsync(
        IDbContextFactory<LedgerDbContext>? existing = null)
    {
        var db = existing ?? await databases.NewDatabaseAsync();
        if (existing is null)
        {
            await using var context = await db.CreateDbContextAsync();
            var node = EvmAddress.Parse(_nodeKey.GetPublicAddress());
            var owner = EvmAddress.Parse("0x00000000000000000000000000000000000000dd");
            context.Models.Add(new MirroredModel { ModelHash = _model, Owner = owner, MetadataUri = "ipfs://m", Active = true });
            context.Nodes.Add(new MirroredNode { Node = node, Operator = owner, Registered = true });
            context.NodeModels.Add(new NodeModelGrant { Node = node, ModelHash = _model });
            context.NodeApprovals.Add(new ModelNodeApproval { ModelHash = _model, Node = node });
            context.Channels.Add(new MirroredChannel { ChannelId = _channel, Creator = Creator, Provider = owner, ModelHash = _model, Deposit = "1000" });
            await context.SaveChangesAsync();
        }

        var verifier = new RecordSignatureVerifier(_domain);
        var ingestor = new RecordIngestor(db, verifier, new RegistryMirror(db), new CreatorProofChecker(verifier, ChannelsVerifier),
            Options.Create(new RecordIngestOptions()), _time, NullLogger<RecordIngestor>.Instance);
        return (ingestor, db);
    }

    private static async Task AssertStoredCountAsync(IDbContextFactory<LedgerDbContext> db, int expected)
    {
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(expected, await context.Records.CountAsync());
    }
}

/// <summary>The ingest specification on SQLite.</summary>
public sealed class SqliteRecordIngestorTests(SqliteDatabases databases) : RecordIngestorTests(databases), IClassFixture<SqliteDatabases>;

/// <summary>The ingest specification on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRecordIngestorTests(PostgresDatabases databases) : RecordIngestorTests(databases);
