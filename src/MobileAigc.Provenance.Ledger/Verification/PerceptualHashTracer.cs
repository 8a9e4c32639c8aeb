using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Images: the records whose perceptual hash lies within <see cref="VerificationOptions.PerceptualHashThreshold"/>
/// of the upload's, nearest first, from the in-memory <see cref="PerceptualHashIndex"/>. Skipped for
/// images whose hash quality is below <see cref="VerificationOptions.MinimumPerceptualHashQuality"/>
/// (flat images hash alike).
/// </summary>
public sealed class PerceptualHashTracer : IContentTracer
{
    private readonly PerceptualHashIndexSync _index;
    private readonly VerificationOptions _options;

    /// <summary>Creates the tracer over the shared index.</summary>
    public PerceptualHashTracer(PerceptualHashIndexSync index, IOptions<VerificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _options = options.Value;
    }

    /// <summary>The largest Hamming distance counted as a match.</summary>
    public int Threshold => _options.PerceptualHashThreshold;

    /// <inheritdoc />
    public bool NamesRecords => true;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.Image is not { } image)
        {
            return [];
        }

        var hash = PerceptualHasher.Compute(image);
        return hash.Quality < _options.MinimumPerceptualHashQuality
            ? []
            : await NearestAsync(hash.Bits, db, maxResults, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The records within the threshold of <paramref name="hash"/>, nearest first.</summary>
    public async Task<IReadOnlyList<RecordTrace>> NearestAsync(Bytes32 hash, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);

        // Records ingested a moment ago (here or by another replica) are searchable at once.
        await _index.CatchUpAsync(lookBack: false, cancellationToken).ConfigureAwait(false);
        var threshold = _options.PerceptualHashThreshold;
        var nearest = _index.Index.Search(hash, threshold, maxResults);
        if (nearest.Count == 0)
        {
            return [];
        }

        var ids = nearest.Select(n => n.RecordId).ToList();
        var records = await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken).ConfigureAwait(false);
        return [.. nearest
            .Where(n => records.ContainsKey(n.RecordId))
            .Select(n => new RecordTrace(
                records[n.RecordId],
                new VerificationMatch(VerificationMatchMethod.PerceptualHash, n.Distance, threshold, null),
                $"the image's perceptual hash ({n.Distance} of 256 bits differ)"))];
    }
}
