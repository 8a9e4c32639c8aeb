using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
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
    public async Task IngestAsync_NodeNotRegisteredForModel_RefusesAsNotAuthorized()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var otherModel = Bytes32.Sha256("other model"u8);
        var deregistered = EthECKey.GenerateKey();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Models.Add(new MirroredModel { ModelHash = otherModel, Owner = EvmAddress.Parse("0x00000000000000000000000000000000000000cc"), Active = true });
            context.Nodes.Add(new MirroredNode { Node = EvmAddress.Parse(deregistered.GetPublicAddress()), Operator = EvmAddress.Parse("0x00000000000000000000000000000000000000cc"), Registered = false });
            context.NodeModels.Add(new NodeModelGrant { Node = EvmAddress.Parse(deregistered.GetPublicAddress()), ModelHash = _model });
            await context.SaveChangesAsync();
        }

        var outcomes = await ingestor.IngestAsync([
            SignedRecords.Make(_domain, _nodeKey, otherModel, 1, Now),
            SignedRecords.Make(_domain, EthECKey.GenerateKey(), _model, 1, Now),
            SignedRecords.Make(_domain, deregistered, _model, 1, Now),
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
            await context.SaveChangesAsync();
        }

        var ingestor = new RecordIngestor(db, new RecordSignatureVerifier(_domain), new RegistryMirror(db),
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
