using Microsoft.Data.Sqlite;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>Raw SQL on one of the node's SQLite files, as an older node (or an operator) would leave it.</summary>
internal static class SqliteFile
{
    /// <summary>Runs <paramref name="sql"/> on the file at <paramref name="path"/> (created if missing); returns the first column of the first row.</summary>
    public static object? Run(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>The file's schema version.</summary>
    public static long UserVersion(string path) => (long)Run(path, "PRAGMA user_version")!;
}
