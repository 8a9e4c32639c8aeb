using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The C2PA soft-binding resolution lookups: every record a file, a watermark payload or a perceptual
/// hash leads to, best first, scored for the API. Lists records only; verdicts are <see cref="ContentVerifier"/>'s.
/// </summary>
/// <remarks>Thread-safe; meant to be a singleton.</remarks>
public sealed class SoftBindingLookup
{
    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly UploadReader _uploads;
    private readonly IReadOnlyList<IContentTracer> _tracers;
    private readonly PerceptualHashTracer _perceptual;

    /// <summary>Creates the lookup.</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="uploads">Checks uploads before anything is looked up.</param>
    /// <param name="tracers">The tracers, in the order they are tried; those whose traces name no record are skipped.</param>
    /// <param name="perceptual">The perceptual hash tracer, for lookups by a hash value.</param>
    public SoftBindingLookup(
        IDbContextFactory<LedgerDbContext> databases, UploadReader uploads, IEnumerable<IContentTracer> tracers, PerceptualHashTracer perceptual)
    {
        ArgumentNullException.ThrowIfNull(tracers);
        _databases = databases;
        _uploads = uploads;
        _tracers = [.. tracers.Where(t => t.NamesRecords)];
        _perceptual = perceptual;
    }

    /// <summary>
    /// Every record the file leads to, best first, for the C2PA <c>matches/byContent</c> lookup:
    /// each tracer's records in tracer order (exact hash matches, then the watermark's record, then
    /// perceptual neighbours), without duplicates; later tracers are not asked once there are enough.
    /// </summary>
    /// <exception cref="UnsupportedContentException">As <see cref="ContentVerifier.VerifyFileAsync"/>.</exception>
    public async Task<IReadOnlyList<RecordMatch>> MatchContentAsync(ReadOnlyMemory<byte> file, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var upload = _uploads.Read(file);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<RecordTrace>();
        foreach (var tracer in _tracers)
        {
            var traces = await tracer.TraceAsync(upload, db, maxResults, cancellationToken).ConfigureAwait(false);
            // One record reached twice (its exact bytes and its watermark) is listed once, where first found.
            found.AddRange(traces.OfType<RecordTrace>().Where(t => !found.Exists(f => f.Record.Id == t.Record.Id)).ToList());
            if (found.Count >= maxResults)
            {
                break;
            }
        }

        return [.. found.Take(maxResults).Select(ToRecordMatch)];
    }

    /// <summary>The records carrying an image watermark payload, earliest first (normally one: payloads are random 64-bit values).</summary>
    public async Task<IReadOnlyList<RecordMatch>> MatchWatermarkAsync(ulong payload, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = await ImageWatermarkTracer.FindAsync(payload, node: null, db, maxResults, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new RecordMatch(r.Digest, VerificationMatchMethod.ImageWatermark, 100))];
    }

    /// <summary>The records whose perceptual hash lies within the threshold of <paramref name="hash"/>, nearest first.</summary>
    public async Task<IReadOnlyList<RecordMatch>> MatchPerceptualHashAsync(Bytes32 hash, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (hash.IsZero)
        {
            return [];
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await _perceptual.NearestAsync(hash, db, maxResults, cancellationToken).ConfigureAwait(false);
        return [.. found.Select(ToRecordMatch)];
    }

    private RecordMatch ToRecordMatch(RecordTrace trace) => new(
        trace.Record.Digest,
        trace.Match.Method,
        trace.Match.HammingDistance is { } distance ? Similarity(distance) : 100);

    // 100 for identical hashes, falling linearly to about 0 at the threshold.
    private int Similarity(int distance) => (int)Math.Round(100.0 * (1 - (distance / (_perceptual.Threshold + 1.0))));
}

/// <summary>A record a soft-binding lookup found.</summary>
/// <param name="RecordDigest">The record's id.</param>
/// <param name="Method">How it was found.</param>
/// <param name="SimilarityScore">0 (weakest) to 100 (exact, or a watermark read).</param>
public sealed record RecordMatch(Bytes32 RecordDigest, VerificationMatchMethod Method, int SimilarityScore);
