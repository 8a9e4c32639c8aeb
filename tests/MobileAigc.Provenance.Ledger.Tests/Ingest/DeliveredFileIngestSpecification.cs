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
using MobileAigc.Provenance.Ledger.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>
/// A node's delivered-file statement at ingest (kept only with the record's first storage, only when the
/// record's node signed it for that record) and exact lookup by the file's hash, run once per database provider:
/// the statement is written by the record's own bulk insert (SQLite's prepared command, PostgreSQL's COPY).
/// </summary>
public abstract class DeliveredFileIngestSpecification(LedgerDatabases databases)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private readonly ContractDomain _domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000aa"));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly Bytes32 _model = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
    private readonly ContentHashTracer _exact = new();

    [Fact]
    public async Task IngestAsync_StatementOfTheRecordsNode_KeptInTheRecordRowAndFoundByTheFileHash()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = Make(1);
        var file = Bytes32.Sha256("the delivered file, credentials included"u8);
        var statement = State(record, file);

        var outcome = (await ingestor.IngestAsync([record with { DeliveredFile = statement }])).Single();

        Assert.Equal(RecordIngestStatus.Stored, outcome.Status);
        Assert.Null(outcome.NotKept);
        await using var context = await db.CreateDbContextAsync();
        var row = await context.Records.SingleAsync();
        Assert.Equal(file, row.DeliveredFileHash);
        Assert.Equal(statement.Signature.ToString(), row.ToSignedRecord().DeliveredFile?.Signature.ToString());
        Assert.Equal(statement.File, row.ToSignedRecord().DeliveredFile?.File);
        var byFile = Assert.IsType<RecordTrace>(Assert.Single(await _exact.TraceAsync(file, context, 5, CancellationToken.None)));
        Assert.Equal(outcome.Digest, byFile.Record.Digest);
        Assert.Equal(ExactHashMatch.DeliveredFile, byFile.Match.MatchedBy);
        Assert.Equal(VerificationMatchMethod.ContentHash, byFile.Match.Method);
        var byContent = Assert.IsType<RecordTrace>(Assert.Single(await _exact.TraceAsync(record.Record.ContentHash, context, 5, CancellationToken.None)));
        Assert.Equal(ExactHashMatch.ContentHash, byContent.Match.MatchedBy);
    }

    [Fact]
    public async Task IngestAsync_StatementSignedByAnotherKey_RecordStoredWithoutItAndReportedInvalidEachTime()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = Make(1);
        var file = Bytes32.Sha256("a file someone else claims"u8);
        var forged = record with { DeliveredFile = DeliveredFileTypedData.Sign(new DeliveredFile(Digest(record), file), _domain, EthECKey.GenerateKey()) };
        var second = Make(2);
        var otherDomain = second with { DeliveredFile = DeliveredFileTypedData.Sign(new DeliveredFile(Digest(second), file), _domain with { ChainId = 1 }, _nodeKey) };

        var outcomes = await ingestor.IngestAsync([forged, otherDomain]);
        var again = (await ingestor.IngestAsync([forged])).Single();

        Assert.All(outcomes, o => Assert.Equal(RecordIngestStatus.Stored, o.Status));
        Assert.All(outcomes, o => Assert.Equal(RecordProblemTypes.InvalidDeliveredFile, Assert.Single(o.NotKept!).Type));
        Assert.Contains("not by the record's node", outcomes[0].NotKept![0].Detail, StringComparison.Ordinal);
        Assert.Equal(RecordIngestStatus.AlreadyStored, again.Status);
        Assert.Equal(RecordProblemTypes.InvalidDeliveredFile, Assert.Single(again.NotKept!).Type);
        await AssertNothingKeptAsync(db, file, records: 2);
    }

    [Fact]
    public async Task IngestAsync_StatementNamingAnotherRecord_RecordStoredWithoutItAndReportedInvalid()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = Make(1);
        var file = Bytes32.Sha256("a file of another record"u8);
        var misdirected = record with { DeliveredFile = State(Make(2), file) };

        var outcome = (await ingestor.IngestAsync([misdirected])).Single();

        Assert.Equal(RecordIngestStatus.Stored, outcome.Status);
        var problem = Assert.Single(outcome.NotKept!);
        Assert.Equal(RecordProblemTypes.InvalidDeliveredFile, problem.Type);
        Assert.Contains($"not this record {outcome.Digest}", problem.Detail, StringComparison.Ordinal);
        await AssertNothingKeptAsync(db, file, records: 1);
    }

    [Fact]
    public async Task IngestAsync_StatementForARecordStoredWithoutOne_ConflictAndNothingKept()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = Make(1);
        var file = Bytes32.Sha256("a file claimed late"u8);
        await ingestor.IngestAsync([record]);

        var late = (await ingestor.IngestAsync([record with { DeliveredFile = State(record, file) }])).Single();

        Assert.Equal(RecordIngestStatus.AlreadyStored, late.Status);
        Assert.Equal(RecordProblemTypes.DeliveredFileConflict, Assert.Single(late.NotKept!).Type);
        await AssertNothingKeptAsync(db, file, records: 1);
    }

    [Fact]
    public async Task IngestAsync_OtherStatementForARecordStoredWithOne_ConflictAndTheFirstStays()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = Make(1);
        var first = Bytes32.Sha256("the file delivered"u8);
        var second = Bytes32.Sha256("another file claimed later"u8);
        await ingestor.IngestAsync([record with { DeliveredFile = State(record, first) }]);

        var later = (await ingestor.IngestAsync([record with { DeliveredFile = State(record, second) }])).Single();

        Assert.Equal(RecordProblemTypes.DeliveredFileConflict, Assert.Single(later.NotKept!).Type);
        Assert.Contains(first.ToString(), later.NotKept![0].Detail, StringComparison.Ordinal);
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(first, (await context.Records.SingleAsync()).DeliveredFileHash);
        Assert.Empty(await _exact.TraceAsync(second, context, 5, CancellationToken.None));
    }

    [Fact]
    public async Task IngestAsync_SameStatementAgainOrTwiceInOneRequest_NothingToReport()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var record = Make(1);
        var file = Bytes32.Sha256("the file delivered once"u8);
        var sent = record with { DeliveredFile = State(record, file) };
        var other = Make(2);
        var otherSent = other with { DeliveredFile = State(other, Bytes32.Sha256("a second file"u8)) };

        var first = await ingestor.IngestAsync([sent, otherSent, otherSent with { DeliveredFile = State(other, file) }]);
        var again = (await ingestor.IngestAsync([sent])).Single();

        Assert.Equal((RecordIngestStatus.Stored, RecordIngestStatus.Stored, RecordIngestStatus.AlreadyStored), (first[0].Status, first[1].Status, first[2].Status));
        Assert.Null(first[0].NotKept);
        Assert.Null(first[1].NotKept);
        // The same record twice in one request: the first copy's statement is the one kept, the second's conflicts.
        Assert.Equal(RecordProblemTypes.DeliveredFileConflict, Assert.Single(first[2].NotKept!).Type);
        Assert.Equal(RecordIngestStatus.AlreadyStored, again.Status);
        Assert.Null(again.NotKept);
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(2, await context.Records.CountAsync());
        Assert.Equal(first[0].Digest, Assert.IsType<RecordTrace>(Assert.Single(await _exact.TraceAsync(file, context, 5, CancellationToken.None))).Record.Digest);
    }

    [Fact]
    public async Task IngestAsync_RefusedRecordWithAStatement_RefusedForItsOwnReasonAndNothingKept()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var unregistered = SignedRecords.Make(_domain, _nodeKey, Bytes32.Sha256("an unregistered model"u8), 1, Now);
        var file = Bytes32.Sha256("a file of a refused record"u8);

        var outcome = (await ingestor.IngestAsync([unregistered with { DeliveredFile = State(unregistered, file) }])).Single();

        Assert.Equal(RecordRefusalReason.UnknownModel, outcome.Refusal?.Reason);
        Assert.Null(outcome.NotKept);
        await AssertNothingKeptAsync(db, file, records: 0);
    }

    [Fact]
    public async Task TraceAsync_HashOfTwoRecords_EarliestAnchoredFirstWhicheverHashMatched()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var contested = Bytes32.Sha256("one file, two claims"u8);
        var early = Make(1);
        var late = Make(2, contentHash: contested);
        await ingestor.IngestAsync([early with { DeliveredFile = State(early, contested) }]);
        await ingestor.IngestAsync([late]);

        await using var context = await db.CreateDbContextAsync();
        var traces = (await _exact.TraceAsync(contested, context, 5, CancellationToken.None)).Cast<RecordTrace>().ToList();
        var first = Assert.Single(await _exact.TraceAsync(contested, context, 1, CancellationToken.None));

        Assert.Equal([Digest(early), Digest(late)], traces.Select(t => t.Record.Digest));
        Assert.Equal([ExactHashMatch.DeliveredFile, ExactHashMatch.ContentHash], traces.Select(t => t.Match.MatchedBy!.Value));
        Assert.Equal(Digest(early), Assert.IsType<RecordTrace>(first).Record.Digest);
    }

    private SignedProvenanceRecord Make(ulong sequence, Bytes32? contentHash = null)
    {
        var made = SignedRecords.Make(_domain, _nodeKey, _model, sequence, Now);
        if (contentHash is not { } hash)
        {
            return made;
        }

        var record = made.Record with { ContentHash = hash };
        return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, _domain, _nodeKey));
    }

    private Bytes32 Digest(SignedProvenanceRecord signed) => ProvenanceRecordTypedData.Digest(signed.Record, _domain);

    private SignedDeliveredFile State(SignedProvenanceRecord signed, Bytes32 fileHash) =>
        DeliveredFileTypedData.Sign(new DeliveredFile(Digest(signed), fileHash), _domain, _nodeKey);

    private async Task AssertNothingKeptAsync(IDbContextFactory<LedgerDbContext> db, Bytes32 file, int records)
    {
        await using var context = await db.CreateDbContextAsync();
        var rows = await context.Records.ToListAsync();
        Assert.Equal(records, rows.Count);
        Assert.All(rows, r => Assert.Null(r.DeliveredFileHash));
        Assert.All(rows, r => Assert.Null(r.DeliveredFileSignature));
        Assert.Empty(await _exact.TraceAsync(file, context, 5, CancellationToken.None));
    }

    private async Task<(RecordIngestor Ingestor, IDbContextFactory<LedgerDbContext> Database)> NewIngestorAsync()
    {
        var db = await databases.NewDatabaseAsync();
        await using (var context = await db.CreateDbContextAsync())
        {
            var node = EvmAddress.Parse(_nodeKey.GetPublicAddress());
            var owner = EvmAddress.Parse("0x00000000000000000000000000000000000000dd");
            context.Models.Add(new MirroredModel { ModelHash = _model, Owner = owner, MetadataUri = "ipfs://m", Active = true });
            context.Nodes.Add(new MirroredNode { Node = node, Operator = owner, Registered = true });
            context.NodeModels.Add(new NodeModelGrant { Node = node, ModelHash = _model });
            context.NodeApprovals.Add(new ModelNodeApproval { ModelHash = _model, Node = node });
            await context.SaveChangesAsync();
        }

        var verifier = new RecordSignatureVerifier(_domain);
        var channels = new PaymentVoucherVerifier(ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000cc")));
        var ingestor = new RecordIngestor(db, verifier, new RegistryMirror(db), new CreatorProofChecker(verifier, channels),
            Options.Create(new RecordIngestOptions()), new FakeTimeProvider(Now), NullLogger<RecordIngestor>.Instance);
        return (ingestor, db);
    }
}

/// <summary>The delivered-file specification on SQLite.</summary>
public sealed class SqliteDeliveredFileIngestTests(SqliteDatabases databases) : DeliveredFileIngestSpecification(databases), IClassFixture<SqliteDatabases>;

/// <summary>The delivered-file specification on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDeliveredFileIngestTests(PostgresDatabases databases) : DeliveredFileIngestSpecification(databases);
