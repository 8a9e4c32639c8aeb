using System.Globalization;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>Parses the <c>limit</c> of a page.</summary>
internal static class AuditPageSize
{
    /// <summary>
    /// <see cref="LedgerAudit.DefaultPageSize"/> when absent; otherwise an integer from 1 to
    /// <see cref="LedgerAudit.MaxPageSize"/>.
    /// </summary>
    /// <exception cref="AuditQueryException">When it is not such an integer.</exception>
    public static int Parse(string? limit)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return LedgerAudit.DefaultPageSize;
        }

        return int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= LedgerAudit.MaxPageSize
            ? size
            : throw new AuditQueryException("limit", $"limit must be an integer from 1 to {LedgerAudit.MaxPageSize}; got '{limit}'.");
    }
}
