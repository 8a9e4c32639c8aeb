using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Keeps a <see cref="PerceptualHashIndex"/> equal to one hash column of the records table (<see cref="Select"/>): loads
/// every hash at start, then adds new rows by the records' <c>Id</c> cursor (other replicas ingest into the same
/// database, so the table, not this process, is the source).
/// </summary>
/// <remarks>
/// <para>Late commits: on PostgreSQL an identity value is taken when a row is inserted, not when it
/// commits, so a row with a lower id could become visible after a higher one was read, and a cursor
/// alone would skip it for ever. Ingest prevents this by inserting under one advisory lock held to
/// the commit (<see cref="StoredRecordBulkInsert"/>); the look-back stays as a guard for rows written
/// without it (a replica of an older version during a rolling upgrade, a manual repair). <see cref="CatchUpAsync"/> with <c>lookBack</c> therefore re-reads the last
/// <see cref="VerificationOptions.IndexLookbackRecords"/> ids below the cursor and adds the ones not
/// seen yet (the refresher does this on every tick; a request-time catch-up reads only past the cursor).</para>
/// <para>Calls are serialised; a catch-up that finds nothing new costs one indexed range query.</para>
/// </remarks>
public abstract partial class HashIndexSync(
    PerceptualHashIndex index,
    IDbContextFactory<LedgerDbContext> databases,
    Microsoft.Extensions.Options.IOptions<VerificationOptions> options,
    ILogger logger)
{
    private const int PageSize = 20_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<long> _recentIds = [];
    private long _cursor;

    /// <summary>The index being kept.</summary>
    public PerceptualHashIndex Index => index;

    /// <summary>What the index holds, for logs: "perceptual hash", "PDQ".</summary>
    public abstract string HashName { get; }

    /// <summary>The highest record id read so far.</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    /// <summary>
    /// Adds every record past the cursor (all of them the first time) and, when <paramref name="lookBack"/>,
    /// the late-committed ones just below it.
    /// </summary>
    /// <returns>How many hashes were added.</returns>
    public async Task<int> CatchUpAsync(bool lookBack, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lookback = options.Value.IndexLookbackRecords;
            var added = 0;
            var from = lookBack ? Math.Max(0, _cursor - lookback) : _cursor;
            await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var page = await Select(db.Records.AsNoTracking().Where(r => r.Id > from).OrderBy(r => r.Id))
                    .Take(PageSize)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
                foreach (var row in page)
                {
                    var seen = row.Id <= _cursor && (row.Id <= _cursor - lookback || _recentIds.Contains(row.Id));
                    if (seen)
                    {
                        continue;
                    }

                    if (row.Id <= _cursor)
                    {
                        LogLateRecord(logger, HashName, row.Id, _cursor);
                    }

                    _recentIds.Add(row.Id);
                    if (index.Add(row.Id, row.Hash))
                    {
                        added++;
                    }
                }

                if (page.Count > 0)
                {
                    Interlocked.Exchange(ref _cursor, Math.Max(_cursor, page[^1].Id));
                    from = page[^1].Id;

                    // Bounded by a page plus the look-back window, even during the first load of millions.
                    _recentIds.RemoveWhere(id => id <= _cursor - lookback);
                }

                if (page.Count < PageSize)
                {
                    break;
                }
            }

            return added;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The rows to index among <paramref name="records"/> (past the cursor, in id order), as a query the database runs: rows
    /// whose hash must never match are left out here, so they are never loaded.
    /// </summary>
    protected abstract IQueryable<IndexedHash> Select(IQueryable<StoredRecord> records);

    [LoggerMessage(Level = LogLevel.Information, Message = "{HashName} index: record {RecordId} committed after the cursor passed it ({Cursor}); added now.")]
    private static partial void LogLateRecord(ILogger logger, string hashName, long recordId, long cursor);

    /// <summary>One row's hash to index.</summary>
    /// <param name="Id">The record's row id.</param>
    /// <param name="Hash">Its hash; zero hashes are not indexed.</param>
    protected sealed record IndexedHash(long Id, Bytes32 Hash);
}
