using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.Ledger.Tests.Fixtures;

/// <summary>
/// Where a data-layer test gets a fresh, migrated ledger database. Specification suites take
/// one of these and are run once per provider (see <see cref="SqliteDatabases"/>, <see cref="PostgresDatabases"/>).
/// </summary>
public abstract class LedgerDatabases
{
    /// <summary>The provider under test.</summary>
    public abstract LedgerDatabaseProvider Provider { get; }

    /// <summary>Options of a new empty database (not yet migrated).</summary>
    public abstract Task<LedgerDatabaseOptions> NewDatabaseOptionsAsync();

    /// <summary>A new, migrated database and a factory of contexts over it.</summary>
    public async Task<IDbContextFactory<LedgerDbContext>> NewDatabaseAsync()
    {
        var options = await NewDatabaseOptionsAsync();
        var factory = ContextFactory(options);
        await LedgerDatabase.MigrateAsync(factory);
        return factory;
    }

    /// <summary>Contexts over the database of <paramref name="options"/>, opened as the ledger opens them.</summary>
    public static IDbContextFactory<LedgerDbContext> ContextFactory(LedgerDatabaseOptions options) => new OptionsContextFactory(options);

    /// <summary>The kept read connections the ledger would use for <paramref name="databases"/> (<see cref="LedgerDatabase.KeptReadConnections"/>); null when none.</summary>
    public static SqliteReadConnections? KeptReadConnections(IDbContextFactory<LedgerDbContext> databases) =>
        databases is OptionsContextFactory factory ? LedgerDatabase.KeptReadConnections(factory.Options) : null;

    private sealed class OptionsContextFactory(LedgerDatabaseOptions options) : IDbContextFactory<LedgerDbContext>
    {
        public LedgerDatabaseOptions Options => options;

        public LedgerDbContext CreateDbContext() => LedgerDatabase.Open(options);
    }
}

/// <summary>SQLite files in a temporary folder, removed at the end.</summary>
public sealed class SqliteDatabases : LedgerDatabases, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-").FullName;

    /// <inheritdoc />
    public override LedgerDatabaseProvider Provider => LedgerDatabaseProvider.Sqlite;

    /// <inheritdoc />
    public override Task<LedgerDatabaseOptions> NewDatabaseOptionsAsync() => Task.FromResult(new LedgerDatabaseOptions
    {
        Provider = LedgerDatabaseProvider.Sqlite,
        DataDirectory = Path.Combine(_directory, Guid.NewGuid().ToString("N")),
    });

    /// <inheritdoc />
    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a test that failed; the temp folder is swept by the OS.
        }
    }
}

/// <summary>Databases on one real PostgreSQL server started for the test collection.</summary>
public sealed class PostgresDatabases : LedgerDatabases, IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();

    /// <summary>The server, for fault-injection tests.</summary>
    public PostgresServer Server => _postgres.Server;

    /// <inheritdoc />
    public override LedgerDatabaseProvider Provider => LedgerDatabaseProvider.Postgres;

    /// <inheritdoc />
    public override async Task<LedgerDatabaseOptions> NewDatabaseOptionsAsync() => new()
    {
        Provider = LedgerDatabaseProvider.Postgres,
        ConnectionString = await _postgres.CreateDatabaseAsync("ledger"),
    };

    /// <inheritdoc />
    public Task InitializeAsync() => _postgres.InitializeAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => _postgres.DisposeAsync();
}

/// <summary>The PostgreSQL server shared by every PostgreSQL test of the assembly.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresDatabases>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "postgres";
}
