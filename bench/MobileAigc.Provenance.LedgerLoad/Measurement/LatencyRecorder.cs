namespace MobileAigc.Provenance.LedgerLoad.Measurement;

/// <summary>
/// Collects latencies in whole microseconds and summarises them exactly (every value is kept,
/// sorted once, nearest-rank percentiles): at a few hundred requests per second for tens of
/// seconds that is a few thousand values, so no bucketing error is worth accepting. Thread-safe.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly List<long> _micros = [];

    /// <summary>Adds one latency; negative values (a clock step) count as zero.</summary>
    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(0, latency.Ticks / TimeSpan.TicksPerMicrosecond);
        lock (_lock)
        {
            _micros.Add(micros);
        }
    }

    /// <summary>How many values were recorded so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _micros.Count;
            }
        }
    }

    /// <summary>The values recorded so far, summarised.</summary>
    /// <exception cref="InvalidOperationException">When nothing was recorded.</exception>
    public LatencySummary Summarise()
    {
        long[] sorted;
        lock (_lock)
        {
            sorted = [.. _micros];
        }

        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No latency was recorded.");
        }

        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            Percentile(sorted, 50),
            Percentile(sorted, 90),
            Percentile(sorted, 99),
            Percentile(sorted, 99.9),
            sorted[^1],
            sorted.Average());
    }

    /// <summary>Nearest-rank percentile: the smallest value with at least <paramref name="percent"/> % of the values at or below it.</summary>
    public static long Percentile(IReadOnlyList<long> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}

/// <summary>Latencies in microseconds.</summary>
/// <param name="Count">How many values.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Mean">Arithmetic mean.</param>
public readonly record struct LatencySummary(int Count, long P50, long P90, long P99, long P999, long Max, double Mean);
