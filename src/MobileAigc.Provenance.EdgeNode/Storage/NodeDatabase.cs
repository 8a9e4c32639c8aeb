using Microsoft.Data.Sqlite;

namespace MobileAigc.Provenance.EdgeNode.Storage;

/// <summary>Opens the node's SQLite files (outbox, payments) the one way they must be opened.</summary>
internal static class NodeDatabase
{
    /// <summary>
    /// Opens (creating it and its folder if needed) the file at <paramref name="path"/> and brings it
    /// to the latest version of <paramref name="schema"/>. WAL, and <c>synchronous=FULL</c>: both files
    /// hold what the node must not lose once content has left it (a signed record, an accepted
    /// voucher), so every commit is on disk, not only in the WAL, before it returns (NORMAL could lose
    /// the last commits on power loss). Unpooled: the owner keeps the one connection for its lifetime.
    /// </summary>
    /// <returns>The open connection; the caller disposes it.</returns>
    public static SqliteConnection Open(string path, SchemaHistory schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            connection.Execute("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                """);
            schema.Upgrade(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
