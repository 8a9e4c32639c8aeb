using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// Inserts new <see cref="StoredRecord"/> rows without EF Core's change tracking: a reused,
/// prepared single-row command on SQLite (in process, so one step per row costs microseconds)
/// and one binary COPY on PostgreSQL (one round trip per batch). Ingest spends most of its
/// non-cryptographic CPU on inserting 1,000 rows per request; tracking them as entities, which
/// it never reads again, roughly doubled that.
/// </summary>
/// <remarks>
/// Table and column names and each value's stored form come from the EF Core model (its value
/// converters), so rows are the same as <c>SaveChanges</c> would write. Only the columns a new
/// record has are written; the id is assigned by the database in insertion order, and the
/// batching columns stay null. The unique indexes on digest, on (node, sequence) and on the creator's proof still decide:
/// a duplicate fails the statement with the provider's unique-violation error, as it would fail
/// <c>SaveChanges</c>.
/// </remarks>
internal static class StoredRecordBulkInsert
{
    // The columns of a record as accepted; Id is generated, the batch and revocation columns start null.
    private static readonly string[] InsertedProperties =
    [
        nameof(StoredRecord.Digest), nameof(StoredRecord.ContentHash), nameof(StoredRecord.PerceptualHash),
        nameof(StoredRecord.ModelHash), nameof(StoredRecord.Node), nameof(StoredRecord.Creator),
        nameof(StoredRecord.CreatorCommitment), nameof(StoredRecord.PromptCommitment), nameof(StoredRecord.ParametersHash),
        nameof(StoredRecord.Timestamp), nameof(StoredRecord.WatermarkId), nameof(StoredRecord.NodeSequence),
        nameof(StoredRecord.Version), nameof(StoredRecord.Extensions), nameof(StoredRecord.ParentRecord),
        nameof(StoredRecord.PdqHash), nameof(StoredRecord.PdqQuality), nameof(StoredRecord.CreatorAuthentication),
        nameof(StoredRecord.CreatorProofId), nameof(StoredRecord.CreatorProofJson),
        nameof(StoredRecord.Signature), nameof(StoredRecord.ReceivedAt),
        // In the record's own row, so that no crash can keep the delivered file's hash without its record or the reverse.
        nameof(StoredRecord.DeliveredFileHash), nameof(StoredRecord.DeliveredFileSignature),
    ];

    /// <summary>
    /// Inserts <paramref name="rows"/> in order inside the context's current transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the context has no open transaction.</exception>
    /// <exception cref="DbException">When the database refuses a row (a unique violation among others) or fails.</exception>
    public static async Task InsertAsync(LedgerDbContext db, IReadOnlyList<StoredRecord> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rows);
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Records are inserted inside the caller's transaction; none is open.");
        if (rows.Count == 0)
        {
            return;
        }

        var layout = RowLayout.Of(db);
        switch (db)
        {
            case SqliteLedgerDbContext:
                InsertWithPreparedCommand(transaction, layout, rows, cancellationToken);
                break;
            case PostgresLedgerDbContext:
                var connection = (Npgsql.NpgsqlConnection)transaction.Connection!;
                await TakeInsertOrderLockAsync(connection, cancellationToken);
                await PostgresCopy.InsertAsync(connection, layout, rows, cancellationToken);
                break;
            default:
                throw new NotSupportedException($"No bulk insert for {db.GetType().Name}.");
        }
    }

    /// <summary>
    /// The key of the transaction-scoped advisory lock that orders record inserts on PostgreSQL
    /// (the first 8 bytes of SHA-256 of "mobileaigc.records.insert-order", as a signed integer).
    /// </summary>
    internal const long InsertOrderLockKey = unchecked((long)0xbc4a_a7c1_8e29_28b2);

    /// <summary>
    /// PostgreSQL hands out identity values when a row is inserted, not when it commits: two ingests
    /// running at once could commit ids 11 and then 10, and a reader paging by id (the audit cursor,
    /// the perceptual index's catch-up, the anchoring outbox) that read past 11 before 10 committed
    /// would skip 10. Holding one advisory lock from the insert to the commit gives ids out in
    /// commit order on every replica. It serialises only the COPY and the commit of each batch;
    /// signature checks and the existence query run before it. (SQLite has a single writer anyway.)
    /// </summary>
    private static async Task TakeInsertOrderLockAsync(Npgsql.NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection);
        command.Parameters.AddWithValue("key", InsertOrderLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Microsoft.Data.Sqlite has no real asynchronous I/O: its async methods run synchronously anyway.
    private static void InsertWithPreparedCommand(
        DbTransaction transaction, RowLayout layout, IReadOnlyList<StoredRecord> rows, CancellationToken cancellationToken)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {layout.Table} ({string.Join(", ", layout.Columns)}) " +
                              $"VALUES ({string.Join(", ", layout.Columns.Select((_, i) => "@p" + i))})";
        var parameters = new DbParameter[layout.Columns.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "@p" + i;
            command.Parameters.Add(parameters[i]);
        }

        command.Prepare();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = layout.ProviderValue(i, row);
            }

            command.ExecuteNonQuery();
        }
    }

    /// <summary>The quoted table and column names and each column's value as the provider stores it.</summary>
    internal sealed class RowLayout
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, RowLayout> Cache = new();

        private readonly IProperty[] _properties;
        private readonly Func<object?, object?>?[] _toProvider;

        private RowLayout(string table, IReadOnlyList<string> columns, IProperty[] properties)
        {
            Table = table;
            Columns = columns;
            _properties = properties;
            _toProvider = properties.Select(p => p.GetTypeMapping().Converter?.ConvertToProvider).ToArray();
        }

        /// <summary>The table, quoted for the provider.</summary>
        public string Table { get; }

        /// <summary>The inserted columns, quoted for the provider, in <see cref="InsertedProperties"/> order.</summary>
        public IReadOnlyList<string> Columns { get; }

        /// <summary>The layout of the context's provider, built once per context type.</summary>
        public static RowLayout Of(LedgerDbContext db) => Cache.GetOrAdd(db.GetType(), static (_, context) => Build(context), db);

        /// <summary>Column <paramref name="column"/> of <paramref name="row"/>, converted as EF Core would store it.</summary>
        public object ProviderValue(int column, StoredRecord row)
        {
            var value = _properties[column].GetGetter().GetClrValue(row);
            return (_toProvider[column] is { } convert ? convert(value) : value) ?? DBNull.Value;
        }

        private static RowLayout Build(LedgerDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(StoredRecord))
                ?? throw new InvalidOperationException("The model has no StoredRecord entity.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var properties = InsertedProperties.Select(name => entity.FindProperty(name)
                ?? throw new InvalidOperationException($"StoredRecord has no mapped property {name}.")).ToArray();
            var columns = properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)
                ?? throw new InvalidOperationException($"StoredRecord.{p.Name} has no column."))).ToList();
            return new RowLayout(sql.DelimitIdentifier(table.Name, table.Schema), columns, properties);
        }
    }
}
