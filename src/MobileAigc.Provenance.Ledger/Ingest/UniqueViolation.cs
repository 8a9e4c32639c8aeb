using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>Recognises a unique-index violation on each provider: the sign that another request stored the same record first.</summary>
internal static class UniqueViolation
{
    private const int SqliteConstraint = 19;

    // EF Core wraps the provider's error in a DbUpdateException; the bulk insert raises it directly.
    public static bool Is(Exception exception) => (exception is DbUpdateException ? exception.InnerException : exception) switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SqliteConstraint,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
