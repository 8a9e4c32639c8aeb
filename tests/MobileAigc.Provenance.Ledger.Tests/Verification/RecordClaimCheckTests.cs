using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// A node's claims about its own file (perceptual hash, watermark id) are re-checked from the file when
/// it matches the record by its exact bytes: a record signed with a lie is a failed check, never "verified".
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class RecordClaimCheckTests(LedgerChainFixture chain) : IDisposable
{
    private readonly SqliteDatabases _databases = new();
    private readonly WatermarkKey _key = WatermarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task VerifyFile_HonestRecord_IsVerifiedWithEveryClaimAgreeing()
    {
        var ledger = await NewLedgerAsync();
        const ulong payload = 0x1111_2222_3333_4444;
        var marked = new ImageWatermarker(_key).Embed(TestPictures.Create(11), payload);
        var png = ImageCodec.Encode(marked, ImageFileFormat.Png);
        await ledger.StoreAsync(png, marked, payload);

        var result = await ledger.Verifier.VerifyFileAsync(png, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Equal(ClaimCheckOutcome.Agrees, result.Claims!.PerceptualHash.Outcome);
        Assert.Equal(ClaimCheckOutcome.Agrees, result.Claims.Watermark.Outcome);
    }

    [Fact]
    public async Task VerifyFile_RecordWithAnotherPicturesPerceptualHash_IsContentMismatch()
    {
        var ledger = await NewLedgerAsync();
        var picture = TestPictures.Create(12);
        var png = ImageCodec.Encode(picture, ImageFileFormat.Png);
        // The node signs the perceptual hash of another picture, so that its record "looks like" that one.
        var lie = PerceptualHasher.Compute(TestPictures.Create(13)).Bits;
        await ledger.StoreAsync(png, picture, perceptualHash: lie);

        var result = await ledger.Verifier.VerifyFileAsync(png, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ContentMismatch, result.Verdict);
        Assert.True(result.Signature!.Valid, "the lie is signed: the signature holds, the claim does not");
        Assert.Equal(ClaimCheckOutcome.Disagrees, result.Claims!.PerceptualHash.Outcome);
        Assert.Contains(lie.ToString(), result.Claims.PerceptualHash.Detail, StringComparison.Ordinal);
        Assert.Equal(ClaimCheckOutcome.Agrees, result.Claims.Watermark.Outcome);
        Assert.Contains("perceptual hash", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFile_RecordSigningAnotherPicturesPdq_IsContentMismatchAndAnHonestPdqAgrees()
    {
        var ledger = await NewLedgerAsync();
        var picture = TestPictures.Create(16);
        var png = ImageCodec.Encode(picture, ImageFileFormat.Png);
        var honest = ImageCodec.Encode(TestPictures.Create(17), ImageFileFormat.Png);
        // The node signs the PDQ of a picture it did not make, so that copies of that picture are traced to its record.
        var lie = PdqHasher.Compute(TestPictures.Create(18));
        await ledger.StoreAsync(png, picture, pdq: lie);
        await ledger.StoreAsync(honest, TestPictures.Create(17), pdq: PdqHasher.Compute(TestPictures.Create(17)));

        var result = await ledger.Verifier.VerifyFileAsync(png, CancellationToken.None);
        var honestResult = await ledger.Verifier.VerifyFileAsync(honest, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ContentMismatch, result.Verdict);
        Assert.Equal(ClaimCheckOutcome.Agrees, result.Claims!.PerceptualHash.Outcome);
        Assert.Equal(ClaimCheckOutcome.Disagrees, result.Claims.Pdq!.Outcome);
        Assert.Contains(lie.Hash.ToString(), result.Claims.Pdq.Detail, StringComparison.Ordinal);
        Assert.Contains("PDQ", result.Summary, StringComparison.Ordinal);
        Assert.Equal(VerificationVerdict.Verified, honestResult.Verdict);
        Assert.Equal(ClaimCheckOutcome.Agrees, honestResult.Claims!.Pdq!.Outcome);
    }

    [Theory]
    [InlineData(0x5555_6666_7777_8888UL, 0x0000_0000_0000_0001UL)]
    [InlineData(0x5555_6666_7777_8888UL, 0UL)]
    public async Task VerifyFile_RecordWithAnotherWatermarkId_IsContentMismatch(ulong embedded, ulong claimed)
    {
        var ledger = await NewLedgerAsync();
        var marked = new ImageWatermarker(_key).Embed(TestPictures.Create(14), embedded);
        var png = ImageCodec.Encode(marked, ImageFileFormat.Png);
        // The record names another watermark (or none): the file's own watermark leads elsewhere.
        await ledger.StoreAsync(png, marked, watermarkId: claimed == 0 ? Bytes32.Zero : WatermarkIds.FromImagePayload(claimed));

        var result = await ledger.Verifier.VerifyFileAsync(png, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ContentMismatch, result.Verdict);
        Assert.Equal(ClaimCheckOutcome.Agrees, result.Claims!.PerceptualHash.Outcome);
        Assert.Equal(ClaimCheckOutcome.Disagrees, result.Claims.Watermark.Outcome);
        Assert.Contains(WatermarkIds.FromImagePayload(embedded).ToString(), result.Claims.Watermark.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFile_TextRecordClaimingAPerceptualHash_IsContentMismatch()
    {
        var ledger = await NewLedgerAsync();
        var text = "Words have no perceptual hash.\n"u8.ToArray();
        await ledger.StoreAsync(text, perceptualHash: PerceptualHasher.Compute(TestPictures.Create(15)).Bits);

        var result = await ledger.Verifier.VerifyFileAsync(text, CancellationToken.None);

        Assert.Equal(VerificationVerdict.ContentMismatch, result.Verdict);
        Assert.Equal(ClaimCheckOutcome.Disagrees, result.Claims!.PerceptualHash.Outcome);
    }

    [Fact]
    public async Task VerifyFile_WatermarkTheLedgerCannotRead_IsNotCheckedAndStillVerified()
    {
        var ledger = await NewLedgerAsync();
        var other = WatermarkKey.FromBytes(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        const ulong payload = 0x0abc_def0_1234_5678;
        var marked = new ImageWatermarker(other).Embed(TestPictures.Create(16), payload);
        var png = ImageCodec.Encode(marked, ImageFileFormat.Png);
        await ledger.StoreAsync(png, marked, payload);

        var result = await ledger.Verifier.VerifyFileAsync(png, CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Equal(ClaimCheckOutcome.NotChecked, result.Claims!.Watermark.Outcome);
    }

    [Fact]
    public async Task VerifyHash_WithoutTheFile_ChecksNoClaims()
    {
        var ledger = await NewLedgerAsync();
        var picture = TestPictures.Create(17);
        var png = ImageCodec.Encode(picture, ImageFileFormat.Png);
        await ledger.StoreAsync(png, picture);

        var result = await ledger.Verifier.VerifyHashAsync(Bytes32.Sha256(png), CancellationToken.None);

        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.Null(result.Claims);
    }

    private async Task<VerificationLedger> NewLedgerAsync()
    {
        var deployment = await chain.DeployAsync();
        return new VerificationLedger(
            await _databases.NewDatabaseAsync(), deployment.Chain, deployment.NodeKey, deployment.ModelHash, deployment.Owner.Address, [_key]);
    }
}
