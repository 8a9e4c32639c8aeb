using Microsoft.Data.Sqlite;

namespace MobileAigc.Provenance.EdgeNode.Storage;

/// <summary>Parameterised SQL on the node's SQLite files (outbox, payments) in one line each.</summary>
internal static class SqliteCommands
{
    /// <summary>Runs a statement.</summary>
    public static void Execute(this SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its first column of its first row, or null.</summary>
    public static object? Scalar(this SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.Command(sql, parameters);
        return command.ExecuteScalar();
    }

    /// <summary>A command with its parameters bound by name; the caller disposes it.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
