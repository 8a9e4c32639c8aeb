using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>The database engines the ledger runs on.</summary>
public enum LedgerDatabaseProvider
{
    /// <summary>An embedded SQLite file: one ledger process, no server to run.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several ledger replicas may share it.</summary>
    Postgres,
}

/// <summary>Where the ledger keeps its data. Section <c>Ledger:Database</c>.</summary>
public sealed class LedgerDatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Database";

    /// <summary>The engine. Default: <see cref="LedgerDatabaseProvider.Sqlite"/>.</summary>
    public LedgerDatabaseProvider Provider { get; set; } = LedgerDatabaseProvider.Sqlite;

    /// <summary>
    /// The provider's connection string. Default: <c>null</c>, meaning the SQLite file
    /// <c>ledger.db</c> in <see cref="DataDirectory"/>; required for PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// A file holding the PostgreSQL password (a mounted secret), used in place of a password in
    /// <see cref="ConnectionString"/> so that no secret sits in configuration or the environment; one trailing
    /// line break is ignored. Default: <c>null</c> (the connection string's own password, if any).
    /// </summary>
    public string? PasswordFile { get; set; }

    /// <summary>The folder of the embedded SQLite database. Default: <c>data/ledger</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = Path.Combine("data", "ledger");

    /// <summary>Apply pending migrations at start. Default: <c>true</c>.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
