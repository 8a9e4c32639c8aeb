using System.Globalization;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>How the per-hour record counts are split into series.</summary>
public enum RecordSeriesKey
{
    /// <summary>One series per model hash.</summary>
    Model,

    /// <summary>One series per node address.</summary>
    Node,
}

/// <summary>Parsers of the dashboard's series arguments.</summary>
public static class DashboardSeries
{
    /// <summary>The series drawn when <c>series</c> is not given.</summary>
    public const int DefaultMax = 12;

    /// <summary>The most series one answer holds.</summary>
    public const int Limit = 50;

    /// <summary><c>model</c> (default) or <c>node</c>, any case.</summary>
    /// <exception cref="AuditQueryException">For anything else.</exception>
    public static RecordSeriesKey ParseKey(string? by) =>
        string.IsNullOrEmpty(by) ? RecordSeriesKey.Model
        : Enum.TryParse<RecordSeriesKey>(by, ignoreCase: true, out var key) && Enum.IsDefined(key) && !char.IsDigit(by[0]) ? key
        : throw new AuditQueryException("by", $"by must be model or node; got '{by}'.");

    /// <summary>The most series the caller accepts: <see cref="DefaultMax"/> when absent, otherwise 1 to <see cref="Limit"/>.</summary>
    /// <exception cref="AuditQueryException">When it is not such an integer.</exception>
    public static int ParseMax(string? series) =>
        string.IsNullOrEmpty(series) ? DefaultMax
        : int.TryParse(series, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max is >= 1 and <= Limit ? max
        : throw new AuditQueryException("series", $"series must be an integer from 1 to {Limit}; got '{series}'.");
}
