using System.Diagnostics;
using System.Net.Sockets;
using MobileAigc.Provenance.Testing.Postgres;
using Npgsql;
using Xunit.Abstractions;
using static MobileAigc.Provenance.Testing.Tests.Sql;

namespace MobileAigc.Provenance.Testing.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task ConnectionString_SharedServer_AnswersSelectVersion()
    {
        var version = await ScalarAsync<string>(postgres.ConnectionString, "SELECT version()");

        Assert.StartsWith("PostgreSQL ", version, StringComparison.Ordinal);
        output.WriteLine(version);
        Assert.Equal(
            $"Host=127.0.0.1;Port={postgres.Server.Port};Username=postgres;Database=postgres",
            postgres.ConnectionString);
    }

    [Fact]
    public async Task CreateDatabaseAsync_TwoDatabases_AreEmptyAndSeparate()
    {
        var first = await postgres.Server.CreateDatabaseAsync("ledger_a");
        var second = await postgres.Server.CreateDatabaseAsync("ledger_b");

        await ExecuteAsync(first, "CREATE TABLE record (id bigint PRIMARY KEY, note text NOT NULL)");
        await ExecuteAsync(first, "INSERT INTO record VALUES (1, 'één'), (2, 'two')");
        Assert.Equal(2L, await ScalarAsync<long>(first, "SELECT count(*) FROM record"));
        Assert.Equal("één", await ScalarAsync<string>(first, "SELECT note FROM record WHERE id = 1"));
        Assert.Equal("UTF8", await ScalarAsync<string>(second, "SHOW server_encoding"));
        Assert.Equal(0L, await ScalarAsync<long>(second, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        Assert.Equal("ledger_b", new NpgsqlConnectionStringBuilder(second).Database);
    }

    [Fact]
    public async Task CreateDatabaseAsync_Existing_ThrowsDuplicateDatabase()
    {
        var name = await postgres.CreateDatabaseAsync("dup");

        var error = await Assert.ThrowsAsync<PostgresException>(
            () => postgres.Server.CreateDatabaseAsync(new NpgsqlConnectionStringBuilder(name).Database!));

        Assert.Equal(PostgresErrorCodes.DuplicateDatabase, error.SqlState);
    }

    [Theory]
    [InlineData("Ledger")]
    [InlineData("ledger; DROP DATABASE postgres")]
    [InlineData("1ledger")]
    [InlineData("")]
    public async Task CreateDatabaseAsync_NotAPlainName_ThrowsArgumentException(string name) =>
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.Server.CreateDatabaseAsync(name));

    [Fact]
    public async Task Server_SharedServer_AcceptsLoopbackOnlyAndRunsUnprivileged()
    {
        Assert.Equal("127.0.0.1", await ScalarAsync<string>(postgres.ConnectionString, "SHOW listen_addresses"));
        Assert.Equal("off", await ScalarAsync<string>(postgres.ConnectionString, "SHOW fsync"));
        var hba = await File.ReadAllTextAsync(Path.Combine(postgres.Server.DataDirectory, "pg_hba.conf"));
        Assert.DoesNotContain("0.0.0.0", hba, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", hba, StringComparison.Ordinal);
        // The backend serving us is a process of the account the server runs as, never root.
        var backend = await ScalarAsync<int>(postgres.ConnectionString, "SELECT pg_backend_pid()");
        var uid = File.ReadLines($"/proc/{backend}/status").Single(line => line.StartsWith("Uid:", StringComparison.Ordinal));
        Assert.NotEqual("0", uid.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
    }
}

/// <summary>Tests that start servers of their own: timing, crashes, restarts, disposal.</summary>
public sealed class PostgresServerLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_FreshCluster_IsReadyWithinTimeout()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await PostgresServer.StartAsync();
        var started = clock.Elapsed;

        Assert.True(server.IsRunning);
        Assert.Equal(1, await ScalarAsync<int>(server.ConnectionString, "SELECT 1"));
        output.WriteLine($"initdb + start + first connection: {started.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task KillAsync_ThenRestartAsync_KeepsCommittedData()
    {
        await using var server = await PostgresServer.StartAsync(new PostgresServerOptions { Fsync = true });
        var database = await server.CreateDatabaseAsync("durable");
        await ExecuteAsync(database, "CREATE TABLE anchor (batch int PRIMARY KEY, root bytea NOT NULL)");
        await ExecuteAsync(database, "INSERT INTO anchor SELECT g, sha256(g::text::bytea) FROM generate_series(1, 1000) AS g");
        var port = server.Port;

        await server.KillAsync();

        Assert.False(server.IsRunning);
        await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync<int>(Unpooled(database), "SELECT 1"));

        var clock = Stopwatch.StartNew();
        await server.RestartAsync();
        output.WriteLine($"restart with crash recovery: {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(port, server.Port);
        Assert.Equal(1000L, await ScalarAsync<long>(database, "SELECT count(*) FROM anchor"));
        Assert.Equal("on", await ScalarAsync<string>(database, "SHOW fsync"));
        Assert.Contains("not properly shut down", server.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_ThenRestartAsync_KeepsDataAndPort()
    {
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("stopped");
        await ExecuteAsync(database, "CREATE TABLE t (x int); INSERT INTO t VALUES (42)");

        await server.StopAsync();
        Assert.False(server.IsRunning);
        await server.RestartAsync();

        Assert.Equal(42, await ScalarAsync<int>(database, "SELECT x FROM t"));
    }

    [Fact]
    public async Task RestartAsync_ServerDiesDuringStart_ThrowsWithLog()
    {
        await using var server = await PostgresServer.StartAsync();
        await server.StopAsync();
        await File.AppendAllTextAsync(Path.Combine(server.DataDirectory, "postgresql.auto.conf"), "shared_buffers = 'plenty'\n");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.RestartAsync());

        Assert.Contains("shared_buffers", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.LogPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_RunningServer_StopsItAndRemovesDirectory()
    {
        var server = await PostgresServer.StartAsync();
        var directory = server.Directory;
        var port = server.Port;
        Assert.True(Directory.Exists(Path.Combine(directory, "data", "base")));

        await server.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task StartAsync_MissingBinaries_SaysHowToInstall()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(
            () => PostgresServer.StartAsync(new PostgresServerOptions { BinDirectory = "/nonexistent" }));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2 }.ConnectionString;
}
