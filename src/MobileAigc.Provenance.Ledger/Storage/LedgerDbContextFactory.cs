using Microsoft.EntityFrameworkCore;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// Contexts on one database without dependency injection, for the operator commands that work on a ledger's
/// database while no ledger runs (<c>ledger reconcile</c>, <c>ledger rebuild</c>). Each call opens a new context.
/// </summary>
/// <param name="options">The database.</param>
public sealed class LedgerDbContextFactory(LedgerDatabaseOptions options) : IDbContextFactory<LedgerDbContext>
{
    /// <inheritdoc />
    public LedgerDbContext CreateDbContext() => LedgerDatabase.Open(options);
}
