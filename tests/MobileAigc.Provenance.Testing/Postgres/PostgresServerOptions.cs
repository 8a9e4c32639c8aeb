using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Testing.Postgres;

/// <summary>How a <see cref="PostgresServer"/> is set up. Every property has a default that suits tests.</summary>
public sealed record PostgresServerOptions
{
    /// <summary>
    /// Whether the server flushes to disk (<c>fsync</c>, <c>full_page_writes</c>). Default <see langword="false"/>:
    /// faster, and committed data still survives <see cref="PostgresServer.KillAsync"/> (the kernel holds the
    /// writes), but not a machine crash. Set <see langword="true"/> for tests that must prove durability.
    /// </summary>
    public bool Fsync { get; init; }

    /// <summary>The superuser role the cluster is created with and connection strings use. Default <c>postgres</c>.</summary>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string Superuser { get; init; } = "postgres";

    /// <summary>
    /// The operating-system account that runs <c>initdb</c> and <c>postgres</c> when the test process is root
    /// (both refuse to run as root). Default <c>postgres</c>. Ignored when the test process is not root.
    /// </summary>
    [Required]
    public string OsUser { get; init; } = "postgres";

    /// <summary>
    /// The directory holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Default <see langword="null"/>: the
    /// <c>POSTGRES_BIN_DIR</c> environment variable, then <c>PATH</c>, then the newest <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// Where the server's temporary directory is made; it must be reachable by <see cref="OsUser"/> and short
    /// enough for a Unix socket path. Default <see langword="null"/>: <see cref="Path.GetTempPath"/>.
    /// </summary>
    public string? TempRoot { get; init; }

    /// <summary>How long a start (or restart) may take before it fails. Default 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
