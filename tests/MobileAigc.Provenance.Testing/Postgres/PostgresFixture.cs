using Xunit;

namespace MobileAigc.Provenance.Testing.Postgres;

/// <summary>
/// One real PostgreSQL server (<see cref="PostgresServer"/>, default options) for a whole xunit test collection:
/// started before the collection's first test, stopped and deleted after its last.
/// </summary>
/// <remarks>
/// xunit finds collection definitions only in the test assembly itself, so each test project declares its own:
/// <code>
/// [CollectionDefinition(Name)]
/// public sealed class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;
/// {
///     public const string Name = "postgres";
/// }
///
/// [Collection(PostgresCollection.Name)]
/// public sealed class LedgerStoreTests(PostgresFixture postgres)
/// {
///     [Fact]
///     public async Task Append_NewRecord_IsReadBack()
///     {
///         var connectionString = await postgres.CreateDatabaseAsync();
///         // ...
///     }
/// }
/// </code>
/// Tests in one collection share the server and run one after another; give each test its own database
/// (<see cref="CreateDatabaseAsync"/>) rather than sharing tables. Tests that kill or restart a server should start
/// their own <see cref="PostgresServer"/> instead of this shared one.
/// </remarks>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    /// <summary>The running server.</summary>
    /// <exception cref="InvalidOperationException">Before xunit has called <see cref="InitializeAsync"/>.</exception>
    public PostgresServer Server =>
        _server ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialized by xunit yet.");

    /// <summary>The superuser connection string of the <c>postgres</c> database (see <see cref="PostgresServer.ConnectionString"/>).</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>Creates an empty database with a name unique in this fixture and returns its connection string.</summary>
    /// <param name="prefix">The start of the name; default <c>test</c>. Lower-case letters, digits and underscores.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <exception cref="ArgumentException">When the name made from <paramref name="prefix"/> is not a plain database name.</exception>
    public Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default) =>
        Server.CreateDatabaseAsync($"{prefix}_{Interlocked.Increment(ref _databases)}", cancellationToken);

    /// <summary>Starts the server (xunit calls this once per collection).</summary>
    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <summary>Stops the server and deletes its directory (xunit calls this after the collection's last test).</summary>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
