using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The exact match: records whose content hash is the SHA-256 of the bytes (of an image, first without its
/// C2PA manifest store, then as uploaded), earliest first (the same
/// bytes generated twice: the first claim answers). The only tracer that works from a hash alone.
/// </summary>
public sealed class ContentHashTracer : IContentTracer
{
    private static readonly VerificationMatch Exact = new(VerificationMatchMethod.ContentHash, null, null, null);

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

    /// <summary>The records of the bytes whose SHA-256 is <paramref name="contentHash"/>, earliest first.</summary>
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(Bytes32 contentHash, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var records = await RecordLookup.ByContentHash(db, contentHash).Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new RecordTrace(r, Exact, "the exact bytes"))];
    }
}
