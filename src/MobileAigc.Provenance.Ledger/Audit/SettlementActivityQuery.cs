using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// Settlements and the royalties they paid per hour of their block, one series per token. The
/// database selects and counts the window's settlements over the <c>(SettledAt, Id)</c> index; the
/// amounts are summed here, exactly, as big integers (as <see cref="Settlements.SettlementQuery"/> does): they are uint256
/// on chain, stored as decimal text, and SQLite has no integer that holds them. A window with more
/// than <see cref="MaxSettlements"/> settlements is refused (narrow it), so the work stays bounded.
/// </summary>
public static class SettlementActivityQuery
{
    /// <summary>The most settlements one window may hold.</summary>
    public const int MaxSettlements = 50_000;

    /// <summary>Reads the settlements of <paramref name="window"/>.</summary>
    /// <exception cref="AuditQueryException">When the window holds more than <see cref="MaxSettlements"/> settlements.</exception>
    public static async Task<SettlementActivity> ReadAsync(LedgerDbContext db, DashboardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (start, end) = (window.Start, window.End);
        var settlements = db.Settlements.AsNoTracking().Where(s => s.SettledAt >= start && s.SettledAt < end);
        var count = await settlements.LongCountAsync(cancellationToken);
        if (count > MaxSettlements)
        {
            throw new AuditQueryException("from", $"The window holds {count} settlements; at most {MaxSettlements} are summed at once: narrow the window.");
        }

        var rows = await settlements
            .OrderBy(s => s.Id)
            .Select(s => new { s.Token, s.SettledAt, s.Payment, s.Royalty })
            .ToListAsync(cancellationToken);
        var tokens = rows
            .GroupBy(r => r.Token)
            .Select(token =>
            {
                var hours = token
                    .GroupBy(r => r.SettledAt.ToUnixTimeSeconds() / DashboardWindow.BucketSeconds * DashboardWindow.BucketSeconds)
                    .OrderBy(h => h.Key)
                    .Select(h => (Start: h.Key, Count: (long)h.Count(), Paid: Sum(h.Select(r => r.Payment)), Royalties: Sum(h.Select(r => r.Royalty))))
                    .ToList();
                return new TokenSettlements(
                    token.Key,
                    hours.Sum(h => h.Count),
                    Text(hours.Aggregate(BigInteger.Zero, (sum, h) => sum + h.Paid)),
                    Text(hours.Aggregate(BigInteger.Zero, (sum, h) => sum + h.Royalties)),
                    [.. hours.Select(h => new SettlementHour(h.Start, h.Count, Text(h.Paid), Text(h.Royalties)))]);
            })
            .OrderBy(t => t.Token.ToString(), StringComparer.Ordinal)
            .ToList();
        return new SettlementActivity(window.From, window.To, DashboardWindow.BucketSeconds, tokens);
    }

    private static BigInteger Sum(IEnumerable<string> amounts) =>
        amounts.Aggregate(BigInteger.Zero, (sum, amount) => sum + BigInteger.Parse(amount, NumberStyles.None, CultureInfo.InvariantCulture));

    private static string Text(BigInteger amount) => amount.ToString(CultureInfo.InvariantCulture);
}
