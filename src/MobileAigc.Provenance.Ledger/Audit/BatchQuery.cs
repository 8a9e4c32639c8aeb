using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>An auditor's listing of anchor batches: optionally one state, keyset pages on <see cref="AnchorBatch.Id"/>.</summary>
public sealed record BatchQuery
{
    /// <summary>Only batches in this state. Default: any.</summary>
    public BatchState? State { get; init; }

    /// <summary>Start after this batch id (decoded from the cursor). Default: from the first batch.</summary>
    public long? After { get; init; }

    /// <summary>Batches per page, 1 to <see cref="LedgerAudit.MaxPageSize"/>. Default: <see cref="LedgerAudit.DefaultPageSize"/>.</summary>
    public int PageSize { get; init; } = LedgerAudit.DefaultPageSize;

    /// <summary>Parses the query string of <c>GET api/audit/batches</c>; null or empty means "no filter".</summary>
    /// <param name="state"><c>planned</c>, <c>submitted</c> or <c>anchored</c> (any case).</param>
    /// <param name="cursor">The <c>nextCursor</c> of a previous page.</param>
    /// <param name="limit">The page size.</param>
    /// <exception cref="AuditQueryException">When any of them is malformed.</exception>
    public static BatchQuery Parse(string? state = null, string? cursor = null, string? limit = null) => new()
    {
        State = string.IsNullOrEmpty(state) ? null
            : Enum.GetValues<BatchState>().Select(v => (BatchState?)v)
                .FirstOrDefault(v => string.Equals(v.ToString(), state, StringComparison.OrdinalIgnoreCase))
                ?? throw new AuditQueryException("state", $"state must be planned, submitted or anchored; got '{state}'."),
        After = AuditCursor.Decode(AuditCursor.Batches, cursor),
        PageSize = AuditPageSize.Parse(limit),
    };

    /// <summary>One page of batches and the cursor of the next (null on the last page).</summary>
    public async Task<AuditPage<LedgerBatch>> ReadPageAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var batches = db.Batches.AsNoTracking();
        if (After is { } after)
        {
            batches = batches.Where(b => b.Id > after);
        }

        if (State is { } state)
        {
            var stored = state.ToStored();
            batches = batches.Where(b => b.State == stored);
        }

        var rows = await batches.OrderBy(b => b.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(PageSize).Select(b => b.ToApi()).ToList();
        return new AuditPage<LedgerBatch>(items, rows.Count > PageSize ? AuditCursor.Encode(AuditCursor.Batches, items[^1].Id) : null);
    }

    /// <summary>One batch by its ledger id; null when there is none.</summary>
    public static async Task<LedgerBatch?> FindAsync(LedgerDbContext db, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var batch = await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        return batch?.ToApi();
    }
}
