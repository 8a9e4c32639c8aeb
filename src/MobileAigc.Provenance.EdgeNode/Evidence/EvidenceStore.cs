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

    /// <summary>
    /// Up to <paramref name="max"/> delivered records without kept evidence that are due to be asked for it at
    /// <paramref name="now"/>, longest due first. Each record asked and not kept must be <see cref="Postpone"/>d.
    /// </summary>
    public IReadOnlyList<UnprovenRecord> TakeDue(DateTimeOffset now, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return _outbox.Use(connection =>
        {
            using var command = connection.Command(
                """
                SELECT o.sequence, o.record_digest, o.signed_record, o.delivered_file
                FROM evidence_due d JOIN outbox o ON o.sequence = d.sequence
                WHERE d.next_ask_at <= $now AND o.delivered_at IS NOT NULL
                ORDER BY d.next_ask_at, d.sequence LIMIT $max
                """,
                ("$now", now.ToUnixTimeMilliseconds()), ("$max", max));
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

    /// <summary>
    /// Asks for the evidence of <paramref name="sequences"/> again later: after <paramref name="first"/> the first time,
    /// twice as long after each further ask, never longer than <paramref name="longest"/>. A record the ledger never
    /// anchors (lost, or refused for good) thus costs one ask per <paramref name="longest"/>, not one per pass.
    /// </summary>
    public void Postpone(IReadOnlyCollection<ulong> sequences, DateTimeOffset now, TimeSpan first, TimeSpan longest)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(first, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(longest, first);
        if (sequences.Count == 0)
        {
            return;
        }

        _outbox.Use(connection =>
        {
            using var transaction = connection.BeginTransaction();
            foreach (var sequence in sequences)
            {
                connection.Execute(
                    "UPDATE evidence_due SET asks = asks + 1, next_ask_at = $now + MIN($longest, $first << MIN(asks, 32)) WHERE sequence = $sequence",
                    ("$sequence", (long)sequence), ("$now", now.ToUnixTimeMilliseconds()),
                    ("$first", (long)first.TotalMilliseconds), ("$longest", (long)longest.TotalMilliseconds));
            }

            transaction.Commit();
            return 0;
        });
    }

    /// <summary>Sends records the ledger no longer holds again (<see cref="RecordOutbox.MarkUndelivered"/>).</summary>
    public void SendAgain(IReadOnlyCollection<ulong> sequences, DateTimeOffset now) => _outbox.MarkUndelivered(sequences, now);

    /// <summary>
    /// Keeps checked evidence, all in one transaction with a full sync; a record already kept keeps its first evidence.
    /// Kept records are no longer due.
    /// </summary>
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
                    """
                    INSERT OR IGNORE INTO evidence (sequence, record_digest, evidence, kept_at) VALUES ($sequence, $digest, $evidence, $now);
                    DELETE FROM evidence_due WHERE sequence = $sequence;
                    """,
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
