using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// Records per hour of their signed timestamp, one series per model or per node, counted by the
/// database (GROUP BY hour and key over the <c>(Timestamp, Id)</c> index's range of the window).
/// The number of series is bounded: a window with more keys than the caller accepts is refused,
/// never cut silently, so the plot and its totals always cover every record.
/// </summary>
public sealed record RecordActivityQuery
{
    /// <summary>The window over the records' signed timestamps.</summary>
    public required DashboardWindow Window { get; init; }

    /// <summary>What a series is. Default: one per model.</summary>
    public RecordSeriesKey By { get; init; } = RecordSeriesKey.Model;

    /// <summary>The most series accepted, 1 to <see cref="DashboardSeries.Limit"/>. Default: <see cref="DashboardSeries.DefaultMax"/>.</summary>
    public int MaxSeries { get; init; } = DashboardSeries.DefaultMax;

    /// <summary>Only records of this model. Default: any.</summary>
    public Bytes32? Model { get; init; }

    /// <summary>Only records of this node. Default: any.</summary>
    public EvmAddress? Node { get; init; }

    /// <summary>Only records of this creator. Default: any.</summary>
    public EvmAddress? Creator { get; init; }

    /// <summary>Parses the query string of <c>GET api/dashboard/records-per-hour</c>.</summary>
    /// <exception cref="AuditQueryException">When an argument is malformed or the window too long.</exception>
    public static RecordActivityQuery Parse(
        DashboardWindow window, string? by = null, string? series = null, string? model = null, string? node = null, string? creator = null) => new()
    {
        Window = window,
        By = DashboardSeries.ParseKey(by),
        MaxSeries = DashboardSeries.ParseMax(series),
        Model = AuditArguments.Hash("model", model),
        Node = AuditArguments.Address("node", node),
        Creator = AuditArguments.Address("creator", creator),
    };

    /// <summary>Counts the window's records per hour and key.</summary>
    /// <exception cref="AuditQueryException">When the window holds more keys than <see cref="MaxSeries"/> (parameter <c>series</c>).</exception>
    public Task<RecordActivity> ReadAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return By == RecordSeriesKey.Model
            ? ReadAsync(db, r => new KeyedHour<Bytes32> { Key = r.ModelHash, Hour = r.Timestamp / DashboardWindow.BucketSeconds }, cancellationToken)
            : ReadAsync(db, r => new KeyedHour<EvmAddress> { Key = r.Node, Hour = r.Timestamp / DashboardWindow.BucketSeconds }, cancellationToken);
    }

    /// <summary>The window's records after the filters.</summary>
    internal IQueryable<StoredRecord> Records(LedgerDbContext db)
    {
        var (from, to) = (Window.From, Window.To);
        var records = db.Records.AsNoTracking().Where(r => r.Timestamp >= from && r.Timestamp <= to);
        if (Model is { } model)
        {
            records = records.Where(r => r.ModelHash == model);
        }

        if (Node is { } node)
        {
            records = records.Where(r => r.Node == node);
        }

        if (Creator is { } creator)
        {
            records = records.Where(r => r.Creator == creator);
        }

        return records;
    }

    private async Task<RecordActivity> ReadAsync<TKey>(
        LedgerDbContext db, Expression<Func<StoredRecord, KeyedHour<TKey>>> keyed, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var rows = Records(db).Select(keyed);
        var keys = await rows.Select(r => r.Key).Distinct().CountAsync(cancellationToken);
        if (keys > MaxSeries)
        {
            throw new AuditQueryException("series", $"The window holds {keys} {By.ToString().ToLowerInvariant()}s, more than the {MaxSeries} series asked for "
                + $"(series, at most {DashboardSeries.Limit}): filter by model, node or creator, or narrow the window.");
        }

        var counts = await rows
            .GroupBy(r => new { r.Key, r.Hour })
            .Select(g => new { g.Key.Key, g.Key.Hour, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        var series = counts
            .GroupBy(c => c.Key)
            .Select(g => new ActivitySeries(
                g.Key.ToString()!.ToLowerInvariant(),
                g.Sum(c => c.Count),
                [.. g.OrderBy(c => c.Hour).Select(c => new HourCount(c.Hour * DashboardWindow.BucketSeconds, c.Count))]))
            .OrderByDescending(s => s.Total).ThenBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        return new RecordActivity(Window.From, Window.To, DashboardWindow.BucketSeconds, By.ToString().ToLowerInvariant(), series.Sum(s => s.Total), series);
    }

    /// <summary>A record's series key and hour (Unix seconds / 3,600), as the database groups them.</summary>
    private sealed class KeyedHour<TKey>
    {
        public required TKey Key { get; init; }

        public required long Hour { get; init; }
    }
}
