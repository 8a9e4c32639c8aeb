using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Images: the records whose signed PDQ hash lies within <see cref="VerificationOptions.PdqThreshold"/> of any of the
/// upload's eight dihedral PDQ hashes (so a turned or mirrored copy finds its record), nearest first, from the in-memory
/// index <see cref="PdqIndexSync"/> keeps. Tried after <see cref="PerceptualHashTracer"/>, whose hash is the tighter
/// same-picture test but is not turned or mirrored.
/// </summary>
/// <remarks>
/// Uploads whose PDQ quality is below <see cref="VerificationOptions.MinimumPdqQuality"/> match nothing (a near-blank
/// picture hashes like every other near-blank one), and records that signed such a hash are not indexed. A PDQ match says
/// the pictures look alike, never that they are the same: the verdict is at most <see cref="VerificationVerdict.ModifiedButTraced"/>.
/// A stored PDQ that does not hash to the record's signed extensions (the database was altered) is never reported.
/// Thread-safe; a singleton.
/// </remarks>
public sealed class PdqTracer : IContentTracer
{
    private readonly PdqIndexSync _index;
    private readonly VerificationOptions _options;

    /// <summary>Creates the tracer over the shared PDQ index.</summary>
    public PdqTracer(PdqIndexSync index, IOptions<VerificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _index = index;
        _options = options.Value;
    }

    /// <inheritdoc />
    public bool NamesRecords => true;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.Image is not { } image || image.Width < PdqHasher.MinimumSide || image.Height < PdqHasher.MinimumSide)
        {
            return [];
        }

        var hashes = PdqHasher.ComputeDihedral(image);
        return hashes.Quality < _options.MinimumPdqQuality
            ? []
            : await NearestAsync([.. hashes.All], db, maxResults, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The records within the threshold of <paramref name="hash"/> as given (a binding value: no turns), nearest first.</summary>
    public Task<IReadOnlyList<RecordTrace>> NearestAsync(PdqHash hash, LedgerDbContext db, int maxResults, CancellationToken cancellationToken) =>
        NearestAsync([(PdqDihedral.Original, hash)], db, maxResults, cancellationToken);

    private async Task<IReadOnlyList<RecordTrace>> NearestAsync(
        IReadOnlyList<(PdqDihedral Form, PdqHash Hash)> queries, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);

        // Records ingested a moment ago (here or by another replica) are searchable at once.
        await _index.CatchUpAsync(lookBack: false, cancellationToken).ConfigureAwait(false);
        var threshold = _options.PdqThreshold;
        var nearest = _index.Index.SearchAny([.. queries.Select(q => q.Hash.Bits)], threshold, maxResults);
        if (nearest.Count == 0)
        {
            return [];
        }

        var ids = nearest.Select(n => n.RecordId).ToList();
        var records = await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken).ConfigureAwait(false);
        // The index was loaded from the stored PDQ columns: a row whose PDQ is not the one its node signed (the database was
        // altered to attach a picture to someone else's record) leads nowhere.
        return [.. nearest
            .Where(n => records.TryGetValue(n.RecordId, out var record) && record.ExtensionsHold())
            .Select(n => new RecordTrace(
                records[n.RecordId],
                new VerificationMatch(VerificationMatchMethod.Pdq, n.Distance, threshold, null),
                Evidence(queries[n.Query].Form, n.Distance)))];
    }

    private static string Evidence(PdqDihedral form, int distance) => string.Create(CultureInfo.InvariantCulture,
        $"the image's PDQ hash{Described(form)} ({distance} of 256 bits differ: a similar picture, not the same bytes)");

    // How the upload was turned to match: the form of the upload's hash that lay nearest the record's.
    private static string Described(PdqDihedral form) => form switch
    {
        PdqDihedral.Original => "",
        PdqDihedral.Rotate90 => " once the upload is turned 90° anticlockwise",
        PdqDihedral.Rotate180 => " once the upload is turned 180°",
        PdqDihedral.Rotate270 => " once the upload is turned 90° clockwise",
        PdqDihedral.FlipX => " once the upload is flipped upside down",
        PdqDihedral.FlipY => " once the upload is mirrored left to right",
        PdqDihedral.FlipPlus1 => " once the upload is transposed (mirrored across its main diagonal)",
        PdqDihedral.FlipMinus1 => " once the upload is mirrored across its anti-diagonal",
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };
}
