using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Storage;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>
/// The node's durable record of money, <c>payments.db</c> in its data folder: the file, its schema,
/// and the provider it belongs to. The <see cref="VoucherBook"/> (accepted vouchers) and the
/// <see cref="SettlementJournal"/> (settlement transactions) read and write it. WAL, and
/// <c>synchronous=FULL</c> because an accepted voucher is money the node earned once the content
/// leaves: every commit is on disk, not only in the WAL, before the call that made it returns (NORMAL
/// could lose the last commits on power loss).
/// </summary>
/// <remarks>
/// Thread-safe; one instance per file. Every operation of the book and the journal over one database
/// runs alone (one lock for both), and each one that writes commits in a single transaction: a caller
/// sees all of it or none of it, before or after a crash.
/// </remarks>
public sealed class PaymentsDatabase : IDisposable
{
    // Append only (see SchemaHistory). Step 1 dates from before versioning: files at version 0 may hold its tables.
    private static readonly SchemaHistory Schema = new(
        "payments",
        SchemaHistory.Sql("""
            CREATE TABLE IF NOT EXISTS provider (address TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS channel (
                channel_id TEXT PRIMARY KEY,
                model_hash TEXT NOT NULL,
                creator TEXT NOT NULL,
                token TEXT NOT NULL,
                expires_at INTEGER NOT NULL,
                nonce INTEGER NOT NULL,
                amount TEXT NOT NULL,
                signature TEXT NOT NULL,
                generations INTEGER NOT NULL,
                first_accepted_at INTEGER NOT NULL,
                settled_nonce INTEGER NOT NULL DEFAULT 0,
                settled_amount TEXT NOT NULL DEFAULT '0',
                settling_id INTEGER,
                settle_error TEXT);
            CREATE TABLE IF NOT EXISTS voucher (
                channel_id TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                amount TEXT NOT NULL,
                delta TEXT NOT NULL,
                price TEXT NOT NULL,
                model_hash TEXT NOT NULL,
                signature TEXT NOT NULL,
                accepted_at INTEGER NOT NULL,
                PRIMARY KEY (channel_id, nonce));
            CREATE TABLE IF NOT EXISTS settlement (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                tx_hash TEXT NOT NULL UNIQUE,
                raw_tx TEXT NOT NULL,
                state TEXT NOT NULL,
                signed_at INTEGER NOT NULL,
                finished_at INTEGER,
                block_number INTEGER,
                gas_used TEXT,
                error TEXT);
            CREATE TABLE IF NOT EXISTS settlement_voucher (
                settlement_id INTEGER NOT NULL REFERENCES settlement (id),
                channel_id TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                amount TEXT NOT NULL,
                PRIMARY KEY (settlement_id, channel_id));
            """),
        // Step 2: why the contract skipped a voucher of a mined settlement (settle skips invalid vouchers instead of reverting).
        SchemaHistory.AddColumn("settlement_voucher", "skipped", "TEXT"),
        // Step 3: fees given back (a fine-tune that failed or was cancelled): released, or kept as a credit on the channel.
        SchemaHistory.Sql("""
            ALTER TABLE channel ADD COLUMN credit TEXT NOT NULL DEFAULT '0';
            CREATE TABLE refund (
                channel_id TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                amount TEXT NOT NULL,
                outcome TEXT NOT NULL,
                refunded_at INTEGER NOT NULL,
                PRIMARY KEY (channel_id, nonce));
            """));

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private PaymentsDatabase(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating or upgrading if needed) the payments of <paramref name="provider"/> at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">When the file holds another provider's vouchers, or was written by a newer node.</exception>
    public static PaymentsDatabase Open(string path, EvmAddress provider)
    {
        var database = new PaymentsDatabase(NodeDatabase.Open(path, Schema));
        try
        {
            var owner = database._connection.Scalar("SELECT address FROM provider") as string;
            if (owner is null)
            {
                database._connection.Execute("INSERT INTO provider (address) VALUES ($address)", ("$address", provider.ToString()));
            }
            else if (owner != provider.ToString())
            {
                throw new InvalidOperationException($"The payments database '{path}' belongs to provider {owner}, not {provider}.");
            }

            return database;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    // Amounts are uint256: stored as decimal text, compared in code (SQLite integers stop at 2^63).
    internal static string Text(BigInteger amount) => amount.ToString(CultureInfo.InvariantCulture);

    internal static BigInteger Amount(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="work"/> on the file, alone: no other operation on this database runs meanwhile.</summary>
    internal T Use<T>(Func<SqliteConnection, T> work)
    {
        lock (_gate)
        {
            return work(_connection);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the file, alone: no other operation on this database runs meanwhile.</summary>
    internal void Use(Action<SqliteConnection> work)
    {
        lock (_gate)
        {
            work(_connection);
        }
    }
}
