using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

/// <summary>
/// The kept read connections of verification by hash: a statement compiled once still reads every later commit, the
/// connections refuse writes, and their read-only setting never reaches the writers' pool.
/// </summary>
public sealed class SqliteReadConnectionsTests : IDisposable
{
    private readonly SqliteDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task Rent_SameQueryOnTheKeptConnection_SeesRowsCommittedSinceItWasCompiled()
    {
        var (writers, reads) = await NewDatabaseAsync();
        using var _ = reads;
        await ExecuteAsync(writers, "CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1);");

        var (first, firstConnection) = await CountAsync(reads);
        await ExecuteAsync(writers, "INSERT INTO probe VALUES (2);");
        var (second, secondConnection) = await CountAsync(reads);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Same(firstConnection, secondConnection);
    }

    [Fact]
    public async Task Rent_Write_IsRefused_AndTheWritersStillWriteAfterItsReturn()
    {
        var (writers, reads) = await NewDatabaseAsync();
        using var _ = reads;
        await ExecuteAsync(writers, "CREATE TABLE probe (x INTEGER);");

        await using (var lease = reads.Rent())
        {
            var refused = await Assert.ThrowsAsync<SqliteException>(() => lease.Context.Database.ExecuteSqlRawAsync("INSERT INTO probe VALUES (1);"));
            Assert.Contains("readonly", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        // Every writer connection of the pool, reused or new, still writes.
        for (var i = 0; i < 4; i++)
        {
            await ExecuteAsync(writers, "INSERT INTO probe VALUES (1);");
        }

        Assert.Equal(4, (await CountAsync(reads)).Count);
    }

    [Fact]
    public async Task Dispose_ClosesIdleConnections_AndRefusesNewLeases()
    {
        var (_, reads) = await NewDatabaseAsync();
        var lease = reads.Rent();
        var connection = lease.Context.Database.GetDbConnection();
        await lease.DisposeAsync();

        reads.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        Assert.Throws<ObjectDisposedException>(() => reads.Rent());
    }

    private async Task<(IDbContextFactory<LedgerDbContext> Writers, SqliteReadConnections Reads)> NewDatabaseAsync()
    {
        var writers = await _databases.NewDatabaseAsync();
        return (writers, LedgerDatabases.KeptReadConnections(writers) ?? throw new InvalidOperationException("A SQLite file has kept read connections."));
    }

    private static async Task ExecuteAsync(IDbContextFactory<LedgerDbContext> writers, string sql)
    {
        await using var db = await writers.CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<(int Count, System.Data.Common.DbConnection Connection)> CountAsync(SqliteReadConnections reads)
    {
        await using var lease = reads.Rent();
        var count = await lease.Context.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM probe").SingleAsync();
        return (count, lease.Context.Database.GetDbConnection());
    }
}
