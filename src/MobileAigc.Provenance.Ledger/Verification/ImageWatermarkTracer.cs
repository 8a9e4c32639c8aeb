using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Images: reads the invisible watermark with each of the ledger's keys (<see cref="WatermarkKeyRing"/>)
/// and finds the records carrying its payload, earliest first. Survives re-encoding and resizing that
/// change every byte.
/// </summary>
public sealed class ImageWatermarkTracer(WatermarkKeyRing keys) : IContentTracer
{
    /// <inheritdoc />
    public bool NamesRecords => true;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.Image is not { } image || keys.ReadImage(image, cancellationToken) is not { Payload: not 0 } hit)
        {
            return [];
        }

        var match = new VerificationMatch(VerificationMatchMethod.ImageWatermark, null, null, hit.Confidence);
        var records = await FindAsync(hit.Payload, db, maxResults, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new RecordTrace(r, match, "the image's watermark"))];
    }

    /// <summary>The records carrying an image watermark payload, earliest first (normally one: payloads are random 64-bit values).</summary>
    public static async Task<IReadOnlyList<StoredRecord>> FindAsync(ulong payload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        if (payload == 0)
        {
            // A zero watermark id means "no watermark" in a record: it must never match them all.
            return [];
        }

        return await RecordLookup.ByWatermark(db, WatermarkIds.FromImagePayload(payload))
            .Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
