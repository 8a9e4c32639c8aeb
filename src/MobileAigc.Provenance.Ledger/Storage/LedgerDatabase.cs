using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>Registers the ledger's database for the configured provider and migrates it.</summary>
public static class LedgerDatabase
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{TContext}"/> of <see cref="LedgerDbContext"/> for the
    /// provider <paramref name="options"/> names.
    /// </summary>
    /// <exception cref="ArgumentException">When PostgreSQL is chosen without a connection string.</exception>
    public static IServiceCollection AddLedgerDatabase(this IServiceCollection services, LedgerDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider)
        {
            case LedgerDatabaseProvider.Sqlite:
                services.AddPooledDbContextFactory<SqliteLedgerDbContext>(builder => ConfigureSqlite(builder, SqliteConnectionString(options)));
                if (KeptReadConnections(options) is { } reads)
                {
                    services.AddSingleton(reads);
                }

                services.AddSingleton<IDbContextFactory<LedgerDbContext>>(sp =>
                    new UpcastFactory<SqliteLedgerDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteLedgerDbContext>>()));
                break;
            case LedgerDatabaseProvider.Postgres:
                var connectionString = PostgresConnectionString(options)
                    ?? throw new ArgumentException("Ledger:Database:ConnectionString is required for PostgreSQL.", nameof(options));
                services.AddPooledDbContextFactory<PostgresLedgerDbContext>(builder => ConfigurePostgres(builder, connectionString));
                services.AddSingleton<IDbContextFactory<LedgerDbContext>>(sp =>
                    new UpcastFactory<PostgresLedgerDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresLedgerDbContext>>()));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }

        return services;
    }

    /// <summary>Opens a context without dependency injection (CLI, tests, benchmarks).</summary>
    public static LedgerDbContext Open(LedgerDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider)
        {
            case LedgerDatabaseProvider.Sqlite:
                var sqlite = new DbContextOptionsBuilder<SqliteLedgerDbContext>();
                ConfigureSqlite(sqlite, SqliteConnectionString(options));
                return new SqliteLedgerDbContext(sqlite.Options);
            case LedgerDatabaseProvider.Postgres:
                var postgres = new DbContextOptionsBuilder<PostgresLedgerDbContext>();
                ConfigurePostgres(postgres, PostgresConnectionString(options)
                    ?? throw new ArgumentException("A PostgreSQL connection string is required.", nameof(options)));
                return new PostgresLedgerDbContext(postgres.Options);
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }
    }

    /// <summary>Applies pending migrations; safe to call from several replicas at once (EF Core takes a migration lock).</summary>
    public static async Task MigrateAsync(IDbContextFactory<LedgerDbContext> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// The PostgreSQL connection string with the password of <see cref="LedgerDatabaseOptions.PasswordFile"/> when one
    /// is set; <c>null</c> without a connection string.
    /// </summary>
    /// <exception cref="FileNotFoundException">When the password file does not exist.</exception>
    /// <exception cref="ArgumentException">When the password file is empty.</exception>
    internal static string? PostgresConnectionString(LedgerDatabaseOptions options)
    {
        if (options.ConnectionString is null || options.PasswordFile is null)
        {
            return options.ConnectionString;
        }

        if (!File.Exists(options.PasswordFile))
        {
            throw new FileNotFoundException($"Ledger:Database:PasswordFile: no file at '{options.PasswordFile}'.", options.PasswordFile);
        }

        var password = File.ReadAllText(options.PasswordFile);
        password = password.EndsWith("\r\n", StringComparison.Ordinal) ? password[..^2]
            : password.EndsWith('\n') ? password[..^1]
            : password;
        if (password.Length == 0)
        {
            throw new ArgumentException($"Ledger:Database:PasswordFile: the file '{options.PasswordFile}' is empty.", nameof(options));
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString) { Password = password }.ConnectionString;
    }

    /// <summary>
    /// Read connections that keep their compiled statements (<see cref="SqliteReadConnections"/>) for the SQLite file
    /// <paramref name="options"/> names; null for PostgreSQL (Npgsql prepares statements itself) and for an in-memory database
    /// (one connection's own, which other connections cannot see).
    /// </summary>
    public static SqliteReadConnections? KeptReadConnections(LedgerDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider == LedgerDatabaseProvider.Sqlite && SqliteConnectionString(options) is var connectionString && !IsInMemory(connectionString)
            ? new SqliteReadConnections(connectionString)
            : null;
    }

    private static bool IsInMemory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal) || builder.DataSource.Length == 0;
    }

    private static string SqliteConnectionString(LedgerDatabaseOptions options)
    {
        if (options.ConnectionString is { } explicitConnection)
        {
            return explicitConnection;
        }

        Directory.CreateDirectory(options.DataDirectory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDirectory, "ledger.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    private static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).AddInterceptors(SqliteDurability.Instance);

    private static void ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(WithBoundedPool(connectionString));

    /// <summary>
    /// Npgsql's default pool (100 connections) equals PostgreSQL's default <c>max_connections</c>:
    /// a burst of requests on one replica then exhausts the server ("too many clients") for every
    /// replica. Unless the connection string sets its own size, a replica keeps at most
    /// <see cref="DefaultMaxPoolSize"/> connections and queues further requests for a free one.
    /// </summary>
    private static string WithBoundedPool(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var compact = connectionString.Replace(" ", "", StringComparison.Ordinal);
        if (!compact.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase)
            && !compact.Contains("MaximumPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        // The ledger sends a handful of statements over and over (verification by hash: two per known hash). Prepared once per
        // physical connection, the server parses and plans them once instead of at every request; an operator's own setting stays.
        if (!compact.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Statements Npgsql prepares automatically per physical connection (after their second use) when the connection string sets
    /// no <c>Max Auto Prepare</c>: 64, more than the ledger's distinct hot statements.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>The pool size of a replica whose connection string sets none: 24, a quarter of PostgreSQL's default <c>max_connections</c>.</summary>
    public const int DefaultMaxPoolSize = 24;

    private sealed class UpcastFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<LedgerDbContext>
        where T : LedgerDbContext
    {
        public LedgerDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<LedgerDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }

    /// <summary>
    /// Write-ahead logging (readers never block the writer) with full sync: a commit the ledger
    /// acknowledged survives kill -9 and power loss. Each connection keeps up to
    /// 32 MiB of pages (<c>cache_size=-32768</c>, allocated as pages are read; few connections are busy at once): with SQLite's default of 2 MiB, every insert
    /// read the pages of its nine indexes (most on random 32-byte keys) back from the operating system
    /// once the file outgrew the cache (a <c>pread</c> per page, 5 % of the ledger's ingest CPU in a profile).
    /// The settings hold for the life of the native connection (the journal mode is even kept in the file), and the
    /// pool hands the same native connection to many opens: each is set up once, not at every open (statements parsed
    /// and run per request, a few per cent of a verification by hash).
    /// </summary>
    private sealed class SqliteDurability : DbConnectionInterceptor
    {
        public static readonly SqliteDurability Instance = new();

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            // The native handle outlives the pooled SqliteConnection objects that open it; a closed-and-reopened handle is a new object.
            var handle = (connection as SqliteConnection)?.Handle;
            if (handle is not null && Configured.TryGetValue(handle, out _))
            {
                return;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;";
            command.ExecuteNonQuery();
            if (handle is not null)
            {
                Configured.AddOrUpdate(handle, handle);
            }
        }
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model (scripts/add-migration.sh).</summary>
public sealed class SqliteLedgerDbContextDesignFactory : IDesignTimeDbContextFactory<SqliteLedgerDbContext>
{
    /// <inheritdoc />
    public SqliteLedgerDbContext CreateDbContext(string[] args) =>
        (SqliteLedgerDbContext)LedgerDatabase.Open(new LedgerDatabaseOptions { ConnectionString = "Data Source=design.db" });
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model (scripts/add-migration.sh); it never connects.</summary>
public sealed class PostgresLedgerDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresLedgerDbContext>
{
    /// <inheritdoc />
    public PostgresLedgerDbContext CreateDbContext(string[] args) =>
        (PostgresLedgerDbContext)LedgerDatabase.Open(new LedgerDatabaseOptions
        {
            Provider = LedgerDatabaseProvider.Postgres,
            ConnectionString = "Host=localhost;Database=ledger_design",
        });
}
