using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
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
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.Image is not null
            || detector.Detect(PlainText.Decode(upload.Bytes.Span)) is not { } hit
            || keys.NodeOfTextWatermark(hit.WatermarkId) is not { } keyNode)
        {
            return [];
        }

        var marked = RecordLookup.ByWatermark(db, hit.WatermarkId).Where(r => r.Node == keyNode);
        if (hit.Model.ModelHash is { } modelHash)
        {
            marked = marked.Where(r => r.ModelHash == modelHash);
        }

        // The key's node's earliest record with it names the model.
        var first = await marked.Select(r => new { r.Node, r.ModelHash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
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
}
