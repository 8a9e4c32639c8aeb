using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Re-checks what a record claims about the file it names, from the file itself: the perceptual hash and,
/// for a version 3 record, the PDQ hash (recomputed) and the watermark id (read with the ledger's keys). A node that signed a wrong
/// perceptual hash, so that its record matches other pictures or hides from its own, or a wrong
/// watermark id, so that its watermark leads elsewhere, is then visible in the verdict.
/// </summary>
/// <remarks>
/// <para>Images: the perceptual hash agrees within <see cref="VerificationOptions.ClaimedPerceptualHashTolerance"/>
/// bits (the node hashes the very pixels it encodes losslessly, so honest hashes differ by nothing but
/// floating-point rounding); the watermark agrees when a key reads the record's payload, disagrees when
/// a key reads another payload or the record claims none but the file carries one, and is not checked
/// when no key of the ledger reads a watermark (the ledger holds only the keys operators shared).</para>
/// <para>Text: a text has no perceptual hash, so a non-zero one disagrees; its watermark is detected with
/// the configured keys and tokenizers and compared with the record's key id the same way.</para>
/// <para>Thread-safe; meant to be a singleton.</para>
/// </remarks>
public sealed class RecordClaimCheck
{
    private readonly WatermarkKeyRing _keys;
    private readonly TextWatermarkDetector _textDetector;
    private readonly int _tolerance;

    /// <summary>Creates the check over the ledger's watermark keys and text detector.</summary>
    public RecordClaimCheck(WatermarkKeyRing keys, TextWatermarkDetector textDetector, IOptions<VerificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(textDetector);
        ArgumentNullException.ThrowIfNull(options);
        _keys = keys;
        _textDetector = textDetector;
        _tolerance = options.Value.ClaimedPerceptualHashTolerance;
    }

    /// <summary>Compares <paramref name="record"/>'s claims with <paramref name="upload"/>, the file whose exact bytes it names.</summary>
    public ContentClaimsCheck Check(ContentUpload upload, StoredRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(record);
        return upload.Image is { } image
            ? new ContentClaimsCheck(CheckPerceptualHash(image, record.PerceptualHash), CheckImageWatermark(image, record, cancellationToken))
            {
                Pdq = record.PdqHash is { } pdq ? CheckPdq(image, pdq) : null,
            }
            : new ContentClaimsCheck(CheckTextPerceptualHash(record.PerceptualHash), CheckTextWatermark(upload, record.WatermarkId));
    }

    private ClaimCheck CheckPerceptualHash(Imaging.RgbImage image, Bytes32 claimed)
    {
        var computed = PerceptualHasher.Compute(image);
        var distance = computed.DistanceTo(new PerceptualHash(claimed, computed.Quality));
        return distance <= _tolerance
            ? new ClaimCheck(ClaimCheckOutcome.Agrees, $"The file's perceptual hash is the record's ({distance} of 256 bits differ).")
            : new ClaimCheck(ClaimCheckOutcome.Disagrees,
                $"The record claims the perceptual hash {claimed}, but the file's is {computed.Bits} ({distance} of 256 bits differ; at most {_tolerance} expected).");
    }

    private ClaimCheck CheckPdq(Imaging.RgbImage image, Bytes32 claimed)
    {
        if (image.Width < PdqHasher.MinimumSide || image.Height < PdqHasher.MinimumSide)
        {
            return new ClaimCheck(ClaimCheckOutcome.Disagrees, $"The record claims the PDQ hash {claimed}, but the picture is too small to have one.");
        }

        var computed = PdqHasher.Compute(image).Hash;
        var distance = computed.DistanceTo(new PdqHash(claimed));
        return distance <= _tolerance
            ? new ClaimCheck(ClaimCheckOutcome.Agrees, $"The file's PDQ hash is the record's ({distance} of 256 bits differ).")
            : new ClaimCheck(ClaimCheckOutcome.Disagrees,
                $"The record claims the PDQ hash {claimed}, but the file's is {computed} ({distance} of 256 bits differ; at most {_tolerance} expected).");
    }

    private static ClaimCheck CheckTextPerceptualHash(Bytes32 claimed) => claimed == Bytes32.Zero
        ? new ClaimCheck(ClaimCheckOutcome.Agrees, "A text has no perceptual hash, and the record claims none.")
        : new ClaimCheck(ClaimCheckOutcome.Disagrees, $"The file is text, which has no perceptual hash, but the record claims {claimed}.");

    private ClaimCheck CheckImageWatermark(Imaging.RgbImage image, StoredRecord record, CancellationToken cancellationToken)
    {
        if (_keys.Count == 0)
        {
            return new ClaimCheck(ClaimCheckOutcome.NotChecked, "The ledger holds no watermark key, so it cannot read the file's watermark.");
        }

        var hits = _keys.ReadImageHits(image, cancellationToken);
        var hit = hits.FirstOrDefault(h => h.Node == record.Node) ?? hits.FirstOrDefault();
        if (hit is { Payload: not 0 } && hit.Node != record.Node)
        {
            // The mark was placed with a key another node enrolled: whatever its payload, it is not this node's mark.
            return new ClaimCheck(ClaimCheckOutcome.Disagrees,
                $"The file carries a watermark read with the key node {hit.Node} enrolled, not the record's node {record.Node}.");
        }

        var read = hit is { Payload: not 0 } ? WatermarkIds.FromImagePayload(hit.Payload) : (Bytes32?)null;
        return Compare(record.WatermarkId, read, "image watermark");
    }

    private ClaimCheck CheckTextWatermark(ContentUpload upload, Bytes32 claimed)
    {
        if (_keys.Count == 0 || _textDetector.Models.Count == 0)
        {
            return new ClaimCheck(ClaimCheckOutcome.NotChecked, "The ledger holds no watermark key or text model, so it cannot detect the text's watermark.");
        }

        return Compare(claimed, _textDetector.Detect(PlainText.Decode(upload.Bytes.Span))?.WatermarkId, "text watermark");
    }

    private static ClaimCheck Compare(Bytes32 claimed, Bytes32? read, string kind) => (claimed == Bytes32.Zero, read) switch
    {
        (true, null) => new ClaimCheck(ClaimCheckOutcome.Agrees, $"The record claims no {kind}, and none of the ledger's keys finds one."),
        (true, { } found) => new ClaimCheck(ClaimCheckOutcome.Disagrees, $"The record claims no {kind}, but the file carries the {kind} {found}."),
        (false, null) => new ClaimCheck(ClaimCheckOutcome.NotChecked,
            $"The record claims the {kind} {claimed}; none of the ledger's keys finds a watermark in the file (the node's key may not be shared with the ledger)."),
        (false, { } found) when found == claimed => new ClaimCheck(ClaimCheckOutcome.Agrees, $"The file carries the {kind} {found}, as the record claims."),
        (false, { } found) => new ClaimCheck(ClaimCheckOutcome.Disagrees, $"The record claims the {kind} {claimed}, but the file carries {found}."),
    };
}
