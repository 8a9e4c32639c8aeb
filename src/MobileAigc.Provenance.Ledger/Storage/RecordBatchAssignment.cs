using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using NpgsqlTypes;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// Writes a planned batch's id, leaf index and Merkle proof into its records without EF Core's
/// change tracking: a reused, prepared single-row UPDATE on SQLite (in process) and one UPDATE
/// over <c>unnest</c> of three arrays on PostgreSQL (one round trip per batch). Loading a
/// thousand records as tracked entities and saving them one UPDATE each cost the ledger about as
/// much CPU per record as ingesting it, and on SQLite it held the single writer meanwhile.
/// </summary>
/// <remarks>
/// Only records still without a batch are written: if any of them already has one, the count of
/// rows written falls short and <see cref="InvalidOperationException"/> is thrown, so the caller's
/// transaction is abandoned and no record can end up in two batches.
/// </remarks>
internal static class RecordBatchAssignment
{
    /// <summary>
    /// Assigns <paramref name="recordIds"/>[i] leaf index i and proof <paramref name="proofs"/>[i]
    /// in batch <paramref name="batchId"/>, inside the context's current transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException">When no transaction is open, or a record is missing or already batched.</exception>
    /// <exception cref="DbException">When the database fails.</exception>
    public static async Task AssignAsync(
        LedgerDbContext db, long batchId, IReadOnlyList<long> recordIds, IReadOnlyList<byte[]> proofs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recordIds);
        ArgumentNullException.ThrowIfNull(proofs);
        if (recordIds.Count != proofs.Count)
        {
            throw new ArgumentException($"{recordIds.Count} records but {proofs.Count} proofs.", nameof(proofs));
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Batch assignments are written inside the caller's transaction; none is open.");
        if (recordIds.Count == 0)
        {
            return;
        }

        var names = ColumnNames.Of(db);
        var written = db switch
        {
            SqliteLedgerDbContext => UpdateWithPreparedCommand(transaction, names, batchId, recordIds, proofs, cancellationToken),
            PostgresLedgerDbContext => await UpdateFromArraysAsync(transaction, names, batchId, recordIds, proofs, cancellationToken),
            _ => throw new NotSupportedException($"No batch assignment for {db.GetType().Name}."),
        };
        if (written != recordIds.Count)
        {
            throw new InvalidOperationException(
                $"Batch {batchId}: {written} of {recordIds.Count} records were written; the others are missing or already in a batch.");
        }
    }

    // Microsoft.Data.Sqlite has no real asynchronous I/O: its async methods run synchronously anyway.
    private static int UpdateWithPreparedCommand(
        DbTransaction transaction, ColumnNames names, long batchId, IReadOnlyList<long> recordIds, IReadOnlyList<byte[]> proofs,
        CancellationToken cancellationToken)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {names.Table} SET {names.BatchId} = @batch, {names.LeafIndex} = @leaf, {names.Proof} = @proof " +
                              $"WHERE {names.Id} = @id AND {names.BatchId} IS NULL";
        var batch = AddParameter(command, "@batch");
        var leaf = AddParameter(command, "@leaf");
        var proof = AddParameter(command, "@proof");
        var id = AddParameter(command, "@id");
        batch.Value = batchId;
        command.Prepare();
        var written = 0;
        for (var i = 0; i < recordIds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            leaf.Value = i;
            proof.Value = proofs[i];
            id.Value = recordIds[i];
            written += command.ExecuteNonQuery();
        }

        return written;
    }

    private static async Task<int> UpdateFromArraysAsync(
        DbTransaction transaction, ColumnNames names, long batchId, IReadOnlyList<long> recordIds, IReadOnlyList<byte[]> proofs,
        CancellationToken cancellationToken)
    {
        await using var command = new Npgsql.NpgsqlCommand(
            $"UPDATE {names.Table} AS r SET {names.BatchId} = @batch, {names.LeafIndex} = u.leaf, {names.Proof} = u.proof " +
            $"FROM unnest(@ids, @leaves, @proofs) AS u(id, leaf, proof) WHERE r.{names.Id} = u.id AND r.{names.BatchId} IS NULL",
            (Npgsql.NpgsqlConnection)transaction.Connection!, (Npgsql.NpgsqlTransaction)transaction);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long>("batch", NpgsqlDbType.Bigint) { TypedValue = batchId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. recordIds] });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int[]>("leaves", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        {
            TypedValue = Enumerable.Range(0, recordIds.Count).ToArray(),
        });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<byte[][]>("proofs", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = [.. proofs] });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>The quoted names of the records table and of the columns a batch assignment writes, from the EF Core model.</summary>
    private sealed record ColumnNames(string Table, string Id, string BatchId, string LeafIndex, string Proof)
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, ColumnNames> Cache = new();

        public static ColumnNames Of(LedgerDbContext db) => Cache.GetOrAdd(db.GetType(), static (_, context) => Build(context), db);

        private static ColumnNames Build(LedgerDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(StoredRecord))
                ?? throw new InvalidOperationException("The model has no StoredRecord entity.");
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            string Column(string property) => sql.DelimitIdentifier(
                (entity.FindProperty(property) ?? throw new InvalidOperationException($"StoredRecord has no mapped property {property}."))
                .GetColumnName(table) ?? throw new InvalidOperationException($"StoredRecord.{property} has no column."));
            return new ColumnNames(
                sql.DelimitIdentifier(table.Name, table.Schema), Column(nameof(StoredRecord.Id)), Column(nameof(StoredRecord.BatchId)),
                Column(nameof(StoredRecord.LeafIndex)), Column(nameof(StoredRecord.Proof)));
        }
    }
}
