using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// Read-only SQLite connections kept open for the ledger's most frequent reads (verification by hash), each with the compiled
/// statements of the queries it has run: Microsoft.Data.Sqlite compiles a statement's SQL again for every new command and drops
/// what it compiled when a connection closes, which a profile showed was about a third of a verification's CPU.
/// </summary>
/// <remarks>
/// Thread-safe; a singleton. Each lease has a connection to itself. The connections only read (<c>PRAGMA query_only</c>) and hold
/// no transaction between leases, so they see every commit and never hold back a WAL checkpoint. A compiled statement keeps no
/// data: every execution reads the database as it is. At most <see cref="MaxKept"/> idle connections are kept; beyond that a
/// returned connection is closed.
/// </remarks>
public sealed class SqliteReadConnections : IDisposable
{
    /// <summary>Idle connections kept at most.</summary>
    public const int MaxKept = 32;

    private readonly string _connectionString;
    private readonly ConcurrentBag<KeptConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>Keeps connections to the SQLite database of <paramref name="connectionString"/>.</summary>
    public SqliteReadConnections(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // Unpooled: a kept connection is read-only, and closing it must not hand that setting to a writer through the pool.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
    }

    /// <summary>A context on a kept connection, for one request; dispose it to return the connection.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    /// <exception cref="SqliteException">When a new connection cannot be opened.</exception>
    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            connection = KeptConnection.Open(_connectionString);
        }

        return new Lease(this, connection);
    }

    private void Return(KeptConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaxKept)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
        // Disposed meanwhile: whatever is idle now is closed.
        if (_disposed)
        {
            DrainIdle();
        }
    }

    /// <summary>Closes every idle connection; those leased are closed when returned.</summary>
    public void Dispose()
    {
        _disposed = true;
        DrainIdle();
    }

    private void DrainIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
        }
    }

    /// <summary>One request's context on a kept connection; disposing it returns the connection.</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly SqliteReadConnections _owner;
        private readonly KeptConnection _connection;

        internal Lease(SqliteReadConnections owner, KeptConnection connection)
        {
            _owner = owner;
            _connection = connection;
            // A context is cheap to create on existing options; it never closes a connection it was handed open.
            Context = new SqliteLedgerDbContext(connection.Options);
        }

        /// <summary>The context: queries only (the connection refuses writes).</summary>
        public LedgerDbContext Context { get; }

        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            await Context.DisposeAsync().ConfigureAwait(false);
            _owner.Return(_connection);
        }
    }

    internal sealed class KeptConnection : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly KeptStatementInterceptor _statements;

        private KeptConnection(SqliteConnection connection)
        {
            _connection = connection;
            _statements = new KeptStatementInterceptor(connection);
            Options = new DbContextOptionsBuilder<SqliteLedgerDbContext>().UseSqlite(connection).AddInterceptors(_statements).Options;
        }

        public DbContextOptions<SqliteLedgerDbContext> Options { get; }

        public static KeptConnection Open(string connectionString)
        {
            var connection = new SqliteConnection(connectionString);
            try
            {
                connection.Open();
                using var pragmas = connection.CreateCommand();
                // The ledger's writers set WAL on the file; these connections read, with a page cache smaller than a writer's.
                pragmas.CommandText = "PRAGMA query_only=1; PRAGMA cache_size=-8192;";
                pragmas.ExecuteNonQuery();
                return new KeptConnection(connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            _statements.Dispose();
            _connection.Dispose();
        }
    }
}
