using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Images: reads the invisible watermark once for all of the ledger's keys (<see cref="WatermarkKeyRing"/>)
/// and finds the records of the node that enrolled the key whose MAC it carries with its payload, earliest first. Survives
/// re-encoding and resizing that change every byte. Payloads are public (a record's watermark id), so a
/// node could embed another node's payload with its own key: only the key's own node is searched.
/// </summary>
public sealed class ImageWatermarkTracer(WatermarkKeyRing keys) : IContentTracer
{
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

        // Normally one hit; two keys accepting one payload's tag (chance 2^-26 per pair) are told apart by their records.
        var traces = new List<ContentTrace>();
        foreach (var hit in keys.ReadImageHits(image, cancellationToken).Where(h => h.Payload != 0))
        {
            var match = new VerificationMatch(VerificationMatchMethod.ImageWatermark, null, null, hit.Confidence);
            var records = await FindAsync(hit.Payload, hit.Node, db, maxResults - traces.Count, cancellationToken).ConfigureAwait(false);
            // What a watermark proves is bounded by who holds the key: say so in the answer itself.
            var evidence = $"the image's watermark, whose MAC is the key node {hit.Node} enrolled "
                + "(evidence, not proof: that node and this ledger's operator hold the key and could place the mark, "
                + "and anyone could copy this mark from a picture carrying it)";
            traces.AddRange(records.Select(r => new RecordTrace(r, match, evidence)));
            if (traces.Count >= maxResults)
            {
                break;
            }
        }

        return traces;
    }

    /// <summary>
    /// The records carrying an image watermark payload, earliest first (normally one: payloads are random
    /// 64-bit values): only <paramref name="node"/>'s when the payload was read with that node's key; any
    /// node's when null (a payload given by value, as the soft-binding API receives it, names no key).
    /// </summary>
    public static async Task<IReadOnlyList<StoredRecord>> FindAsync(ulong payload, EvmAddress? node, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        if (payload == 0)
        {
            // A zero watermark id means "no watermark" in a record: it must never match them all.
            return [];
        }

        var marked = RecordLookup.ByWatermark(db, WatermarkIds.FromImagePayload(payload));
        if (node is { } keyNode)
        {
            marked = marked.Where(r => r.Node == keyNode);
        }

        return await marked.Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
