using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The verdicts, on SQLite and a real anvil deployment.</summary>
[Collection(LedgerChainCollection.Name)]
public sealed class ContentVerifierTests(LedgerChainFixture chain) : IDisposable
{
    private readonly SqliteDatabases _databases = new();
    private readonly WatermarkKey _key = WatermarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task VerifyFile_ExactBytesAnchored_IsVerifiedWithRootCheckedOnChain()
    {
        var ledger = await NewLedgerAsync();
        await ledger.MirrorRegistryAsync();
        var image = TestPictures.Create(1);
        var png = ImageCodec.Encode(image, ImageFileFormat.Png);
        var stored = await ledger.StoreAsync(png, image);
        await ledger.StoreAsync(ImageCodec.Encode(TestPictures.Create(2), ImageFileFormat.Png), TestPictures.Create(2));
        var batch = await ledger.AnchorPendingAsync();

        var result = await ledger.Verifier.VerifyFileAsync(png, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Equal(VerificationMatchMethod.ContentHash, result.Match!.Method);
        Assert.Equal(stored.Digest, result.Record!.Digest);
        Assert.True(result.Signature!.Valid);
        Assert.Equal(ledger.NodeAddress, result.Signature.RecoveredSigner);
        Assert.Equal(ledger.NodeAddress, result.Node!.Address);
        Assert.NotNull(result.Node.Operator);
        Assert.NotNull(result.Model!.Owner);
        Assert.Equal(500, result.Model.RoyaltyBasisPoints);
        var anchoring = result.Anchoring!;
        Assert.Equal(BatchState.Anchored, anchoring.Inclusion.Batch.State);
        Assert.Equal(batch.Root, anchoring.Inclusion.Root);
        Assert.True(anchoring.ProofValid);
        Assert.Single(anchoring.Inclusion.Proof);
        Assert.Equal(batch.TransactionHash, anchoring.Inclusion.Batch.TransactionHash);
        Assert.Equal(batch.BlockNumber, anchoring.Inclusion.Batch.BlockNumber);
        Assert.True(anchoring.RootCheckedOnChain, anchoring.OnChainDetail);
        Assert.Equal(ClaimCheckOutcome.Agrees, anchoring.OnChain);
        Assert.Null(result.Revocation);

        var byHash = await ledger.Verifier.VerifyHashAsync(Bytes32.Sha256(png), CancellationToken.None);
        Assert.Equal(VerificationVerdict.Verified, byHash.Verdict);
        Assert.True(byHash.Anchoring!.RootCheckedOnChain);
    }

    [Theory]
    [InlineData("https://edge-1.example:8443", "https://edge-1.example:8443/")]
    [InlineData("http://192.168.1.20:5080/", "http://192.168.1.20:5080/")]
    [InlineData("javascript:alert(document.domain)", null)]
    [InlineData("<img src=x onerror=alert(1)>", null)]
    [InlineData("https://user:secret@edge.example/", null)]
    [InlineData(null, null)]
    public async Task VerifyHash_NodeEndpointOnChain_IsAnsweredOnlyWhenItIsAnHttpUrlByTheEndpointRule(string? onChain, string? answered)
    {
        // The contract bounds only the endpoint's length: whatever an operator stored there reaches the mirror as it is.
        var ledger = await NewLedgerAsync();
        await ledger.MirrorRegistryAsync(onChain);
        var text = "an endpoint's node wrote this"u8.ToArray();
        await ledger.StoreAsync(text);

        var result = await ledger.Verifier.VerifyHashAsync(Bytes32.Sha256(text), CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Equal(answered, result.Node!.Endpoint);
    }

    [Fact]
    public async Task VerifyHash_ModelNamedByAManifest_AnswersItsName()
    {
        var ledger = await NewLedgerAsync();
        await ledger.MirrorRegistryAsync();
        var text = "a named model wrote this"u8.ToArray();
        await ledger.StoreAsync(text);
        using var manifests = new ManifestFolder();
        var options = new VerificationOptions();
        options.ModelManifests.Add(manifests.Pinning(ledger.ModelHash, "studio-portraits-v2"));

        var named = await ledger.CreateVerifier(ledger.Chain, options).VerifyHashAsync(Bytes32.Sha256(text), CancellationToken.None);
        var unnamed = await ledger.Verifier.VerifyHashAsync(Bytes32.Sha256(text), CancellationToken.None);

        Assert.Equal("studio-portraits-v2", named.Model!.Name);
        Assert.Null(unnamed.Model!.Name);
    }

    [Fact]
    public async Task VerifyHash_NotBatchedYet_IsVerifiedWithoutAnchoring()
    {
        var ledger = await NewLedgerAsync();
        var text = "A poem the node wrote.\n"u8.ToArray();
        await ledger.StoreAsync(text);

        var result = await ledger.Verifier.VerifyFileAsync(text, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Null(result.Anchoring);
        Assert.Null(result.Node!.Operator); // Not mirrored in this test.
        Assert.Contains("not anchored", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFile_WatermarkedImageResizedAsJpeg_IsModifiedButTracedByWatermark()
    {
        var ledger = await NewLedgerAsync();
        const ulong payload = 0x0123_4567_89ab_cdef;
        var marked = new ImageWatermarker(_key).Embed(TestPictures.Create(3), payload);
        var stored = await ledger.StoreAsync(ImageCodec.Encode(marked, ImageFileFormat.Png), marked, payload);
        var attacked = ImageCodec.Encode(ImageCodec.Resize(marked, 400, 400), ImageFileFormat.Jpeg, quality: 75);

        var result = await ledger.Verifier.VerifyFileAsync(attacked, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ModifiedButTraced, result.Verdict);
        Assert.Equal(VerificationMatchMethod.ImageWatermark, result.Match!.Method);
        Assert.InRange(result.Match.WatermarkConfidence!.Value, 0.0, 1.0);
        Assert.Equal(stored.Digest, result.Record!.Digest);
        Assert.True(result.Signature!.Valid);
    }

    [Fact]
    public async Task VerifyFile_NearDuplicateWithoutWatermark_IsModifiedButTracedByPerceptualHash()
    {
        var ledger = await NewLedgerAsync();
        var original = TestPictures.Create(4);
        var stored = await ledger.StoreAsync(ImageCodec.Encode(original, ImageFileFormat.Png), original);
        await ledger.StoreAsync(ImageCodec.Encode(TestPictures.Create(5), ImageFileFormat.Png), TestPictures.Create(5));
        var copy = ImageCodec.Encode(ImageCodec.Resize(original, 300, 300), ImageFileFormat.Jpeg, quality: 60);

        var result = await ledger.Verifier.VerifyFileAsync(copy, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ModifiedButTraced, result.Verdict);
        Assert.Equal(VerificationMatchMethod.PerceptualHash, result.Match!.Method);
        Assert.InRange(result.Match.HammingDistance!.Value, 0, 31);
        Assert.Equal(31, result.Match.Threshold);
        Assert.Equal(stored.Digest, result.Record!.Digest);
    }

    [Theory]
    [InlineData(PdqDihedral.FlipY, "mirrored left to right")]
    [InlineData(PdqDihedral.Rotate90, "turned 90° clockwise")]
    public async Task VerifyFile_TurnedOrMirroredCopy_IsModifiedButTracedByPdqNeverVerified(PdqDihedral turn, string described)
    {
        // The upload is the original turned 90° anticlockwise (or mirrored): turning it back the other way finds the record.
        var ledger = await NewLedgerAsync();
        var original = TestPictures.Create(8);
        var stored = await ledger.StoreAsync(ImageCodec.Encode(original, ImageFileFormat.Png), original, pdq: PdqHasher.Compute(original));
        await ledger.StoreAsync(ImageCodec.Encode(TestPictures.Create(9), ImageFileFormat.Png), TestPictures.Create(9), pdq: PdqHasher.Compute(TestPictures.Create(9)));
        var copy = ImageCodec.Encode(DihedralTransform.Apply(original, turn), ImageFileFormat.Jpeg, quality: 70);

        var result = await ledger.Verifier.VerifyFileAsync(copy, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ModifiedButTraced, result.Verdict);
        Assert.Equal(VerificationMatchMethod.Pdq, result.Match!.Method);
        Assert.InRange(result.Match.HammingDistance!.Value, 0, 31);
        Assert.Equal(31, result.Match.Threshold);
        Assert.Equal(stored.Digest, result.Record!.Digest);
        Assert.True(result.Signature!.Valid);
        Assert.Contains(described, result.Summary, StringComparison.Ordinal);
        Assert.Contains("a similar picture, not the same bytes", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFile_NearBlankUpload_MatchesNothingByPdqEvenARecordClaimingHighQuality()
    {
        // Two near-blank pictures hash alike whatever else they show. A node signs one with an inflated quality so that it
        // is indexed; an upload of another near-blank picture must still not find it.
        var ledger = await NewLedgerAsync();
        var blank = NearBlank(seed: 1, level: 120);
        await ledger.StoreAsync(ImageCodec.Encode(blank, ImageFileFormat.Png), blank, pdq: PdqHasher.Compute(blank) with { Quality = 100 });
        var other = ImageCodec.Encode(NearBlank(seed: 2, level: 126), ImageFileFormat.Png);
        Assert.InRange(PdqHasher.Compute(other).Quality, 0, PdqHashAndQuality.MinimumTrustedQuality - 1);

        var result = await ledger.Verifier.VerifyFileAsync(other, CancellationToken.None);
        var ungated = await ledger.CreateVerifier(ledger.Chain, new VerificationOptions { MinimumPdqQuality = 0 }).VerifyFileAsync(other, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Unknown, result.Verdict);
        Assert.Equal(VerificationMatchMethod.Pdq, ungated.Match?.Method); // what the quality threshold prevents
    }

    [Fact]
    public async Task VerifyFile_NearBlankRecord_IsNotIndexedByPdq()
    {
        var ledger = await NewLedgerAsync();
        var blank = NearBlank(seed: 3, level: 90);
        var pdq = PdqHasher.Compute(blank);
        await ledger.StoreAsync(ImageCodec.Encode(blank, ImageFileFormat.Png), blank, pdq: pdq);
        var detailed = TestPictures.Create(12);
        await ledger.StoreAsync(ImageCodec.Encode(detailed, ImageFileFormat.Png), detailed, pdq: PdqHasher.Compute(detailed));

        await ledger.PdqIndex.CatchUpAsync(lookBack: false, CancellationToken.None);

        Assert.InRange(pdq.Quality, 0, PdqHashAndQuality.MinimumTrustedQuality - 1);
        Assert.Equal(1, ledger.PdqIndex.Index.Count);
    }

    [Fact]
    public async Task VerifyFile_PdqAttachedToAnotherRecordInTheDatabase_LeadsNowhere()
    {
        // Someone with write access to the ledger's database points another picture's PDQ at a record it does not belong to.
        var ledger = await NewLedgerAsync();
        var victim = TestPictures.Create(10);
        var record = await ledger.StoreAsync(ImageCodec.Encode(victim, ImageFileFormat.Png), victim, pdq: PdqHasher.Compute(victim));
        var unrelated = TestPictures.Create(11);
        await ledger.UpdateAsync(record.Id, r => r.PdqHash = PdqHasher.Compute(unrelated).Hash.Bits);
        var upload = ImageCodec.Encode(DihedralTransform.Apply(unrelated, PdqDihedral.FlipX), ImageFileFormat.Jpeg, quality: 80);

        var result = await ledger.Verifier.VerifyFileAsync(upload, CancellationToken.None);

        Assert.Equal(1, ledger.PdqIndex.Index.Count);
        Assert.Equal(VerificationVerdict.Unknown, result.Verdict);
    }

    [Fact]
    public async Task VerifyFile_UnrelatedImage_IsUnknown()
    {
        var ledger = await NewLedgerAsync();
        await ledger.StoreAsync(ImageCodec.Encode(TestPictures.Create(6), ImageFileFormat.Png), TestPictures.Create(6));
        var other = ImageCodec.Encode(TestPictures.Create(7), ImageFileFormat.Jpeg);

        var result = await ledger.Verifier.VerifyFileAsync(other, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Unknown, result.Verdict);
        Assert.Null(result.Record);
        Assert.Equal(Bytes32.Sha256(other), result.ContentHash);
    }

    [Fact]
    public async Task VerifyHash_NeverStored_IsUnknown()
    {
        var ledger = await NewLedgerAsync();

        var result = await ledger.Verifier.VerifyHashAsync(Bytes32.Sha256("nothing"u8), CancellationToken.None);

        Assert.Equal(VerificationVerdict.Unknown, result.Verdict);
    }

    [Fact]
    public async Task VerifyFile_RevokedRecord_IsRevoked()
    {
        var ledger = await NewLedgerAsync();
        var text = "revoked text"u8.ToArray();
        var stored = await ledger.StoreAsync(text);
        var revokedAt = new DateTimeOffset(2026, 11, 30, 13, 0, 0, TimeSpan.Zero);
        await ledger.UpdateAsync(stored.Id, r => (r.RevokedAt, r.RevocationReason) = (revokedAt, "leaked prompt"));

        var result = await ledger.Verifier.VerifyFileAsync(text, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Revoked, result.Verdict);
        Assert.Equal(revokedAt, result.Revocation!.RevokedAt);
        Assert.Equal("leaked prompt", result.Revocation.Reason);
        Assert.True(result.Signature!.Valid);
    }

    [Fact]
    public async Task VerifyFile_SignatureBytesTampered_IsSignatureInvalid()
    {
        var ledger = await NewLedgerAsync();
        var text = "tampered signature"u8.ToArray();
        var stored = await ledger.StoreAsync(text);
        await ledger.UpdateAsync(stored.Id, r => r.Signature = [.. r.Signature[..10], (byte)(r.Signature[10] ^ 0x55), .. r.Signature[11..]]);

        var result = await ledger.Verifier.VerifyFileAsync(text, CancellationToken.None);

        Assert.Equal(VerificationVerdict.SignatureInvalid, result.Verdict);
        Assert.False(result.Signature!.Valid);
    }

    [Fact]
    public async Task VerifyFile_StoredFieldTampered_IsSignatureInvalid()
    {
        var ledger = await NewLedgerAsync();
        var text = "tampered creator"u8.ToArray();
        var stored = await ledger.StoreAsync(text);
        await ledger.UpdateAsync(stored.Id, r => r.Creator = EvmAddress.Parse("0x00000000000000000000000000000000000000ee"));

        var result = await ledger.Verifier.VerifyFileAsync(text, CancellationToken.None);

        Assert.Equal(VerificationVerdict.SignatureInvalid, result.Verdict);
        Assert.Contains("altered", result.Signature!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyHash_ChainAway_AnswersWithRootNotChecked()
    {
        var ledger = await NewLedgerAsync();
        var text = "anchored, then the chain goes away"u8.ToArray();
        await ledger.StoreAsync(text);
        await ledger.AnchorPendingAsync();
        var away = LedgerChain.Open(new LedgerChainOptions
        {
            RpcUrl = new Uri("http://127.0.0.1:9"), // discard port: nothing listens
            ChainId = (long)ledger.Chain.ChainId,
            ModelRegistry = ledger.Chain.Registry.Address.ToString(),
            ProvenanceLedger = ledger.Chain.Ledger.Address.ToString(),
        });

        var result = await ledger.CreateVerifier(away).VerifyHashAsync(Bytes32.Sha256(text), CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.True(result.Anchoring!.ProofValid);
        Assert.False(result.Anchoring.RootCheckedOnChain);
        Assert.Contains("chain", result.Anchoring.OnChainDetail, StringComparison.Ordinal);
        // An unreachable chain is an absence of a check, not a refusal: the page must not say "failed".
        Assert.Equal(ClaimCheckOutcome.NotChecked, result.Anchoring.OnChain);
    }

    [Theory]
    [InlineData(new byte[0], UnsupportedContentReason.Empty)]
    [InlineData(new byte[] { 0x00, 0x01, 0xfe, 0xff, 0x13, 0x37 }, UnsupportedContentReason.UnsupportedType)]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0 }, UnsupportedContentReason.Unreadable)]
    public async Task VerifyFile_BadBytes_ThrowsUnsupportedContent(byte[] file, UnsupportedContentReason reason)
    {
        var ledger = await NewLedgerAsync();

        var e = await Assert.ThrowsAsync<UnsupportedContentException>(() => ledger.Verifier.VerifyFileAsync(file, CancellationToken.None));

        Assert.Equal(reason, e.Reason);
    }

    // A flat grey picture with faint waves (±10 grey levels at most) and a little noise: nearly featureless, so its PDQ
    // quality is low, and two of them at other levels with other noise lie within PDQ's threshold (24 bits apart here).
    private static RgbImage NearBlank(int seed, int level)
    {
        var random = new Random(seed);
        var image = RgbImage.Create(256, 256);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            var (x, y) = (i / 3 % image.Width, i / 3 / image.Width);
            var wave = (Math.Sin(x * Math.PI / 128) * Math.Cos(y * Math.PI / 96)) + Math.Sin((x * Math.PI / 40) + (y * Math.PI / 60));
            image.Pixels[i] = (byte)Math.Clamp(level + (5 * wave) + random.Next(3), 0, 255);
        }

        return image;
    }

    private async Task<VerificationLedger> NewLedgerAsync()
    {
        var deployment = await chain.DeployAsync();
        return new VerificationLedger(
            await _databases.NewDatabaseAsync(), deployment.Chain, deployment.NodeKey, deployment.ModelHash, deployment.Owner.Address, [_key]);
    }
}
