using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

/// <summary>The SQLite ledger's durability settings, set once per native connection, hold at every open.</summary>
public sealed class SqliteDurabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-sqlite-durability-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task OpenConnection_ManyTimesFromThePool_EveryOpenHasWalAndFullSync()
    {
        var options = new LedgerDatabaseOptions { ConnectionString = $"Data Source={Path.Combine(_dir, "ledger.db")}" };

        for (var open = 0; open < 5; open++)
        {
            await using var db = LedgerDatabase.Open(options);
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();

            Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
            Assert.Equal("2", await PragmaAsync(connection, "synchronous")); // 2 = FULL
            await db.Database.CloseConnectionAsync();
        }
    }

    [Fact]
    public async Task OpenConnection_AfterThePoolWasCleared_TheNewNativeConnectionIsSetUpAgain()
    {
        var options = new LedgerDatabaseOptions { ConnectionString = $"Data Source={Path.Combine(_dir, "cleared.db")}" };
        await using (var first = LedgerDatabase.Open(options))
        {
            await first.Database.OpenConnectionAsync();
            await first.Database.CloseConnectionAsync();
        }

        SqliteConnection.ClearAllPools();
        await using var db = LedgerDatabase.Open(options);
        await db.Database.OpenConnectionAsync();

        Assert.Equal("2", await PragmaAsync(db.Database.GetDbConnection(), "synchronous"));
    }

    private static async Task<string?> PragmaAsync(DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
