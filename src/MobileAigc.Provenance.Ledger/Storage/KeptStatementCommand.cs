using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// Hands EF Core a <see cref="KeptStatementCommand"/> instead of a new <see cref="SqliteCommand"/> for every query on one kept-open
/// connection, so that each distinct SQL text is compiled by SQLite once per connection instead of at every request.
/// </summary>
/// <remarks>One instance per connection (it owns that connection's statements); used by one request at a time.</remarks>
internal sealed class KeptStatementInterceptor(SqliteConnection connection) : DbCommandInterceptor, IDisposable
{
    // More distinct texts than this on one connection are compiled each time, as without this cache: the hot path has a handful.
    private const int MaxKeptStatements = 32;

    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);

    public override InterceptionResult<DbCommand> CommandCreating(CommandCorrelatedEventData eventData, InterceptionResult<DbCommand> result) =>
        ReferenceEquals(eventData.Connection, connection) ? InterceptionResult<DbCommand>.SuppressWithResult(new KeptStatementCommand(this)) : result;

    /// <summary>The command kept for <paramref name="text"/>, or a new one to dispose after use (<paramref name="kept"/> false).</summary>
    internal SqliteCommand CommandFor(string text, out bool kept)
    {
        if (_statements.TryGetValue(text, out var command))
        {
            kept = true;
            return command;
        }

        command = new SqliteCommand(text, connection);
        kept = _statements.Count < MaxKeptStatements;
        if (kept)
        {
            _statements.Add(text, command);
        }

        return command;
    }

    internal SqliteConnection Connection => connection;

    public void Dispose()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
    }
}

/// <summary>
/// A command EF Core fills and runs as it would a <see cref="SqliteCommand"/>, delegating to the <see cref="SqliteCommand"/> its
/// connection keeps for the same text: Microsoft.Data.Sqlite keeps a compiled statement only on a reused command (efcore issue 14044).
/// Disposing it leaves the kept command, and its compiled statement, to the next request.
/// </summary>
[SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "EF Core's own parameterised SQL.")]
internal sealed class KeptStatementCommand(KeptStatementInterceptor statements) : DbCommand
{
    // Parameters are collected here until the command runs, then moved to the kept command, whose text is known by then.
    private readonly SqliteCommand _parameters = new();
    private string _text = "";

    [AllowNull]
    public override string CommandText
    {
        get => _text;
        set => _text = value ?? "";
    }

    public override int CommandTimeout { get; set; } = 30;

    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
            {
                throw new ArgumentException("SQLite runs text commands only.", nameof(value));
            }
        }
    }

    public override bool DesignTimeVisible { get; set; }

    public override UpdateRowSource UpdatedRowSource { get; set; }

    protected override DbConnection? DbConnection
    {
        get => statements.Connection;
        set
        {
            if (value is not null && !ReferenceEquals(value, statements.Connection))
            {
                throw new InvalidOperationException("A kept statement belongs to its own connection.");
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => _parameters.Parameters;

    protected override DbTransaction? DbTransaction { get; set; }

    public override void Cancel()
    {
        // SQLite statements here run to completion in microseconds; as SqliteCommand.Cancel, nothing to interrupt.
    }

    public override int ExecuteNonQuery()
    {
        var (command, kept) = Ready();
        try
        {
            return command.ExecuteNonQuery();
        }
        finally
        {
            Release(command, kept);
        }
    }

    public override object? ExecuteScalar()
    {
        var (command, kept) = Ready();
        try
        {
            return command.ExecuteScalar();
        }
        finally
        {
            Release(command, kept);
        }
    }

    // Nothing to do ahead of the run: the kept command compiles its statement on its first run and keeps it. (Preparing
    // through Ready() would move the parameters to the kept command before the run that needs them.)
    public override void Prepare()
    {
    }

    protected override DbParameter CreateDbParameter() => new SqliteParameter();

    // The reader outlives this call: a command not kept is left with its reader, and closed with the connection that tracks it.
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Ready().Command.ExecuteReader(behavior);

    private (SqliteCommand Command, bool Kept) Ready()
    {
        var command = statements.CommandFor(_text, out var kept);
        command.Transaction = (SqliteTransaction?)DbTransaction;
        command.CommandTimeout = CommandTimeout;
        command.Parameters.Clear();
        var parameters = _parameters.Parameters.Cast<SqliteParameter>().ToArray();
        _parameters.Parameters.Clear();
        command.Parameters.AddRange(parameters);
        return (command, kept);
    }

    private static void Release(SqliteCommand command, bool kept)
    {
        if (!kept)
        {
            command.Dispose();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _parameters.Dispose();
        }

        base.Dispose(disposing);
    }
}
