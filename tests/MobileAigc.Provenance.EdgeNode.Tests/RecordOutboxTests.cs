using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class RecordOutboxTests : IDisposable
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly TempDirectory _dir = new();
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private EvmAddress Node => EvmAddress.Parse(_nodeKey.GetPublicAddress());

    [Fact]
    public void Issue_NumbersRecordsFromOneAndSignsThem()
    {
        using var outbox = RecordOutbox.Open(_dir.File("outbox.db"), Node);
        var issuer = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time);

        var first = issuer.Issue(Statement());
        var second = issuer.Issue(Statement());

        Assert.Equal((1UL, 2UL), (first.Record.Sequence, second.Record.Sequence));
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(second.Record, Domain, second.Signature));
        Assert.Equal((ulong)_time.GetUtcNow().ToUnixTimeSeconds(), first.Record.Timestamp);
    }

    [Fact]
    public void Open_AgainAfterClose_KeepsRecordsAndContinuesTheSequence()
    {
        SignedProvenanceRecord issued;
        using (var outbox = RecordOutbox.Open(_dir.File("outbox.db"), Node))
        {
            issued = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time).Issue(Statement());
        }

        using var reopened = RecordOutbox.Open(_dir.File("outbox.db"), Node);
        var next = new ProvenanceRecordIssuer(_nodeKey, Domain, reopened, _time).Issue(Statement());

        Assert.Equal(issued.Record, reopened.Find(1)!.Record);
        Assert.Equal(issued.Signature.ToString(), reopened.Find(1)!.Signature.ToString());
        Assert.Equal(2UL, next.Record.Sequence);
    }

    [Fact]
    public void Open_FileOfAnotherNode_Throws()
    {
        using (RecordOutbox.Open(_dir.File("outbox.db"), Node))
        {
        }

        var error = Assert.Throws<InvalidOperationException>(
            () => RecordOutbox.Open(_dir.File("outbox.db"), EvmAddress.Parse(EthECKey.GenerateKey().GetPublicAddress())));

        Assert.Contains("belongs to node", error.Message);
    }

    [Fact]
    public void Append_SignerThrows_StoresNothingAndKeepsTheSequenceFree()
    {
        using var outbox = RecordOutbox.Open(_dir.File("outbox.db"), Node);

        Assert.Throws<InvalidOperationException>(() => outbox.Append(_ => throw new InvalidOperationException("boom"), _time.GetUtcNow()));
        var issued = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time).Issue(Statement());

        Assert.Equal(1UL, issued.Record.Sequence);
        Assert.Equal(new OutboxCounts(1, 0, 0), outbox.Count());
    }

    [Fact]
    public void TakeDue_FailedRecords_WaitUntilTheirRetryTime()
    {
        using var outbox = RecordOutbox.Open(_dir.File("outbox.db"), Node);
        var issuer = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time);
        issuer.Issue(Statement());
        issuer.Issue(Statement());

        outbox.MarkFailed([1], "ledger away", _time.GetUtcNow().AddMinutes(1));
        outbox.MarkDelivered([2], _time.GetUtcNow());

        Assert.Empty(outbox.TakeDue(10, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(1));
        var due = Assert.Single(outbox.TakeDue(10, _time.GetUtcNow()));
        Assert.Equal((1UL, 1, "ledger away"), (due.Sequence, due.Attempts, due.LastError));
        Assert.Equal(new OutboxCounts(1, 1, 0), outbox.Count());
    }

    [Fact]
    public void Open_FileOfTheFirstRelease_AddsHeldRecordsAndKeepsItsRecords()
    {
        var path = _dir.File("outbox.db");
        // The schema of the first release, unversioned: no held_at column.
        CreateUnversionedFile(path, """
            CREATE TABLE node (address TEXT NOT NULL, next_sequence INTEGER NOT NULL);
            CREATE TABLE outbox (
                sequence INTEGER PRIMARY KEY,
                record_digest TEXT NOT NULL,
                signed_record TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                delivered_at INTEGER);
            CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
            """, 2);

        using (var outbox = RecordOutbox.Open(path, Node))
        {
            Assert.Equal(new OutboxCounts(2, 0, 0), outbox.Count());
            outbox.MarkHeld([1], RecordProblemTypes.SequenceConflict + ": taken", _time.GetUtcNow());

            Assert.Equal(new OutboxCounts(1, 0, 1), outbox.Count());
            Assert.Equal(2UL, Assert.Single(outbox.TakeDue(10, _time.GetUtcNow())).Sequence);
            var held = Assert.Single(outbox.Held());
            Assert.Equal((1UL, _time.GetUtcNow()), (held.Sequence, held.HeldAt));
            Assert.Equal(3UL, new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time).Issue(Statement()).Record.Sequence);
        }

        Assert.Equal(5L, SqliteFile.UserVersion(path));
        using var reopened = RecordOutbox.Open(path, Node);
        Assert.Equal(new OutboxCounts(2, 0, 1), reopened.Count());
    }

    [Fact]
    public void Open_UnversionedFileWithHeldRecords_KeepsThemHeld()
    {
        var path = _dir.File("outbox.db");
        // The schema from records being held until it was versioned: held_at already there, user_version 0.
        CreateUnversionedFile(path, """
            CREATE TABLE node (address TEXT NOT NULL, next_sequence INTEGER NOT NULL);
            CREATE TABLE outbox (
                sequence INTEGER PRIMARY KEY,
                record_digest TEXT NOT NULL,
                signed_record TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                delivered_at INTEGER,
                held_at INTEGER);
            CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
            """, 2);
        SqliteFile.Run(path, $"UPDATE outbox SET held_at = 1764331200000, last_error = '{RecordProblemTypes.InvalidSignature}: bad' WHERE sequence = 1");

        using var outbox = RecordOutbox.Open(path, Node);

        Assert.Equal(new OutboxCounts(1, 0, 1), outbox.Count());
        Assert.Equal((1UL, RecordProblemTypes.InvalidSignature + ": bad"), (Assert.Single(outbox.Held()).Sequence, outbox.Held()[0].Problem));
        Assert.Equal(5L, SqliteFile.UserVersion(path));
    }

    [Fact]
    public void Open_Version3File_AddsTheEvidenceTableAndItsDeliveredRecordsWaitForTheirProof()
    {
        var path = _dir.File("outbox.db");
        using (var outbox = RecordOutbox.Open(path, Node))
        {
            var issued = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time).Issue(Statement());
            outbox.MarkDelivered([issued.Record.Sequence], _time.GetUtcNow());
        }

        SqliteFile.Run(path, "DROP TABLE evidence_due; DROP TABLE evidence; PRAGMA user_version = 3");

        using var reopened = RecordOutbox.Open(path, Node);
        Assert.Equal(5L, SqliteFile.UserVersion(path));
        var store = new EdgeNode.Evidence.EvidenceStore(reopened);
        Assert.Equal(0, store.Count());
        Assert.Equal(1UL, Assert.Single(store.TakeDue(_time.GetUtcNow(), 10)).Sequence);
    }

    [Fact]
    public void Open_Version4File_DeliveredRecordsWithoutEvidenceBecomeDueAndKeptOnesDoNot()
    {
        var path = _dir.File("outbox.db");
        ulong proven, unproven;
        using (var outbox = RecordOutbox.Open(path, Node))
        {
            var issuer = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time);
            (proven, unproven) = (issuer.Issue(Statement()).Record.Sequence, issuer.Issue(Statement()).Record.Sequence);
            issuer.Issue(Statement()); // not delivered: never due
            outbox.MarkDelivered([proven, unproven], _time.GetUtcNow());
        }

        // A version-4 file: evidence kept for one delivered record, no due table.
        SqliteFile.Run(path, $"""
            INSERT INTO evidence (sequence, record_digest, evidence, kept_at) VALUES ({proven}, 'digest', 'kept', 0);
            DROP TABLE evidence_due; PRAGMA user_version = 4
            """);

        using var reopened = RecordOutbox.Open(path, Node);
        Assert.Equal(5L, SqliteFile.UserVersion(path));
        Assert.Equal(unproven, Assert.Single(new EdgeNode.Evidence.EvidenceStore(reopened).TakeDue(_time.GetUtcNow(), 10)).Sequence);
    }

    [Fact]
    public void Open_FileOfANewerNode_Throws()
    {
        var path = _dir.File("outbox.db");
        using (RecordOutbox.Open(path, Node))
        {
        }

        SqliteFile.Run(path, "PRAGMA user_version = 6");

        var error = Assert.Throws<InvalidOperationException>(() => RecordOutbox.Open(path, Node));
        Assert.Contains("schema version 6", error.Message);
    }

    internal static ContentStatement Statement() => new(
        Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Zero, Bytes32.Sha256([1, 2, 3]),
        EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), Bytes32.Zero,
        Commitments.Prompt("a lighthouse at dusk", Commitments.NewSalt()), Bytes32.Sha256([4]), Bytes32.Zero);

    public void Dispose() => _dir.Dispose();

    // A file made with an older schema's DDL, holding `records` records as the node signs them.
    private void CreateUnversionedFile(string path, string ddl, int records)
    {
        var scratch = _dir.File("scratch.db");
        using (var outbox = RecordOutbox.Open(scratch, Node))
        {
            var issuer = new ProvenanceRecordIssuer(_nodeKey, Domain, outbox, _time);
            for (var i = 0; i < records; i++)
            {
                issuer.Issue(Statement());
            }
        }

        SqliteFile.Run(path, ddl);
        SqliteFile.Run(path, $"""
            ATTACH DATABASE '{scratch}' AS scratch;
            INSERT INTO node (address, next_sequence) SELECT address, next_sequence FROM scratch.node;
            INSERT INTO outbox (sequence, record_digest, signed_record, created_at, next_attempt_at)
                SELECT sequence, record_digest, signed_record, created_at, next_attempt_at FROM scratch.outbox;
            DETACH DATABASE scratch;
            """);
    }
}
