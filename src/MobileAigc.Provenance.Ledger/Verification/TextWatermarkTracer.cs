using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Text: the nodes' green-list watermark (<see cref="TextWatermarkDetector"/>, with the configured keys
/// and the tokenizers of the configured text models). That watermark names its key, not a record, so
/// edited text is traced to its node and model (<see cref="OriginTrace"/>), with no single record.
/// </summary>
/// <remarks>
/// Only records of the node that enrolled the key (<see cref="WatermarkKeyRing.NodeOfTextWatermark"/>) are
/// searched: a record's watermark id is its node's word, so another node could copy this key's id into
/// its own records to be named for text it did not make.
/// </remarks>
public sealed class TextWatermarkTracer(TextWatermarkDetector detector, WatermarkKeyRing keys) : IContentTracer
{
    /// <inheritdoc />
    public bool NamesRecords => false;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        if (Detect(upload) is not { } found)
        {
            return [];
        }

        var (hit, keyNode) = found;

        // The key's node's earliest record with it names the model.
        var first = await Marked(db, hit, keyNode).Select(r => new { r.Node, r.ModelHash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            // A key the ledger holds but that no stored record carries: nothing recorded to trace to.
            return [];
        }

        var evidence = hit.Evidence;
        return [new OriginTrace(
            first.Node,
            first.ModelHash,
            new VerificationMatch(VerificationMatchMethod.TextWatermark, null, null, null, evidence),
            $"The text matches no record exactly, but it carries the text watermark of node {first.Node} (model {hit.Model.Name}): "
                + $"z = {evidence.ZScore:0.0} over {evidence.ScoredTokens} tokens, chance without the watermark {evidence.AdjustedPValue:0.#e+0}. "
                + "A text watermark names its node, not a single record, and is evidence rather than proof: "
                + "that node and this ledger's operator hold its key.")];
    }

    /// <summary>
    /// The records of the key's node (and model) that carry the text watermark read from the upload, earliest
    /// first: the candidates the C2PA <c>matches/byContent</c> lookup lists for watermarked text. The watermark
    /// names its key, so each is a record the text may come from, not the one it does.
    /// </summary>
    public async Task<IReadOnlyList<RecordTrace>> CandidateRecordsAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (Detect(upload) is not { } found)
        {
            return [];
        }

        var (hit, keyNode) = found;

        var match = new VerificationMatch(VerificationMatchMethod.TextWatermark, null, null, null, hit.Evidence);
        var records = await Marked(db, hit, keyNode).Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new RecordTrace(r, match, $"the text watermark of node {keyNode}, which names its key, not one record"))];
    }

    private (TextWatermarkHit Hit, EvmAddress KeyNode)? Detect(ContentUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return upload.Image is null
            && detector.Detect(PlainText.Decode(upload.Bytes.Span)) is { } hit
            && keys.NodeOfTextWatermark(hit.WatermarkId) is { } keyNode
            ? (hit, keyNode)
            : null;
    }

    private static IQueryable<StoredRecord> Marked(LedgerDbContext db, TextWatermarkHit hit, EvmAddress keyNode)
    {
        var marked = RecordLookup.ByWatermark(db, hit.WatermarkId).Where(r => r.Node == keyNode);
        return hit.Model.ModelHash is { } modelHash ? marked.Where(r => r.ModelHash == modelHash) : marked;
    }
}
