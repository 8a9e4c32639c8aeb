using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The exact match: records whose content hash, or the hash of the file their node delivered
/// (<see cref="StoredRecord.DeliveredFileHash"/>), is the SHA-256 of the bytes (of an image, first without its
/// C2PA manifest store, then as uploaded), earliest anchored first whichever hash matched (the same
/// bytes generated twice: the first claim answers). The only tracer that works from a hash alone.
/// </summary>
public sealed class ContentHashTracer : IContentTracer
{
    private static readonly VerificationMatch ByContentHash = new(VerificationMatchMethod.ContentHash, null, null, null, MatchedBy: ExactHashMatch.ContentHash);
    private static readonly VerificationMatch ByDeliveredFile = new(VerificationMatchMethod.ContentHash, null, null, null, MatchedBy: ExactHashMatch.DeliveredFile);

    // A compiled query belongs to one model, and a process (the tests) may open SQLite and PostgreSQL ledgers: one per model.
    private static readonly ConcurrentDictionary<IModel, Func<LedgerDbContext, Bytes32, int, IAsyncEnumerable<StoredRecord>>> ExactHashLookups = new();

    private static Func<LedgerDbContext, Bytes32, int, IAsyncEnumerable<StoredRecord>> CompileExactHashLookup() => EF.CompileAsyncQuery(
        (LedgerDbContext db, Bytes32 hash, int limit) =>
            db.Records.AsNoTracking().Where(r => r.ContentHash == hash).OrderBy(r => r.Id).Take(limit)
                .Concat(db.Records.AsNoTracking().Where(r => r.DeliveredFileHash == hash).OrderBy(r => r.Id).Take(limit)));

    /// <inheritdoc />
    public bool NamesRecords => true;

    /// <inheritdoc />
    public Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return TraceAnyAsync(upload.ExactHashes, db, maxResults, cancellationToken);
    }

    /// <summary>
    /// The records of the first of <paramref name="hashes"/> that has any: a delivered file is found by the
    /// hash of its asset without the manifest store (the record's content hash) or by its own.
    /// </summary>
    public async Task<IReadOnlyList<ContentTrace>> TraceAnyAsync(IEnumerable<Bytes32> hashes, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        foreach (var hash in hashes)
        {
            var traces = await TraceAsync(hash, db, maxResults, cancellationToken).ConfigureAwait(false);
            if (traces.Count > 0)
            {
                return traces;
            }
        }

        return [];
    }

    /// <summary>
    /// The records of the bytes whose SHA-256 is <paramref name="contentHash"/>: by content hash or by delivered file,
    /// earliest anchored first (id order, <see cref="RecordLookup"/>); a record matching both is listed once, as by content hash.
    /// </summary>
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(Bytes32 contentHash, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Two probes, one per index, in one round trip (UNION ALL of the two limited lookups), merged in id order: an OR of
        // the two columns may lead a planner to walk the primary key. A record found by both is then listed once, by content.
        // Compiled once (the same lookups as RecordLookup's): verification by hash is the ledger's most frequent request.
        var found = new List<StoredRecord>(2 * maxResults);
        await foreach (var record in ExactHashLookups.GetOrAdd(db.Model, static _ => CompileExactHashLookup())(db, contentHash, maxResults).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            found.Add(record);
        }

        return
        [
            .. found.Where(r => r.ContentHash == contentHash).DistinctBy(r => r.Id).Select(r => new RecordTrace(r, ByContentHash, "the exact bytes"))
                .Concat(found.Where(r => r.ContentHash != contentHash).Select(r => new RecordTrace(r, ByDeliveredFile, "the exact bytes of the file its node delivered")))
                .OrderBy(t => t.Record.Id)
                .Take(maxResults),
        ];
    }
}
