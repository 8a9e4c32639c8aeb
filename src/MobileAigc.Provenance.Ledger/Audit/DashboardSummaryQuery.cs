using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// The dashboard's headline numbers, each one database aggregate over an indexed range: records by
/// state through the same filters as <c>api/audit/records</c> (so the two always agree), batches by
/// the time their block was mined, settlements by block time.
/// </summary>
public static class DashboardSummaryQuery
{
    /// <summary>Reads the numbers of <paramref name="window"/>.</summary>
    public static async Task<DashboardSummary> ReadAsync(LedgerDbContext db, DashboardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var inWindow = new RecordQuery { From = window.From, To = window.To };
        var total = await inWindow.Rows(db).LongCountAsync(cancellationToken);
        var byState = new Dictionary<AuditRecordState, long>();
        foreach (var state in Enum.GetValues<AuditRecordState>())
        {
            byState[state] = await (inWindow with { State = state }).Rows(db).LongCountAsync(cancellationToken);
        }

        var records = new RecordActivityQuery { Window = window }.Records(db);
        var models = await records.Select(r => r.ModelHash).Distinct().CountAsync(cancellationToken);
        var nodes = await records.Select(r => r.Node).Distinct().CountAsync(cancellationToken);

        var (start, end) = (window.Start, window.End);
        var batches = await db.Batches.AsNoTracking()
            .Where(b => b.State == AnchorBatchState.Anchored && b.AnchoredAt >= start && b.AnchoredAt < end)
            .GroupBy(b => 1)
            .Select(g => new { Count = g.LongCount(), Records = g.Sum(b => (long)b.RecordCount), Gas = g.Sum(b => b.GasUsed ?? 0) })
            .SingleOrDefaultAsync(cancellationToken);
        var settlements = await db.Settlements.AsNoTracking().LongCountAsync(s => s.SettledAt >= start && s.SettledAt < end, cancellationToken);

        var batchedRecords = batches?.Records ?? 0;
        var gas = batches?.Gas ?? 0;
        return new DashboardSummary(
            window.From, window.To, total,
            byState[AuditRecordState.Pending], byState[AuditRecordState.Anchoring], byState[AuditRecordState.Anchored], byState[AuditRecordState.Revoked],
            models, nodes, batches?.Count ?? 0, batchedRecords, gas, batchedRecords > 0 ? (double)gas / batchedRecords : null, settlements);
    }
}
