using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The C2PA soft-binding resolution lookups: every record a file, a watermark payload, a perceptual
/// hash or a PDQ hash leads to, best first, scored for the API. Lists only records whose C2PA manifest store the ledger
/// keeps (<see cref="ManifestStoreKeeper"/>), so that every match can be fetched by its manifest id.
/// Verdicts are <see cref="ContentVerifier"/>'s.
/// </summary>
/// <remarks>Thread-safe; meant to be a singleton.</remarks>
public sealed class SoftBindingLookup
{
    /// <summary>
    /// The most matches one query lists. The specification sets no maximum for <c>maxResults</c>, so a
    /// larger one is not refused: it is lowered to this.
    /// </summary>
    public const int MaxMatches = 100;

    // Candidates asked of each strategy per wanted match: some records have no manifest store to list.
    private const int CandidatesPerMatch = 4;

    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly UploadReader _uploads;
    private readonly IReadOnlyList<IContentTracer> _tracers;
    private readonly PerceptualHashTracer _perceptual;
    private readonly PdqTracer? _pdq;
    private readonly ImageWatermarkTracer? _imageWatermark;
    private readonly TextWatermarkTracer? _textWatermark;

    /// <summary>Creates the lookup.</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="uploads">Checks uploads before anything is looked up.</param>
    /// <param name="tracers">The tracers, in the order they are tried; those whose traces name no record are asked only for text candidates.</param>
    /// <param name="perceptual">The perceptual hash tracer, for lookups by a hash value.</param>
    public SoftBindingLookup(
        IDbContextFactory<LedgerDbContext> databases, UploadReader uploads, IEnumerable<IContentTracer> tracers, PerceptualHashTracer perceptual)
    {
        ArgumentNullException.ThrowIfNull(tracers);
        var all = tracers.ToList();
        _databases = databases;
        _uploads = uploads;
        _tracers = [.. all.Where(t => t.NamesRecords)];
        _perceptual = perceptual;
        _pdq = all.OfType<PdqTracer>().FirstOrDefault();
        _imageWatermark = all.OfType<ImageWatermarkTracer>().FirstOrDefault();
        _textWatermark = all.OfType<TextWatermarkTracer>().FirstOrDefault();
    }

    /// <summary>True when <paramref name="alg"/> is one of the algorithms this lookup runs.</summary>
    public static bool Supports(string alg) => alg is SoftBindingAlgorithms.ImageWatermark or SoftBindingAlgorithms.PerceptualHash or SoftBindingAlgorithms.Pdq;

    /// <summary>
    /// Every record the file leads to, best first, for the C2PA <c>matches/byContent</c> lookup. With
    /// <paramref name="alg"/>, only that algorithm is run on the file (the image watermark is read, or the
    /// perceptual hash computed and searched). Without it, each strategy in tracer order (exact hash, image
    /// watermark, perceptual neighbours; for text, the text watermark's candidate records), each record
    /// listed once where first found; later strategies are not asked once there are enough.
    /// </summary>
    /// <param name="file">The uploaded file.</param>
    /// <param name="alg">A supported algorithm (<see cref="Supports"/>), or null for all strategies.</param>
    /// <param name="maxResults">At least 1; above <see cref="MaxMatches"/> it is lowered to it.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <exception cref="UnsupportedContentException">As <see cref="ContentVerifier.VerifyFileAsync"/>.</exception>
    /// <exception cref="ArgumentException">When <paramref name="alg"/> is not supported.</exception>
    public async Task<IReadOnlyList<RecordMatch>> MatchContentAsync(
        ReadOnlyMemory<byte> file, string? alg, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (alg is not null && !Supports(alg))
        {
            throw new ArgumentException($"'{alg}' is not an algorithm this lookup runs.", nameof(alg));
        }

        var max = Math.Min(maxResults, MaxMatches);
        var upload = _uploads.Read(file);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<RecordMatch>();
        foreach (var strategy in Strategies(alg))
        {
            var traces = await strategy(upload, db, max * CandidatesPerMatch, cancellationToken).ConfigureAwait(false);
            var candidates = traces.Where(t => !found.Exists(f => f.RecordDigest == t.Record.Digest)).DistinctBy(t => t.Record.Digest).ToList();
            var listable = await ManifestStoreKeeper.WithStoresAsync(db, [.. candidates.Select(t => t.Record.Digest)], cancellationToken).ConfigureAwait(false);
            // One record reached twice (its exact bytes and its watermark) is listed once, where first found.
            found.AddRange(candidates.Where(t => listable.Contains(t.Record.Digest)).Select(ToRecordMatch));
            if (found.Count >= max)
            {
                break;
            }
        }

        return [.. found.Take(max)];
    }

    /// <summary>The records carrying an image watermark payload, earliest first (normally one: payloads are random 64-bit values).</summary>
    /// <remarks>Scored 100: the value is given, not read from pixels, so there is no reading to doubt.</remarks>
    public async Task<IReadOnlyList<RecordMatch>> MatchWatermarkAsync(ulong payload, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var max = Math.Min(maxResults, MaxMatches);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = await ImageWatermarkTracer.FindAsync(payload, node: null, db, max * CandidatesPerMatch, cancellationToken).ConfigureAwait(false);
        var listable = await ManifestStoreKeeper.WithStoresAsync(db, [.. records.Select(r => r.Digest)], cancellationToken).ConfigureAwait(false);
        return [.. records.Where(r => listable.Contains(r.Digest)).Take(max).Select(r => new RecordMatch(r.Digest, VerificationMatchMethod.ImageWatermark, 100))];
    }

    /// <summary>The records whose perceptual hash lies within the threshold of <paramref name="hash"/>, nearest first.</summary>
    public Task<IReadOnlyList<RecordMatch>> MatchPerceptualHashAsync(Bytes32 hash, int maxResults, CancellationToken cancellationToken) =>
        MatchHashAsync(hash, maxResults, _perceptual.NearestAsync, cancellationToken);

    /// <summary>
    /// The records whose signed PDQ hash lies within the PDQ threshold of <paramref name="hash"/> (as given: a caller who wants
    /// turned and mirrored copies sends the file to <see cref="MatchContentAsync"/>, or each of its eight hashes), nearest first.
    /// </summary>
    public Task<IReadOnlyList<RecordMatch>> MatchPdqAsync(Bytes32 hash, int maxResults, CancellationToken cancellationToken) => _pdq is { } pdq
        ? MatchHashAsync(hash, maxResults, (h, db, n, ct) => pdq.NearestAsync(new PdqHash(h), db, n, ct), cancellationToken)
        : Task.FromResult<IReadOnlyList<RecordMatch>>([]);

    private async Task<IReadOnlyList<RecordMatch>> MatchHashAsync(
        Bytes32 hash, int maxResults, Func<Bytes32, LedgerDbContext, int, CancellationToken, Task<IReadOnlyList<RecordTrace>>> nearest,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (hash.IsZero)
        {
            return [];
        }

        var max = Math.Min(maxResults, MaxMatches);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await nearest(hash, db, max * CandidatesPerMatch, cancellationToken).ConfigureAwait(false);
        var listable = await ManifestStoreKeeper.WithStoresAsync(db, [.. found.Select(t => t.Record.Digest)], cancellationToken).ConfigureAwait(false);
        return [.. found.Where(t => listable.Contains(t.Record.Digest)).Take(max).Select(ToRecordMatch)];
    }

    private IEnumerable<Func<ContentUpload, LedgerDbContext, int, CancellationToken, Task<IReadOnlyList<RecordTrace>>>> Strategies(string? alg)
    {
        switch (alg)
        {
            case SoftBindingAlgorithms.ImageWatermark:
                if (_imageWatermark is { } image)
                {
                    yield return (u, db, n, ct) => RecordTracesAsync(image, u, db, n, ct);
                }

                break;
            case SoftBindingAlgorithms.PerceptualHash:
                yield return (u, db, n, ct) => RecordTracesAsync(_perceptual, u, db, n, ct);
                break;
            case SoftBindingAlgorithms.Pdq:
                if (_pdq is { } pdq)
                {
                    yield return (u, db, n, ct) => RecordTracesAsync(pdq, u, db, n, ct);
                }

                break;
            default:
                foreach (var tracer in _tracers)
                {
                    yield return (u, db, n, ct) => RecordTracesAsync(tracer, u, db, n, ct);
                }

                if (_textWatermark is { } text)
                {
                    yield return text.CandidateRecordsAsync;
                }

                break;
        }
    }

    private static async Task<IReadOnlyList<RecordTrace>> RecordTracesAsync(
        IContentTracer tracer, ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken) =>
        [.. (await tracer.TraceAsync(upload, db, maxResults, cancellationToken).ConfigureAwait(false)).OfType<RecordTrace>()];

    private static RecordMatch ToRecordMatch(RecordTrace trace) => new(trace.Record.Digest, trace.Match.Method, Score(trace.Match));

    // similarityScore, 0 (weakest) to 100 (strongest): exact bytes 100; an image watermark its reading's
    // confidence; a text watermark one minus its chance without the mark; a perceptual hash (ours or PDQ) 100 when
    // equal, falling linearly to about 0 at its threshold.
    private static int Score(VerificationMatch match) => Math.Clamp(match switch
    {
        { HammingDistance: { } distance, Threshold: { } threshold } => (int)Math.Round(100.0 * (1 - (distance / (threshold + 1.0)))),
        { WatermarkConfidence: { } confidence } => (int)Math.Round(100.0 * confidence),
        { TextWatermark: { } text } => (int)Math.Round(100.0 * (1 - text.AdjustedPValue)),
        _ => 100,
    }, 0, 100);
}

/// <summary>A record a soft-binding lookup found.</summary>
/// <param name="RecordDigest">The record's id.</param>
/// <param name="Method">How it was found.</param>
/// <param name="SimilarityScore">0 (weakest) to 100 (strongest).</param>
public sealed record RecordMatch(Bytes32 RecordDigest, VerificationMatchMethod Method, int SimilarityScore)
{
    /// <summary>The C2PA manifest id of the record's manifest: <see cref="RecordManifestLabel.For"/> of its digest.</summary>
    public string ManifestId => RecordManifestLabel.For(RecordDigest);
}
