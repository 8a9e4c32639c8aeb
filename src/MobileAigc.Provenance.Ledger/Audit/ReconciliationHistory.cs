using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// Keeps what each reconciliation found (<see cref="ReconciliationRun"/>) and reads it back for the
/// dashboard: the runs of a window, at most <see cref="MaxRuns"/>, and the latest run's differing batches.
/// </summary>
public static class ReconciliationHistory
{
    /// <summary>The most runs one answer lists.</summary>
    public const int MaxRuns = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stores <paramref name="report"/>'s outcome with its first <see cref="ReconciliationRun.MaxKeptDifferences"/> differing batches.</summary>
    public static async Task SaveAsync(IDbContextFactory<LedgerDbContext> databases, ReconciliationReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(report);
        var differing = report.Batches.Where(IsDifference).Take(ReconciliationRun.MaxKeptDifferences).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.ReconciliationRuns.Add(new ReconciliationRun
        {
            CheckedAt = report.CheckedAt,
            ChainHead = report.ToBlock,
            BatchesChecked = report.Batches.Count,
            Ok = report.Ok,
            Pending = report.Pending,
            Differing = report.Differences,
            DifferencesJson = JsonSerializer.Serialize(differing, Json),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The runs of <paramref name="window"/>, oldest first, and the latest run ever with its differences.</summary>
    public static async Task<ReconciliationActivity> ReadAsync(LedgerDbContext db, DashboardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (start, end) = (window.Start, window.End);
        var runs = await db.ReconciliationRuns.AsNoTracking()
            .Where(r => r.CheckedAt >= start && r.CheckedAt < end)
            .OrderByDescending(r => r.CheckedAt).ThenByDescending(r => r.Id)
            .Take(MaxRuns + 1)
            .ToListAsync(cancellationToken);
        var latest = await db.ReconciliationRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return new ReconciliationActivity(
            window.From, window.To, runs.Count > MaxRuns,
            [.. runs.Take(MaxRuns).Reverse().Select(Summary)],
            latest is null ? null : new ReconciliationRunDetail(
                Summary(latest), JsonSerializer.Deserialize<List<BatchReconciliation>>(latest.DifferencesJson, Json) ?? []));
    }

    private static bool IsDifference(BatchReconciliation batch) =>
        batch.Status is not (BatchReconciliationStatus.Ok or BatchReconciliationStatus.Pending);

    private static ReconciliationRunSummary Summary(ReconciliationRun run) =>
        new(run.CheckedAt.ToUnixTimeSeconds(), run.ChainHead, run.BatchesChecked, run.Ok, run.Pending, run.Differing);
}
