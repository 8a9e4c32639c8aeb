using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.LedgerLoad.Environment;

/// <summary>The ledger's database for one benchmark run: a SQLite folder or a fresh PostgreSQL server.</summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly PostgresServer? _postgres;

    private BenchmarkDatabase(IReadOnlyDictionary<string, string> settings, string description, PostgresServer? postgres)
    {
        Settings = settings;
        Description = description;
        _postgres = postgres;
    }

    /// <summary>The ledger's <c>Ledger:Database</c> settings.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>What it is, for the report.</summary>
    public string Description { get; }

    /// <summary>
    /// SQLite: a file in <paramref name="directory"/> (the ledger sets WAL and synchronous=FULL).
    /// PostgreSQL: a new cluster with <c>fsync</c> and <c>full_page_writes</c> on, so that every
    /// acknowledged commit costs what it costs in production; then an empty database.
    /// </summary>
    public static async Task<BenchmarkDatabase> CreateAsync(LoadProvider provider, string directory, CancellationToken cancellationToken = default)
    {
        if (provider == LoadProvider.Sqlite)
        {
            var data = Path.Combine(directory, "ledger-data");
            return new BenchmarkDatabase(
                new Dictionary<string, string> { ["Ledger:Database:Provider"] = "Sqlite", ["Ledger:Database:DataDirectory"] = data },
                $"SQLite file on local disk ({data}); WAL, synchronous=FULL (the ledger's settings)",
                postgres: null);
        }

        var server = await PostgresServer.StartAsync(new PostgresServerOptions { Fsync = true }, cancellationToken);
        try
        {
            var connectionString = await server.CreateDatabaseAsync("ledger_load", cancellationToken);
            var version = await ServerVersionAsync(server.ConnectionString, cancellationToken);
            return new BenchmarkDatabase(
                new Dictionary<string, string> { ["Ledger:Database:Provider"] = "Postgres", ["Ledger:Database:ConnectionString"] = connectionString },
                $"PostgreSQL {version} on loopback TCP, same machine; fsync=on, full_page_writes=on, other settings initdb defaults",
                server);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private static async Task<string> ServerVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection.ServerVersion;
    }
}
