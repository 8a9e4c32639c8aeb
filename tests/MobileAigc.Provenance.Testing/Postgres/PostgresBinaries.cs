namespace MobileAigc.Provenance.Testing.Postgres;

/// <summary>Where the PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>, <c>postgres</c>) are.</summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl, string Postgres)
{
    private const string InstallHint =
        "Install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`), " +
        "or set POSTGRES_BIN_DIR to the directory that holds initdb, pg_ctl and postgres.";

    /// <summary>Finds the programs in <paramref name="configured"/>, else POSTGRES_BIN_DIR, PATH, /usr/lib/postgresql/*/bin.</summary>
    /// <exception cref="FileNotFoundException">When no directory holds all three programs; the message says how to install them.</exception>
    public static PostgresBinaries Locate(string? configured)
    {
        if (configured is not null)
        {
            return FromDirectory(configured)
                ?? throw new FileNotFoundException($"No initdb, pg_ctl and postgres in '{configured}'. {InstallHint}");
        }

        foreach (var directory in Candidates())
        {
            if (FromDirectory(directory) is { } found)
            {
                return found;
            }
        }

        throw new FileNotFoundException(
            $"No PostgreSQL server programs found (looked in POSTGRES_BIN_DIR, PATH and /usr/lib/postgresql/*/bin). {InstallHint}");
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("POSTGRES_BIN_DIR") is { Length: > 0 } fromEnvironment)
        {
            yield return fromEnvironment;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return directory;
        }

        // Debian keeps the server programs off PATH, one directory per major version: newest first.
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var versions = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(path => (Path: path, Major: int.TryParse(Path.GetFileName(path), out var major) ? major : -1))
                .OrderByDescending(version => version.Major);
            foreach (var version in versions)
            {
                yield return Path.Combine(version.Path, "bin");
            }
        }
    }

    private static PostgresBinaries? FromDirectory(string directory)
    {
        var binaries = new PostgresBinaries(
            Path.Combine(directory, "initdb"), Path.Combine(directory, "pg_ctl"), Path.Combine(directory, "postgres"));
        return File.Exists(binaries.InitDb) && File.Exists(binaries.PgCtl) && File.Exists(binaries.Postgres) ? binaries : null;
    }
}
