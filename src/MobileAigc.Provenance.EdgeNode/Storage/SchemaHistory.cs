using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MobileAigc.Provenance.EdgeNode.Storage;

/// <summary>
/// The schema of one of the node's SQLite files as an ordered list of steps: step <c>n</c> brings a
/// file from version <c>n - 1</c> to <c>n</c>. A file's version is its <c>PRAGMA user_version</c>;
/// opening it applies the steps it lacks, once, in order.
/// </summary>
/// <remarks>
/// Steps are only ever appended: a released step never changes, since files out there are already
/// past it. Files written before the schema was versioned are at version 0 whatever they hold, so
/// the steps that date from then must accept a file that already has their tables or columns.
/// </remarks>
internal sealed class SchemaHistory
{
    private readonly string _name;
    private readonly IReadOnlyList<Action<SqliteConnection>> _steps;

    /// <summary>A schema named <paramref name="name"/> (for messages) made by <paramref name="steps"/>, oldest first.</summary>
    public SchemaHistory(string name, params IReadOnlyList<Action<SqliteConnection>> steps)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfZero(steps.Count);
        _name = name;
        _steps = steps;
    }

    /// <summary>The version a file has once every step is applied.</summary>
    public int Version => _steps.Count;

    /// <summary>A step that runs <paramref name="sql"/>.</summary>
    public static Action<SqliteConnection> Sql(string sql) => connection => connection.Execute(sql);

    /// <summary>A step that adds a column, unless the table has it already (a file from before versioning may).</summary>
    public static Action<SqliteConnection> AddColumn(string table, string column, string definition) => connection =>
    {
        if (connection.Scalar("SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column", ("$table", table), ("$column", column)) is 0L)
        {
            connection.Execute($"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        }
    };

    /// <summary>
    /// Brings the file open on <paramref name="connection"/> to <see cref="Version"/>: the missing steps
    /// and the new version commit in one transaction, so a crash leaves the file at its old version or
    /// the new one, and two processes opening it at once upgrade it once.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the file is at a newer version than this code knows (written by a newer node).</exception>
    public void Upgrade(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(connection.Scalar("PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new InvalidOperationException(
                $"The {_name} file '{connection.DataSource}' has schema version {version}; this node knows versions up to {Version}. It was written by a newer node.");
        }

        if (version == Version)
        {
            return;
        }

        foreach (var step in _steps.Skip(version))
        {
            step(connection);
        }

        // PRAGMA takes no parameters; the value is an int of ours.
        connection.Execute($"PRAGMA user_version = {Version.ToString(CultureInfo.InvariantCulture)}");
        transaction.Commit();
    }
}
