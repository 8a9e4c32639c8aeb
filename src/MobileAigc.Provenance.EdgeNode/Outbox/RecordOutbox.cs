using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Microsoft.Data.Sqlite;
using MobileAigc.Provenance.EdgeNode.Storage;

namespace MobileAigc.Provenance.EdgeNode.Outbox;

/// <summary>
/// The node's durable outbox: a SQLite file holding every record the node signed, from the
/// moment it is signed until the ledger has accepted it. Allocating the node's sequence
/// number, signing and storing happen in one transaction, committed with a full sync before
/// <see cref="Append"/> returns, so a record whose content left the node survives kill -9.
/// A record's <see cref="SignedProvenanceRecord.ManifestStore"/> and
/// <see cref="SignedProvenanceRecord.DeliveredFile"/> are stored in the same transaction, beside it,
/// and come back with it from <see cref="TakeDue"/> and <see cref="Find"/>.
/// Thread-safe; one instance per file.
/// </summary>
public sealed class RecordOutbox : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Append only (see SchemaHistory). Both steps date from before versioning: files at version 0 may
    // hold the first release's tables, with or without held_at.
    private static readonly SchemaHistory Schema = new(
        "outbox",
        SchemaHistory.Sql("""
            CREATE TABLE IF NOT EXISTS node (
                address TEXT NOT NULL,
                next_sequence INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS outbox (
                sequence INTEGER PRIMARY KEY,
                record_digest TEXT NOT NULL,
                signed_record TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                delivered_at INTEGER);
            CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
            """),
        // Records the ledger refused for good are held (MarkHeld).
        SchemaHistory.AddColumn("outbox", "held_at", "INTEGER"),
        // An image record's C2PA manifest store and the node's signed statement of the delivered file's hash,
        // written with the record and sent with it; NULL for text records and for rows from before this step.
        SchemaHistory.Sql("""
            ALTER TABLE outbox ADD COLUMN manifest_store BLOB;
            ALTER TABLE outbox ADD COLUMN delivered_file TEXT;
            """),
        // The evidence of delivered records once anchored, each checked before it is kept (Evidence/EvidenceStore).
        SchemaHistory.Sql("""
            CREATE TABLE IF NOT EXISTS evidence (
                sequence INTEGER PRIMARY KEY REFERENCES outbox (sequence),
                record_digest TEXT NOT NULL UNIQUE,
                evidence TEXT NOT NULL,
                kept_at INTEGER NOT NULL);
            """),
        // The delivered records whose evidence is still asked for, each with its own back-off (Evidence/EvidenceStore):
        // filled here with the delivered records that have none yet, then by MarkDelivered, emptied as evidence is kept.
        SchemaHistory.Sql("""
            CREATE TABLE IF NOT EXISTS evidence_due (
                sequence INTEGER PRIMARY KEY REFERENCES outbox (sequence),
                asks INTEGER NOT NULL DEFAULT 0,
                next_ask_at INTEGER NOT NULL DEFAULT 0);
            CREATE INDEX IF NOT EXISTS evidence_due_next ON evidence_due (next_ask_at);
            INSERT OR IGNORE INTO evidence_due (sequence)
                SELECT o.sequence FROM outbox o
                WHERE o.delivered_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sequence = o.sequence);
            """));

    // A record the ledger accepted waits for its evidence (see the last schema step).
    private const string AwaitEvidence =
        "INSERT OR IGNORE INTO evidence_due (sequence) SELECT $sequence WHERE NOT EXISTS (SELECT 1 FROM evidence WHERE sequence = $sequence)";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private RecordOutbox(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating or upgrading if needed) the outbox of node <paramref name="node"/> at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">When the file belongs to another node key (sequences are per node), or was written by a newer node.</exception>
    public static RecordOutbox Open(string path, EvmAddress node)
    {
        var outbox = new RecordOutbox(NodeDatabase.Open(path, Schema));
        try
        {
            var owner = outbox._connection.Scalar("SELECT address FROM node") as string;
            if (owner is null)
            {
                outbox._connection.Execute("INSERT INTO node (address, next_sequence) VALUES ($address, 1)", ("$address", node.ToString()));
            }
            else if (owner != node.ToString())
            {
                throw new InvalidOperationException($"The outbox '{path}' belongs to node {owner}, not {node}.");
            }

            return outbox;
        }
        catch
        {
            outbox.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Allocates the next sequence number, lets <paramref name="sign"/> build and sign the record
    /// with it, and stores the result durably, all in one transaction. If <paramref name="sign"/>
    /// throws, nothing is stored and the sequence number stays free.
    /// </summary>
    public SignedProvenanceRecord Append(Func<ulong, (SignedProvenanceRecord Record, Bytes32 Digest)> sign, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sign);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var sequence = Convert.ToUInt64(_connection.Scalar("SELECT next_sequence FROM node"), System.Globalization.CultureInfo.InvariantCulture);
            var (signed, digest) = sign(sequence);
            if (signed.Record.Sequence != sequence)
            {
                throw new InvalidOperationException($"The record carries sequence {signed.Record.Sequence}, allocated was {sequence}.");
            }

            // The record's column keeps the record alone, as before this file held credentials.
            var recordOnly = signed with { ManifestStore = null, DeliveredFile = null };
            _connection.Execute(
                """
                INSERT INTO outbox (sequence, record_digest, signed_record, created_at, next_attempt_at, manifest_store, delivered_file)
                VALUES ($sequence, $digest, $record, $now, $now, $store, $delivered)
                """,
                ("$sequence", (long)sequence), ("$digest", digest.ToString()), ("$record", JsonSerializer.Serialize(recordOnly, Json)),
                ("$now", now.ToUnixTimeMilliseconds()), ("$store", (object?)signed.ManifestStore ?? DBNull.Value),
                ("$delivered", signed.DeliveredFile is { } delivered ? JsonSerializer.Serialize(delivered, Json) : (object)DBNull.Value));
            _connection.Execute("UPDATE node SET next_sequence = $next", ("$next", (long)sequence + 1));
            transaction.Commit();
            return signed;
        }
    }

    /// <summary>Up to <paramref name="max"/> undelivered, unheld records whose next attempt is due, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> TakeDue(int max, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        lock (_gate)
        {
            using var command = _connection.Command(
                """
                SELECT sequence, signed_record, manifest_store, delivered_file, attempts, last_error FROM outbox
                WHERE delivered_at IS NULL AND held_at IS NULL AND next_attempt_at <= $now ORDER BY sequence LIMIT $max
                """,
                ("$now", now.ToUnixTimeMilliseconds()), ("$max", max));
            using var reader = command.ExecuteReader();
            var entries = new List<OutboxEntry>();
            while (reader.Read())
            {
                entries.Add(new OutboxEntry(
                    (ulong)reader.GetInt64(0),
                    ReadSigned(reader, 1),
                    reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }

            return entries;
        }
    }

    /// <summary>Marks records as accepted by the ledger: they are never sent again, and wait for their evidence (<c>Evidence/EvidenceStore</c>).</summary>
    public void MarkDelivered(IEnumerable<ulong> sequences, DateTimeOffset now) =>
        Update(sequences, "UPDATE outbox SET delivered_at = $now, attempts = attempts + 1, last_error = NULL WHERE sequence = $sequence; " + AwaitEvidence,
            ("$now", now.ToUnixTimeMilliseconds()));

    /// <summary>
    /// Marks a record as accepted by the ledger, which did not keep something sent with it (its manifest store, its
    /// delivered-file statement): never sent again, since sending it again cannot change the ledger's answer;
    /// <paramref name="note"/> (the ledger's problems) stays with the row for the operator (<see cref="DeliveredWithNotes"/>).
    /// </summary>
    public void MarkDelivered(ulong sequence, string note, DateTimeOffset now) =>
        Update([sequence], "UPDATE outbox SET delivered_at = $now, attempts = attempts + 1, last_error = $note WHERE sequence = $sequence; " + AwaitEvidence,
            ("$now", now.ToUnixTimeMilliseconds()), ("$note", note));

    /// <summary>
    /// Sends delivered records again, now: the ledger answered that it holds no record of them (it lost them with its
    /// database). Re-sending is safe, as the ledger's ingest is idempotent; each record keeps waiting for its evidence
    /// with the back-off it had, so a ledger that lies about this cannot make the node send in a tight loop.
    /// </summary>
    public void MarkUndelivered(IEnumerable<ulong> sequences, DateTimeOffset now) =>
        Update(sequences,
            "UPDATE outbox SET delivered_at = NULL, next_attempt_at = $now, last_error = $note WHERE sequence = $sequence AND delivered_at IS NOT NULL",
            ("$now", now.ToUnixTimeMilliseconds()), ("$note", "the ledger no longer held the record after accepting it; sent again"));

    /// <summary>Records a failed delivery; the records are due again at <paramref name="retryAt"/>.</summary>
    public void MarkFailed(IEnumerable<ulong> sequences, string error, DateTimeOffset retryAt) =>
        Update(sequences, "UPDATE outbox SET attempts = attempts + 1, last_error = $error, next_attempt_at = $retry WHERE sequence = $sequence",
            ("$error", error), ("$retry", retryAt.ToUnixTimeMilliseconds()));

    /// <summary>
    /// Stops sending records the ledger refused for a reason no retry can cure (a conflicting
    /// sequence number, a bad signature): retrying them for ever would only load the ledger and hide
    /// the fault. They stay in the file with the ledger's <paramref name="problem"/> for the operator.
    /// </summary>
    public void MarkHeld(IEnumerable<ulong> sequences, string problem, DateTimeOffset now) =>
        Update(sequences, "UPDATE outbox SET held_at = $now, attempts = attempts + 1, last_error = $problem WHERE sequence = $sequence AND delivered_at IS NULL",
            ("$now", now.ToUnixTimeMilliseconds()), ("$problem", problem));

    /// <summary>The records held back after a permanent refusal, oldest first.</summary>
    public IReadOnlyList<HeldRecord> Held()
    {
        lock (_gate)
        {
            using var command = _connection.Command("SELECT sequence, record_digest, last_error, held_at FROM outbox WHERE held_at IS NOT NULL ORDER BY sequence");
            using var reader = command.ExecuteReader();
            var held = new List<HeldRecord>();
            while (reader.Read())
            {
                held.Add(new HeldRecord(
                    (ulong)reader.GetInt64(0),
                    Bytes32.Parse(reader.GetString(1)),
                    reader.IsDBNull(2) ? "" : reader.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }

            return held;
        }
    }

    /// <summary>The delivered records the ledger did not keep everything of, with its note, oldest first.</summary>
    public IReadOnlyList<DeliveryNote> DeliveredWithNotes()
    {
        lock (_gate)
        {
            using var command = _connection.Command(
                "SELECT sequence, record_digest, last_error, delivered_at FROM outbox WHERE delivered_at IS NOT NULL AND last_error IS NOT NULL ORDER BY sequence");
            using var reader = command.ExecuteReader();
            var noted = new List<DeliveryNote>();
            while (reader.Read())
            {
                noted.Add(new DeliveryNote(
                    (ulong)reader.GetInt64(0),
                    Bytes32.Parse(reader.GetString(1)),
                    reader.GetString(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
            }

            return noted;
        }
    }

    /// <summary>How many records are pending, delivered and held.</summary>
    public OutboxCounts Count()
    {
        lock (_gate)
        {
            return new OutboxCounts(
                (long)_connection.Scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND held_at IS NULL")!,
                (long)_connection.Scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NOT NULL")!,
                (long)_connection.Scalar("SELECT COUNT(*) FROM outbox WHERE held_at IS NOT NULL")!);
        }
    }

    /// <summary>The stored record with <paramref name="sequence"/>, or null.</summary>
    public SignedProvenanceRecord? Find(ulong sequence)
    {
        lock (_gate)
        {
            using var command = _connection.Command(
                "SELECT signed_record, manifest_store, delivered_file FROM outbox WHERE sequence = $sequence", ("$sequence", (long)sequence));
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadSigned(reader, 0) : null;
        }
    }

    /// <summary>The signed record in column <paramref name="first"/>, with its manifest store and delivered file in the next two.</summary>
    private static SignedProvenanceRecord ReadSigned(SqliteDataReader reader, int first) =>
        JsonSerializer.Deserialize<SignedProvenanceRecord>(reader.GetString(first), Json)! with
        {
            ManifestStore = reader.IsDBNull(first + 1) ? null : (byte[])reader.GetValue(first + 1),
            DeliveredFile = reader.IsDBNull(first + 2) ? null : JsonSerializer.Deserialize<SignedDeliveredFile>(reader.GetString(first + 2), Json),
        };

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    /// <summary>Runs <paramref name="use"/> on the file's connection under the outbox's lock: the evidence table lives in this file.</summary>
    internal T Use<T>(Func<SqliteConnection, T> use)
    {
        lock (_gate)
        {
            return use(_connection);
        }
    }

    private void Update(IEnumerable<ulong> sequences, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var sequence in sequences)
            {
                _connection.Execute(sql, [.. parameters, ("$sequence", (long)sequence)]);
            }

            transaction.Commit();
        }
    }
}
