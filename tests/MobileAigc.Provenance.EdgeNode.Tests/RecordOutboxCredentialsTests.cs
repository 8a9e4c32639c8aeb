using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>An image record's manifest store and signed delivered file are stored with it, survive reopening, and old files migrate.</summary>
public sealed class RecordOutboxCredentialsTests : IDisposable
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly TempDirectory _dir = new();
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-06T11:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private EvmAddress Node => EvmAddress.Parse(_nodeKey.GetPublicAddress());

    [Fact]
    public void Issue_WithAttachedCredentials_StoresThemWithTheRecordAndTheySurviveReopening()
    {
        var path = _dir.File("outbox.db");
        var store = Enumerable.Range(0, 5_000).Select(i => (byte)(i * 7)).ToArray();
        SignedProvenanceRecord issued;
        using (var outbox = RecordOutbox.Open(path, Node))
        {
            issued = Issuer(outbox).Issue(RecordOutboxTests.Statement(), attach: (signed, digest) => Attach(signed, digest, store));
        }

        using var reopened = RecordOutbox.Open(path, Node);
        var due = Assert.Single(reopened.TakeDue(10, _time.GetUtcNow())).SignedRecord;
        var found = reopened.Find(issued.Record.Sequence)!;

        foreach (var read in new[] { due, found })
        {
            Assert.Equal(store, read.ManifestStore);
            Assert.Equal(issued.DeliveredFile!.File, read.DeliveredFile!.File);
            Assert.Equal(issued.DeliveredFile.Signature.ToString(), read.DeliveredFile.Signature.ToString());
            Assert.Equal(issued.Record, read.Record);
            Assert.Equal(Node, DeliveredFileTypedData.RecoverSigner(read.DeliveredFile, Domain));
        }
    }

    [Fact]
    public void Issue_AttachThrows_StoresNothingAndKeepsTheSequenceFree()
    {
        using var outbox = RecordOutbox.Open(_dir.File("outbox.db"), Node);
        var issuer = Issuer(outbox);

        Assert.Throws<ArgumentException>(() => issuer.Issue(RecordOutboxTests.Statement(), attach: (_, _) => throw new ArgumentException("no credentials")));

        Assert.Equal(new OutboxCounts(0, 0, 0), outbox.Count());
        Assert.Equal(1UL, issuer.Issue(RecordOutboxTests.Statement()).Record.Sequence);
    }

    [Fact]
    public void Issue_AttachReplacesTheRecord_IsRefusedAndStoresNothing()
    {
        using var outbox = RecordOutbox.Open(_dir.File("outbox.db"), Node);

        Assert.Throws<InvalidOperationException>(() => Issuer(outbox).Issue(RecordOutboxTests.Statement(),
            attach: (signed, _) => signed with { Record = signed.Record with { ContentHash = Bytes32.Sha256("another file"u8) } }));

        Assert.Equal(new OutboxCounts(0, 0, 0), outbox.Count());
    }

    [Fact]
    public void Open_Version2File_MigratesToTheLatestVersionAndKeepsItsRecordsWithoutCredentials()
    {
        var path = _dir.File("outbox.db");
        CreateVersion2File(path, records: 2);

        using (var outbox = RecordOutbox.Open(path, Node))
        {
            var old = outbox.TakeDue(10, _time.GetUtcNow());
            Assert.Equal([1UL, 2UL], old.Select(entry => entry.Sequence));
            Assert.All(old, entry => Assert.True(entry.SignedRecord.ManifestStore is null && entry.SignedRecord.DeliveredFile is null));
            Issuer(outbox).Issue(RecordOutboxTests.Statement(), attach: (signed, digest) => Attach(signed, digest, [1, 2, 3]));
        }

        Assert.Equal(5L, SqliteFile.UserVersion(path));
        using var reopened = RecordOutbox.Open(path, Node);
        Assert.Equal(new byte[] { 1, 2, 3 }, reopened.Find(3)!.ManifestStore);
        Assert.Null(reopened.Find(1)!.ManifestStore);
    }

    public void Dispose() => _dir.Dispose();

    private ProvenanceRecordIssuer Issuer(RecordOutbox outbox) => new(_nodeKey, Domain, outbox, _time);

    private SignedProvenanceRecord Attach(SignedProvenanceRecord signed, Bytes32 digest, byte[] store) =>
        signed with { ManifestStore = store, DeliveredFile = DeliveredFileTypedData.Sign(new DeliveredFile(digest, Bytes32.Sha256([.. store, 0xff])), Domain, _nodeKey) };

    // A file as the node wrote it before records carried credentials: schema version 2.
    private void CreateVersion2File(string path, int records)
    {
        var scratch = _dir.File("scratch.db");
        using (var outbox = RecordOutbox.Open(scratch, Node))
        {
            for (var i = 0; i < records; i++)
            {
                Issuer(outbox).Issue(RecordOutboxTests.Statement());
            }
        }

        SqliteFile.Run(path, $"""
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
            ATTACH DATABASE '{scratch}' AS scratch;
            INSERT INTO node (address, next_sequence) SELECT address, next_sequence FROM scratch.node;
            INSERT INTO outbox (sequence, record_digest, signed_record, created_at, next_attempt_at)
                SELECT sequence, record_digest, signed_record, created_at, next_attempt_at FROM scratch.outbox;
            DETACH DATABASE scratch;
            PRAGMA user_version = 2;
            """);
    }
}
