using Npgsql;
using NpgsqlTypes;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// PostgreSQL's binary COPY for <see cref="StoredRecordBulkInsert"/>: every row of a batch in one
/// stream, inside the connection's open transaction. A unique violation surfaces as a
/// <see cref="PostgresException"/> when the stream completes, and the transaction is then aborted
/// as a failed INSERT would leave it.
/// </summary>
internal static class PostgresCopy
{
    public static async Task InsertAsync(
        NpgsqlConnection connection, StoredRecordBulkInsert.RowLayout layout, IReadOnlyList<StoredRecord> rows,
        CancellationToken cancellationToken)
    {
        var copy = $"COPY {layout.Table} ({string.Join(", ", layout.Columns)}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < layout.Columns.Count; i++)
            {
                // Binary COPY carries no types: each value must be written as exactly its column's type.
                switch (layout.ProviderValue(i, row))
                {
                    case byte[] bytes:
                        await importer.WriteAsync(bytes, NpgsqlDbType.Bytea, cancellationToken);
                        break;
                    case long number:
                        await importer.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken);
                        break;
                    case int number:
                        await importer.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken);
                        break;
                    case string text:
                        await importer.WriteAsync(text, NpgsqlDbType.Text, cancellationToken);
                        break;
                    case DBNull:
                        await importer.WriteNullAsync(cancellationToken);
                        break;
                    case var other:
                        throw new InvalidOperationException(
                            $"Column {layout.Columns[i]} holds a {other.GetType().Name}; the record COPY writes only bytea, bigint, integer and text.");
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }
}
