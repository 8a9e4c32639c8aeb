using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// <c>POST api/verify</c> on WebP copies of pictures a real edge node delivered, as platforms re-encode them: traced to
/// the record by the watermark, and the Content Credentials a WebP carries read and checked like a PNG's or a JPEG's.
/// </summary>
public sealed class WebpVerifyTests(VerificationHostFactory host, EdgeNodePictures node)
    : IClassFixture<VerificationHostFactory>, IClassFixture<EdgeNodePictures>
{
    [Fact]
    public async Task PostVerify_DeliveredPictureReencodedAsWebpQuality50_IsModifiedButTracedToItsRecord()
    {
        var delivered = node.Generate("a harbour at noon", 61, "png");
        await host.StoreAsync(delivered.Record, delivered.RecordDigest);
        var webp = ImageCodec.Encode(ImageCodec.Decode(delivered.File), ImageFileFormat.Webp, quality: 50);

        using var json = await VerifyCalls.PostAsync(host.CreateClient(), webp, "shared.webp");

        var root = json.RootElement;
        Assert.Equal("modified-but-traced", root.GetProperty("verdict").GetString());
        // This node's watermark key is not enrolled at this host, so its perceptual hash traces it; a WebP's watermark is
        // read in the next test, with the host's enrolled key.
        Assert.Equal("perceptual-hash", root.GetProperty("match").GetProperty("method").GetString());
        Assert.Equal(delivered.RecordDigest.ToString(), root.GetProperty("record").GetProperty("digest").GetString());
        // A platform's copy carries no credentials: the verdict says none were found in it, not that WebP cannot have them.
        Assert.False(root.GetProperty("credentials").GetProperty("present").GetBoolean());
    }

    [Fact]
    public async Task PostVerify_PictureMarkedWithTheEnrolledKeyReencodedAsWebp_IsTracedByTheWatermark()
    {
        // The host enrols its own key (the edge node above has another): a picture marked with it, its record signed
        // by the enrolled node. Quality 80, not 50: the "band" change of issue 17 is what makes the mark survive 50.
        const ulong payload = 0x0e0b_0e0b_0000_0017;
        var marked = new ImageWatermarker(host.Key).Embed(TestPictures.Create(64), payload);
        var domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse(VerificationHostFactory.LedgerContract));
        var record = new ProvenanceRecord(
            Bytes32.Sha256(ImageCodec.Encode(marked, ImageFileFormat.Png)), PerceptualHasher.Compute(marked).Bits, Bytes32.Sha256("model"u8),
            EvmAddress.Parse(host.NodeKey.GetPublicAddress()), EvmAddress.Zero, Bytes32.Zero, Bytes32.Sha256("prompt"u8),
            Bytes32.Sha256("parameters"u8), 1_700_000_000, WatermarkIds.FromImagePayload(payload), 17);
        var digest = ProvenanceRecordTypedData.Digest(record, domain);
        await host.StoreAsync(new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, domain, host.NodeKey)), digest);
        var webp = ImageCodec.Encode(marked, ImageFileFormat.Webp, quality: 80);

        using var json = await VerifyCalls.PostAsync(host.CreateClient(), webp, "shared.webp");

        var root = json.RootElement;
        Assert.Equal("modified-but-traced", root.GetProperty("verdict").GetString());
        Assert.Equal("image-watermark", root.GetProperty("match").GetProperty("method").GetString());
        Assert.Equal(digest.ToString(), root.GetProperty("record").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task PostVerify_WebpWithTheOriginalsCredentialsCopiedIn_ReadsThemAsInvalidAndStillTracesTheRecord()
    {
        // A re-encoder that keeps the manifest store: the store is read from the WebP's C2PA chunk, its signature
        // holds, and its hard binding does not (it names the PNG's bytes).
        var delivered = node.Generate("a bridge in fog", 62, "png");
        await host.StoreAsync(delivered.Record, delivered.RecordDigest);
        var webp = ImageCodec.Encode(ImageCodec.Decode(delivered.File), ImageFileFormat.Webp, quality: 75);
        var carried = AssetContainers.Embed(webp, AssetContainers.Locate(delivered.File)!.ManifestStore).File;

        using var json = await VerifyCalls.PostAsync(host.CreateClient(), carried, "kept-credentials.webp");

        var root = json.RootElement;
        Assert.Equal("modified-but-traced", root.GetProperty("verdict").GetString());
        Assert.Equal(delivered.RecordDigest.ToString(), root.GetProperty("record").GetProperty("digest").GetString());
        var credentials = root.GetProperty("credentials");
        Assert.True(credentials.GetProperty("present").GetBoolean());
        Assert.Equal("Invalid", credentials.GetProperty("state").GetString());
        Assert.Contains("assertion.dataHash.mismatch", VerifyCalls.Codes(credentials, "failure"));
        Assert.Contains("claimSignature.validated", VerifyCalls.Codes(credentials, "success"));
        Assert.Equal(delivered.RecordDigest.ToString(), credentials.GetProperty("record").GetProperty("recordDigest").GetString());
        Assert.Equal(AssetContainers.AssetHash(webp).ToString(), credentials.GetProperty("assetHash").GetString());
    }

    [Fact]
    public async Task PostVerify_SignedWebpWithBytesAppendedAfterItsRiff_CredentialsReportedBrokenNotAbsent()
    {
        // Bytes after the RIFF container (a tool appending its own trailer): the picture still decodes, as libwebp
        // ignores them, but the chunks cannot be walked to the end of the file, as the official SDK walks them. The
        // answer must say the file's credentials could not be read, never that WebP carries none.
        var (signed, _, _) = await StoreSignedWebpAsync(64);
        byte[] trailed = [.. signed, .. "trailer appended by another tool"u8];

        using var json = await VerifyCalls.PostAsync(host.CreateClient(), trailed, "trailed.webp");

        var credentials = json.RootElement.GetProperty("credentials");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, credentials.ValueKind);
        Assert.True(credentials.GetProperty("present").GetBoolean());
        Assert.Equal("Invalid", credentials.GetProperty("state").GetString());
        Assert.NotEmpty(VerifyCalls.Codes(credentials, "failure"));
    }

    [Fact]
    public async Task PostVerify_WebpSignedForItsOwnBytes_CredentialsValidAndFoundByItsAssetHash()
    {
        var (signed, stored, assetHash) = await StoreSignedWebpAsync(63);

        using var json = await VerifyCalls.PostAsync(host.CreateClient(), signed, "signed.webp");
        using var stripped = await VerifyCalls.PostAsync(host.CreateClient(), AssetContainers.Strip(signed), "stripped.webp");

        var root = json.RootElement;
        Assert.Equal("content-hash", root.GetProperty("match").GetProperty("method").GetString());
        Assert.Equal(stored.Digest.ToString(), root.GetProperty("record").GetProperty("digest").GetString());
        var credentials = root.GetProperty("credentials");
        Assert.Equal("Valid", credentials.GetProperty("state").GetString());
        Assert.Contains("assertion.dataHash.match", VerifyCalls.Codes(credentials, "success"));
        Assert.Equal(assetHash.ToString(), credentials.GetProperty("assetHash").GetString());
        // Stripped of its store, the WebP is the asset the record names: found by the same hash, with no credentials.
        Assert.Equal(stored.Digest.ToString(), stripped.RootElement.GetProperty("record").GetProperty("digest").GetString());
        Assert.False(stripped.RootElement.GetProperty("credentials").GetProperty("present").GetBoolean());
    }

    /// <summary>A WebP of test picture <paramref name="seed"/> whose credentials the host's node signed for its own bytes, and its stored record.</summary>
    private async Task<(byte[] Signed, StoredRecord Stored, Bytes32 AssetHash)> StoreSignedWebpAsync(int seed)
    {
        var webp = ImageCodec.Encode(TestPictures.Create(seed, 256, 256), ImageFileFormat.Webp, quality: 80);
        var assetHash = AssetContainers.AssetHash(webp);
        var stored = await host.StoreAsync(assetHash, Bytes32.Zero, Bytes32.Zero);
        return (CredentialedPictures.Sign(webp, stored.Digest, EvmAddress.Parse(host.NodeKey.GetPublicAddress()), assetHash).File, stored, assetHash);
    }
}
