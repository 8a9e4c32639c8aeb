using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The exact match: records whose content hash is the SHA-256 of the bytes, earliest first (the same
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
        return TraceAsync(upload.ContentHash, db, maxResults, cancellationToken);
    }

    /// <summary>The records of the bytes whose SHA-256 is <paramref name="contentHash"/>, earliest first.</summary>
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(Bytes32 contentHash, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var records = await RecordLookup.ByContentHash(db, contentHash).Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new RecordTrace(r, Exact, "the exact bytes"))];
    }
}
