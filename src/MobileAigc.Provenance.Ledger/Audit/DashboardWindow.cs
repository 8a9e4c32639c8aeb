using System.Globalization;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// The time window of a dashboard aggregation: Unix seconds, both ends inclusive (as the
/// <c>from</c> and <c>to</c> filters of <c>api/audit/records</c>), at most <see cref="MaxLength"/> long,
/// so that every aggregation reads a bounded range of an index.
/// </summary>
/// <param name="From">The first second in the window.</param>
/// <param name="To">The last second in the window.</param>
public readonly record struct DashboardWindow(long From, long To)
{
    /// <summary>The longest window: 31 days.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    /// <summary>The window when none is given: the last 24 hours.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(24);

    /// <summary>The width of a time bucket of the per-hour series, in seconds.</summary>
    public const int BucketSeconds = 3_600;

    /// <summary>The window's start as a time.</summary>
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(From);

    /// <summary>The first instant after the window (exclusive bound for millisecond columns).</summary>
    public DateTimeOffset End => DateTimeOffset.FromUnixTimeSeconds(To + 1);

    /// <summary>
    /// Parses <c>from</c> and <c>to</c> (Unix seconds or ISO 8601 with offset, either may be absent):
    /// <c>to</c> defaults to now, <c>from</c> to <see cref="DefaultLength"/> before <c>to</c>.
    /// </summary>
    /// <param name="from">The window's first second.</param>
    /// <param name="to">The window's last second.</param>
    /// <param name="now">The current time.</param>
    /// <exception cref="AuditQueryException">When either is malformed, <c>from</c> is after <c>to</c>, or the window is longer than <see cref="MaxLength"/>.</exception>
    public static DashboardWindow Parse(string? from, string? to, DateTimeOffset now)
    {
        var end = AuditArguments.Time("to", to) ?? now.ToUnixTimeSeconds();
        var start = AuditArguments.Time("from", from) ?? end - (long)DefaultLength.TotalSeconds;
        if (start > end)
        {
            throw new AuditQueryException("from", $"from ({start}) is after to ({end}).");
        }

        if (end - start > (long)MaxLength.TotalSeconds)
        {
            throw new AuditQueryException("from", string.Create(CultureInfo.InvariantCulture,
                $"The window from {start} to {end} spans {(end - start) / 86_400.0:0.#} days; at most {MaxLength.TotalDays} days are aggregated at once."));
        }

        return new DashboardWindow(start, end);
    }
}
