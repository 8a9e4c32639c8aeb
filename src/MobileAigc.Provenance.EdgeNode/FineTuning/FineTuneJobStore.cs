using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Storage;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The node's fine-tune jobs, <c>fine-tunes.db</c> in its data folder (WAL, <c>synchronous=FULL</c>, as the outbox and the
/// payments): a job accepted is on disk before its id is answered, and every change of state is committed before it is
/// acted on, so a node killed at any moment finds each job queued, running (run again at start), or finished.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per file. Every operation runs alone under one lock and commits in one statement or
/// transaction. The examples themselves are never in this file: only their path while the job needs them.
/// </remarks>
public sealed class FineTuneJobStore : IDisposable
{
    // Append only (see SchemaHistory).
    private static readonly SchemaHistory Schema = new(
        "fine-tunes",
        SchemaHistory.Sql("""
            CREATE TABLE job (
                id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                parent TEXT NOT NULL,
                parent_name TEXT NOT NULL,
                name TEXT NOT NULL,
                seed TEXT NOT NULL,
                owner TEXT,
                visibility TEXT NOT NULL,
                commitment TEXT NOT NULL,
                salt TEXT NOT NULL,
                examples_path TEXT,
                channel_id TEXT,
                nonce INTEGER,
                amount TEXT,
                price TEXT,
                refund TEXT,
                step INTEGER NOT NULL DEFAULT 0,
                steps INTEGER NOT NULL DEFAULT 0,
                loss_before REAL,
                loss_after REAL,
                derivative_hash TEXT,
                error TEXT,
                created_at INTEGER NOT NULL,
                finished_at INTEGER);
            CREATE UNIQUE INDEX job_live_name ON job (name) WHERE state IN ('queued', 'running', 'succeeded');
            CREATE INDEX job_state ON job (state, created_at);
            """));

    private const string Columns =
        "id, state, parent, parent_name, name, seed, owner, visibility, commitment, salt, examples_path, channel_id, nonce, amount, price, refund, "
        + "step, steps, loss_before, loss_after, derivative_hash, error, created_at, finished_at";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private FineTuneJobStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating or upgrading if needed) the jobs file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">When the file was written by a newer node.</exception>
    public static FineTuneJobStore Open(string path) => new(NodeDatabase.Open(path, Schema));

    /// <summary>Stores a new queued job, unless a live job (queued, running or succeeded) has its name.</summary>
    /// <returns>True when stored; false when the name is taken.</returns>
    public bool TryInsert(FineTuneJobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            try
            {
                _connection.Execute(
                    $"INSERT INTO job ({Columns}) VALUES ($id, $state, $parent, $parentName, $name, $seed, $owner, $visibility, $commitment, $salt, $examples, "
                    + "$channel, $nonce, $amount, $price, NULL, 0, 0, NULL, NULL, NULL, NULL, $createdAt, NULL)",
                    ("$id", job.Id), ("$state", job.State), ("$parent", job.Parent.ToString()), ("$parentName", job.ParentName), ("$name", job.Name),
                    ("$seed", job.Seed.ToString(CultureInfo.InvariantCulture)), ("$owner", (object?)job.Owner?.ToString() ?? DBNull.Value),
                    ("$visibility", job.Visibility), ("$commitment", job.Commitment.ToString()), ("$salt", job.Salt.ToString()),
                    ("$examples", (object?)job.ExamplesPath ?? DBNull.Value),
                    ("$channel", (object?)job.Payment?.ChannelId.ToString() ?? DBNull.Value), ("$nonce", (object?)(long?)job.Payment?.Nonce ?? DBNull.Value),
                    ("$amount", (object?)job.Payment?.CumulativeAmount.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value),
                    ("$price", (object?)job.Payment?.Price.ToString(CultureInfo.InvariantCulture) ?? DBNull.Value),
                    ("$createdAt", job.CreatedAt.ToUnixTimeMilliseconds()));
                return true;
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */)
            {
                return false;
            }
        }
    }

    /// <summary>True when a live job (queued, running or succeeded) has <paramref name="name"/>.</summary>
    public bool NameInUse(string name) => Use(c => c.Scalar(
        "SELECT COUNT(*) FROM job WHERE name = $name AND state IN ('queued', 'running', 'succeeded')", ("$name", name)) is not 0L);

    /// <summary>How many jobs wait for a training slot.</summary>
    public int QueuedCount() => Use(c => (int)(long)c.Scalar("SELECT COUNT(*) FROM job WHERE state = 'queued'")!);

    /// <summary>The job with <paramref name="id"/>, or null.</summary>
    public FineTuneJobRecord? Find(string id) => Use(c => Read(c, $"SELECT {Columns} FROM job WHERE id = $id", ("$id", id)).SingleOrDefault());

    /// <summary>Every succeeded job, oldest first: the derivatives the node serves.</summary>
    public IReadOnlyList<FineTuneJobRecord> Succeeded() => Use(c => Read(c, $"SELECT {Columns} FROM job WHERE state = 'succeeded' ORDER BY created_at, id"));

    /// <summary>Every finished job whose examples file is still named (a crash came between the end and the deletion).</summary>
    public IReadOnlyList<FineTuneJobRecord> FinishedWithExamples() => Use(c => Read(c,
        $"SELECT {Columns} FROM job WHERE state IN ('succeeded', 'failed', 'cancelled') AND examples_path IS NOT NULL"));

    /// <summary>Every failed or cancelled paid job whose fee is not given back yet.</summary>
    public IReadOnlyList<FineTuneJobRecord> PendingRefunds() => Use(c => Read(c,
        $"SELECT {Columns} FROM job WHERE refund = '{FineTuneJobRecord.RefundPending}' ORDER BY created_at"));

    /// <summary>Puts every running job back in the queue (at start: a run a stop or a crash cut short runs again).</summary>
    /// <returns>How many.</returns>
    public int RequeueRunning() => Use(c =>
    {
        using var command = c.Command("UPDATE job SET state = 'queued' WHERE state = 'running'");
        return command.ExecuteNonQuery();
    });

    /// <summary>Marks the oldest queued job running and returns it; null when none waits.</summary>
    public FineTuneJobRecord? ClaimNext() => Use(c => Read(c,
        $"UPDATE job SET state = 'running' WHERE id = (SELECT id FROM job WHERE state = 'queued' ORDER BY created_at, id LIMIT 1) RETURNING {Columns}")
        .SingleOrDefault());

    /// <summary>Marks a running job succeeded with its results.</summary>
    public void Succeed(string id, Bytes32 derivative, double lossBefore, double lossAfter, int steps, DateTimeOffset now) => Use(c => c.Execute(
        "UPDATE job SET state = 'succeeded', derivative_hash = $hash, loss_before = $before, loss_after = $after, step = $steps, steps = $steps, "
        + "finished_at = $now WHERE id = $id AND state = 'running'",
        ("$id", id), ("$hash", derivative.ToString()), ("$before", lossBefore), ("$after", lossAfter), ("$steps", steps), ("$now", now.ToUnixTimeMilliseconds())));

    /// <summary>
    /// Ends a queued or running job as <paramref name="state"/> (failed or cancelled) with <paramref name="error"/>; a paid job's
    /// refund becomes pending in the same statement.
    /// </summary>
    /// <returns>The job as ended; null when it had ended already, is unknown, or runs while <paramref name="onlyQueued"/>.</returns>
    public FineTuneJobRecord? End(string id, string state, string? error, (int Step, int Steps) progress, DateTimeOffset now, bool onlyQueued = false) => Use(c => Read(c,
        $"UPDATE job SET state = $state, error = $error, step = $step, steps = $steps, finished_at = $now, "
        + $"refund = CASE WHEN channel_id IS NULL THEN NULL ELSE '{FineTuneJobRecord.RefundPending}' END "
        + $"WHERE id = $id AND state IN ('queued'{(onlyQueued ? "" : ", 'running'")}) RETURNING {Columns}",
        ("$id", id), ("$state", state), ("$error", (object?)error ?? DBNull.Value), ("$step", progress.Step), ("$steps", progress.Steps),
        ("$now", now.ToUnixTimeMilliseconds())).SingleOrDefault());

    /// <summary>Notes how a job's fee went back.</summary>
    public void SetRefund(string id, string outcome) => Use(c => c.Execute("UPDATE job SET refund = $outcome WHERE id = $id", ("$id", id), ("$outcome", outcome)));

    /// <summary>Forgets a job's examples file (once deleted).</summary>
    public void ClearExamples(string id) => Use(c => c.Execute("UPDATE job SET examples_path = NULL WHERE id = $id", ("$id", id)));

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private T Use<T>(Func<SqliteConnection, T> work)
    {
        lock (_gate)
        {
            return work(_connection);
        }
    }

    private void Use(Action<SqliteConnection> work)
    {
        lock (_gate)
        {
            work(_connection);
        }
    }

    private static List<FineTuneJobRecord> Read(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.Command(sql, parameters);
        using var reader = command.ExecuteReader();
        var jobs = new List<FineTuneJobRecord>();
        while (reader.Read())
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var payment = Text(11) is { } channel
                ? new AcceptedPayment(Bytes32.Parse(channel), (ulong)reader.GetInt64(12), Amount(reader.GetString(13)), Amount(reader.GetString(14)))
                : null;
            jobs.Add(new FineTuneJobRecord(
                reader.GetString(0), reader.GetString(1), Bytes32.Parse(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
                ulong.Parse(reader.GetString(5), NumberStyles.None, CultureInfo.InvariantCulture), Text(6) is { } owner ? EvmAddress.Parse(owner) : null,
                reader.GetString(7), Bytes32.Parse(reader.GetString(8)), Bytes32.Parse(reader.GetString(9)), Text(10), payment, Text(15),
                reader.GetInt32(16), reader.GetInt32(17), reader.IsDBNull(18) ? null : reader.GetDouble(18), reader.IsDBNull(19) ? null : reader.GetDouble(19),
                Text(20) is { } hash ? Bytes32.Parse(hash) : null, Text(21), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(22)),
                reader.IsDBNull(23) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(23))));
        }

        return jobs;
    }

    private static BigInteger Amount(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
