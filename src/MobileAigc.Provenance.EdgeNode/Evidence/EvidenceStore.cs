using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Storage;

namespace MobileAigc.Provenance.EdgeNode.Evidence;

/// <summary>A delivered record that has no kept evidence yet.</summary>
/// <param name="Sequence">The node's sequence number of the record.</param>
/// <param name="RecordDigest">The record's EIP-712 digest, as the node computed it when it signed.</param>
/// <param name="SignedRecord">The record as the node signed it (without its manifest store).</param>
public sealed record UnprovenRecord(ulong Sequence, Bytes32 RecordDigest, SignedProvenanceRecord SignedRecord);

/// <summary>
/// The evidence the node keeps of its own anchored records, in the outbox's file beside the records (table
/// <c>evidence</c>): each <see cref="RecordEvidence"/> was checked before it was kept (<see cref="EvidenceKeeper"/>),
/// and <see cref="Keep"/> commits with a full sync, so what it returned survives kill -9. Thread-safe.
/// </summary>
public sealed class EvidenceStore(RecordOutbox outbox)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly RecordOutbox _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));

    /// <summary>Up to <paramref name="max"/> delivered records after sequence <paramref name="after"/> without kept evidence, oldest first.</summary>
    public IReadOnlyList<UnprovenRecord> TakeUnproven(ulong after, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return _outbox.Use(connection =>
        {
            using var command = connection.Command(
                """
                SELECT o.sequence, o.record_digest, o.signed_record, o.delivered_file FROM outbox o
                WHERE o.delivered_at IS NOT NULL AND o.sequence > $after
                  AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sequence = o.sequence)
                ORDER BY o.sequence LIMIT $max
                """,
                ("$after", (long)after), ("$max", max));
            using var reader = command.ExecuteReader();
            var records = new List<UnprovenRecord>();
            while (reader.Read())
            {
                var signed = JsonSerializer.Deserialize<SignedProvenanceRecord>(reader.GetString(2), Json)! with
                {
                    DeliveredFile = reader.IsDBNull(3) ? null : JsonSerializer.Deserialize<SignedDeliveredFile>(reader.GetString(3), Json),
                };
                records.Add(new UnprovenRecord((ulong)reader.GetInt64(0), Bytes32.Parse(reader.GetString(1)), signed));
            }

            return (IReadOnlyList<UnprovenRecord>)records;
        });
    }

    /// <summary>Keeps checked evidence, all in one transaction with a full sync; a record already kept keeps its first evidence.</summary>
    public void Keep(IReadOnlyCollection<(ulong Sequence, RecordEvidence Evidence)> kept, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (kept.Count == 0)
        {
            return;
        }

        _outbox.Use(connection =>
        {
            using var transaction = connection.BeginTransaction();
            foreach (var (sequence, evidence) in kept)
            {
                connection.Execute(
                    "INSERT OR IGNORE INTO evidence (sequence, record_digest, evidence, kept_at) VALUES ($sequence, $digest, $evidence, $now)",
                    ("$sequence", (long)sequence), ("$digest", evidence.Inclusion.RecordDigest.ToString()),
                    ("$evidence", JsonSerializer.Serialize(evidence, Json)), ("$now", now.ToUnixTimeMilliseconds()));
            }

            transaction.Commit();
            return 0;
        });
    }

    /// <summary>The kept evidence of the record with <paramref name="digest"/>, or null.</summary>
    public RecordEvidence? Find(Bytes32 digest) => _outbox.Use(connection =>
        connection.Scalar("SELECT evidence FROM evidence WHERE record_digest = $digest", ("$digest", digest.ToString())) is string json
            ? JsonSerializer.Deserialize<RecordEvidence>(json, Json)
            : null);

    /// <summary>Up to <paramref name="max"/> kept evidence after sequence <paramref name="after"/>, in sequence order: a page of the node's copy.</summary>
    public IReadOnlyList<(ulong Sequence, RecordEvidence Evidence)> Page(ulong after, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return _outbox.Use(connection =>
        {
            using var command = connection.Command(
                "SELECT sequence, evidence FROM evidence WHERE sequence > $after ORDER BY sequence LIMIT $max", ("$after", (long)after), ("$max", max));
            using var reader = command.ExecuteReader();
            var page = new List<(ulong, RecordEvidence)>();
            while (reader.Read())
            {
                page.Add(((ulong)reader.GetInt64(0), JsonSerializer.Deserialize<RecordEvidence>(reader.GetString(1), Json)!));
            }

            return (IReadOnlyList<(ulong, RecordEvidence)>)page;
        });
    }

    /// <summary>How many records have kept evidence.</summary>
    public long Count() => _outbox.Use(connection => (long)connection.Scalar("SELECT COUNT(*) FROM evidence")!);
}
