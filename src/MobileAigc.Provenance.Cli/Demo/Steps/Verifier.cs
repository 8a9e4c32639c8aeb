using System.Net.Http.Headers;
using System.Text;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>
/// Anyone holding a file (here the creator) asks the ledger where it comes from
/// (<c>POST api/verify</c>): the original, and copies edited so that their hashes match nothing; the original's
/// <c>sha256sum</c> alone (<c>GET api/verify/{sha256}</c>); and the Content Credentials each image file carries.
/// </summary>
internal sealed class Verifier(Script script, HttpClient ledger, string outputDirectory)
{
    private readonly CredentialsInspector _credentials = new(script);

    /// <summary>Verifies the original image, then a copy scaled to 75 % and re-encoded as JPEG 75, then a mirrored copy.</summary>
    public async Task VerifyImageAsync(GenerateImageResponse original, CancellationToken cancellationToken)
    {
        var exact = await VerifyFileAsync(original.File, "image-0.png", "image/png", cancellationToken);
        script.Step("Creator verified image-0.png on the ledger", Describe(exact));

        // What sha256sum prints for the file is not the record's content hash, which leaves the manifest store out: the
        // ledger finds the record by its node's signed statement of the delivered file's hash.
        var byFileHash = await ServiceHttp.GetAsync<VerificationResult>(
            ledger, $"{LedgerVerification.VerifyPath}/{Bytes32.Sha256(original.File)}", cancellationToken);
        script.Step("Anyone verified the sha256sum of image-0.png (GET api/verify/{sha256})", Describe(byFileHash));

        var decoded = ImageCodec.Decode(original.File);
        var edited = ImageCodec.Encode(ImageCodec.Resize(decoded, decoded.Width * 3 / 4, decoded.Height * 3 / 4), ImageFileFormat.Jpeg, 75);
        await File.WriteAllBytesAsync(Path.Combine(outputDirectory, "image-0-edited.jpg"), edited, cancellationToken);
        var traced = await VerifyFileAsync(edited, "image-0-edited.jpg", "image/jpeg", cancellationToken);
        script.Step("Creator verified an edited copy (75 % size, JPEG 75)", Describe(traced));

        // What a phone's mirror button does; the record's signed PDQ hash is searched in all eight turns and mirrors.
        var mirrored = ImageCodec.Encode(DihedralTransform.Apply(decoded, PdqDihedral.FlipY), ImageFileFormat.Jpeg, 80);
        await File.WriteAllBytesAsync(Path.Combine(outputDirectory, "image-0-mirrored.jpg"), mirrored, cancellationToken);
        var flipped = await VerifyFileAsync(mirrored, "image-0-mirrored.jpg", "image/jpeg", cancellationToken);
        script.Step("Creator verified a mirrored copy (flipped left to right, JPEG 80)", Describe(flipped));

        // The credentials the node embedded, read by us and by the official SDK; re-encoding the copy dropped them,
        // so the watermark above is what still ties the copy to its record.
        await _credentials.ShowAsync(Path.Combine(outputDirectory, "image-0.png"), "image/png", askSdk: true, cancellationToken);
        await _credentials.ShowAsync(Path.Combine(outputDirectory, "image-0-edited.jpg"), "image/jpeg", askSdk: false, cancellationToken);
    }

    /// <summary>Verifies a copy of the text with its opening cut and a few words changed.</summary>
    public async Task VerifyTextAsync(GenerateTextResponse original, CancellationToken cancellationToken)
    {
        var edited = original.Text[(original.Text.Length / 5)..].Replace(" the ", " a ", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "text-0-edited.txt"), edited, cancellationToken);
        var traced = await VerifyFileAsync(Encoding.UTF8.GetBytes(edited), "text-0-edited.txt", "text/plain", cancellationToken);
        script.Step("Creator verified an edited copy of text-0.txt (opening cut, words changed)", Describe(traced)
            + (traced.Match?.TextWatermark is { } evidence ? $" (z = {evidence.ZScore:0.0} over {evidence.ScoredTokens} tokens) → node {traced.Node!.Address}" : ""));
    }

    private async Task<VerificationResult> VerifyFileAsync(byte[] file, string name, string mediaType, CancellationToken cancellationToken)
    {
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        content.Add(part, LedgerVerification.FileField, name);
        return await ServiceHttp.PostAsync<VerificationResult>(ledger, LedgerVerification.VerifyPath, content, cancellationToken);
    }

    private static string Describe(VerificationResult result) =>
        $"[yellow]{result.Verdict switch { VerificationVerdict.Verified => "verified", VerificationVerdict.ModifiedButTraced => "modified-but-traced", _ => result.Verdict.ToString() }}[/]"
        + (result.Match is { } match ? $" by {match.Method}{(match.MatchedBy is { } by ? $" (matched by {by})" : "")}{(match.WatermarkConfidence is { } c ? $" (confidence {c:0.00})" : "")}{(match.HammingDistance is { } d ? $" (distance {d}/256)" : "")}" : "")
        + (result.Record is { } record ? $" → record {record.Digest}" : "")
        + (result.Anchoring is { } anchoring ? $", batch root re-checked on chain just now: {anchoring.RootCheckedOnChain}" : "");
}
