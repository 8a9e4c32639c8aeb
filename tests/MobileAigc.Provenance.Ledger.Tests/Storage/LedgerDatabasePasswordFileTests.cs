using MobileAigc.Provenance.Ledger.Storage;
using Npgsql;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

/// <summary><c>Ledger:Database:PasswordFile</c>: the PostgreSQL password read from a mounted secret, never from configuration.</summary>
public sealed class LedgerDatabasePasswordFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-db-password-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("s3cret-value", "s3cret-value")]
    [InlineData("s3cret-value\n", "s3cret-value")]
    [InlineData("s3cret-value\r\n", "s3cret-value")]
    [InlineData("s3cret value \n\n", "s3cret value \n")]
    public async Task PostgresConnectionString_WithPasswordFile_UsesTheFileWithoutOneLineBreak(string content, string password)
    {
        var file = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(file, content);

        var connection = LedgerDatabase.PostgresConnectionString(Options(file));

        var builder = new NpgsqlConnectionStringBuilder(connection);
        Assert.Equal(password, builder.Password);
        Assert.Equal("postgres", builder.Host);
        Assert.Equal("provenance", builder.Username);
    }

    [Fact]
    public void PostgresConnectionString_PasswordFileOverAPasswordInTheString_TheFileWins()
    {
        var file = Path.Combine(_dir, "password");
        File.WriteAllText(file, "from-file");

        var connection = LedgerDatabase.PostgresConnectionString(Options(file));

        Assert.Equal("from-file", new NpgsqlConnectionStringBuilder(connection).Password);
    }

    [Fact]
    public void PostgresConnectionString_WithoutPasswordFile_IsTheStringAsGiven()
    {
        var options = new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Postgres, ConnectionString = "Host=postgres;Password=inline" };

        Assert.Equal("Host=postgres;Password=inline", LedgerDatabase.PostgresConnectionString(options));
    }

    [Fact]
    public void PostgresConnectionString_MissingPasswordFile_ThrowsNamingTheSettingAndPath()
    {
        var missing = Path.Combine(_dir, "absent");

        var error = Assert.Throws<FileNotFoundException>(() => LedgerDatabase.PostgresConnectionString(Options(missing)));

        Assert.Contains("Ledger:Database:PasswordFile", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgresConnectionString_EmptyPasswordFile_Throws()
    {
        var file = Path.Combine(_dir, "empty");
        File.WriteAllText(file, "\n");

        var error = Assert.Throws<ArgumentException>(() => LedgerDatabase.PostgresConnectionString(Options(file)));

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    private static LedgerDatabaseOptions Options(string passwordFile) => new()
    {
        Provider = LedgerDatabaseProvider.Postgres,
        ConnectionString = "Host=postgres;Database=provenance;Username=provenance;Password=in-the-string",
        PasswordFile = passwordFile,
    };
}
