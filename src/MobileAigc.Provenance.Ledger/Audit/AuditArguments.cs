using System.Globalization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>Parsers of the audit API's query arguments; each failure names the argument.</summary>
internal static class AuditArguments
{
    /// <summary>A 0x-prefixed 32-byte hash, or null when <paramref name="text"/> is null or empty.</summary>
    /// <exception cref="AuditQueryException">When it is malformed.</exception>
    public static Bytes32? Hash(string parameter, string? text) =>
        string.IsNullOrEmpty(text) ? null
        : Bytes32.TryParse(text, out var hash) ? hash
        : throw new AuditQueryException(parameter, $"{parameter} must be a 0x-prefixed 32-byte hex hash; got '{text}'.");

    /// <summary>An address, or null when <paramref name="text"/> is null or empty.</summary>
    /// <exception cref="AuditQueryException">When it is malformed.</exception>
    public static EvmAddress? Address(string parameter, string? text) =>
        string.IsNullOrEmpty(text) ? null
        : EvmAddress.TryParse(text, out var address) ? address
        : throw new AuditQueryException(parameter, $"{parameter} must be an address (0x followed by 40 hex digits); got '{text}'.");

    /// <summary>Unix seconds or an ISO 8601 date-time with offset, or null when <paramref name="text"/> is null or empty.</summary>
    /// <exception cref="AuditQueryException">When it is malformed.</exception>
    public static long? Time(string parameter, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        // An offset is required: a date-time without one would mean the server's zone.
        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10)
            ? time.ToUnixTimeSeconds()
            : throw new AuditQueryException(parameter, $"{parameter} must be Unix seconds or an ISO 8601 date-time with offset (2026-11-30T12:00:00Z); got '{text}'.");
    }
}
