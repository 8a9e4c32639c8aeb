using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// The batches confirmed in a window, by the time of their block, with their gas per record and
/// how long their records waited from acceptance (<see cref="StoredRecord.ReceivedAt"/>) to anchoring
/// (<see cref="AnchorBatch.AnchoredAt"/>): median and 95th percentile by nearest rank, computed by the
/// database with window functions (both providers run the same SQL) over the <c>(BatchId, Id)</c> index.
/// At most <see cref="MaxBatches"/> batches, the latest, so an answer stays small whatever the window.
/// </summary>
public static class AnchoringQuery
{
    /// <summary>The most batches one answer lists.</summary>
    public const int MaxBatches = 1_000;

    /// <summary>Reads the batches of <paramref name="window"/>.</summary>
    public static async Task<AnchoringActivity> ReadAsync(LedgerDbContext db, DashboardWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (start, end) = (window.Start, window.End);
        var batches = await db.Batches.AsNoTracking()
            .Where(b => b.State == AnchorBatchState.Anchored && b.AnchoredAt >= start && b.AnchoredAt < end)
            .OrderByDescending(b => b.AnchoredAt).ThenByDescending(b => b.Id)
            .Take(MaxBatches + 1)
            .Select(b => new { b.Id, b.ChainBatchId, b.AnchoredAt, b.RecordCount, b.GasUsed })
            .ToListAsync(cancellationToken);
        var truncated = batches.Count > MaxBatches;
        var listed = batches.Take(MaxBatches).ToList();
        if (listed.Count == 0)
        {
            return new AnchoringActivity(window.From, window.To, false, []);
        }

        var (low, high) = (listed.Min(b => b.Id), listed.Max(b => b.Id));
        var delays = (await DelaysAsync(db, low, high, cancellationToken)).ToDictionary(d => d.BatchId);
        var answer = listed
            .OrderBy(b => b.AnchoredAt).ThenBy(b => b.Id)
            .Select(b =>
            {
                var delay = delays.GetValueOrDefault(b.Id);
                return new BatchAnchoring(
                    b.Id, b.ChainBatchId, b.AnchoredAt!.Value.ToUnixTimeSeconds(), b.RecordCount, b.GasUsed,
                    b.GasUsed is { } gas && b.RecordCount > 0 ? (double)gas / b.RecordCount : null,
                    Seconds(delay?.MedianMs), Seconds(delay?.P95Ms), Seconds(delay?.MaxMs));
            })
            .ToList();
        return new AnchoringActivity(window.From, window.To, truncated, answer);
    }

    private static double? Seconds(long? milliseconds) => milliseconds / 1_000.0;

    // Times are stored as Unix milliseconds; the rank of the p-th percentile of n waits is ceil(p * n / 100),
    // in integers (p * n + 99) / 100, so no provider-specific function is needed. A block's time has whole
    // seconds (and a chain's clock is not the ledger's), so a record accepted in the anchoring block's second
    // can seem to wait less than nothing: such a wait counts as zero.
    private static Task<List<BatchDelays>> DelaysAsync(LedgerDbContext db, long low, long high, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<BatchDelays>($"""
            SELECT d."BatchId" AS "BatchId",
                   MAX(CASE WHEN d."Rank" = (d."Count" * 50 + 99) / 100 THEN d."Wait" END) AS "MedianMs",
                   MAX(CASE WHEN d."Rank" = (d."Count" * 95 + 99) / 100 THEN d."Wait" END) AS "P95Ms",
                   MAX(d."Wait") AS "MaxMs"
            FROM (
                SELECT w."BatchId", w."Wait",
                       ROW_NUMBER() OVER (PARTITION BY w."BatchId" ORDER BY w."Wait", w."Id") AS "Rank",
                       COUNT(*) OVER (PARTITION BY w."BatchId") AS "Count"
                FROM (
                    SELECT r."BatchId" AS "BatchId", r."Id" AS "Id",
                           CASE WHEN b."AnchoredAt" > r."ReceivedAt" THEN b."AnchoredAt" - r."ReceivedAt" ELSE 0 END AS "Wait"
                    FROM records r
                    JOIN batches b ON b."Id" = r."BatchId"
                    WHERE r."BatchId" >= {low} AND r."BatchId" <= {high} AND b."State" = {(int)AnchorBatchState.Anchored}
                ) w
            ) d
            GROUP BY d."BatchId"
            """).ToListAsync(cancellationToken);

    /// <summary>One batch's waits, in milliseconds, as the database computes them.</summary>
    private sealed class BatchDelays
    {
        public long BatchId { get; init; }

        public long? MedianMs { get; init; }

        public long? P95Ms { get; init; }

        public long? MaxMs { get; init; }
    }
}
