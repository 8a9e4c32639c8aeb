using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using static MobileAigc.Provenance.Credentials.Validation.ValidationStatusCodes;

namespace MobileAigc.Provenance.Credentials.Tests.Validation;

public sealed class ManifestValidatorTests : IDisposable
{
    private readonly TestSigner _signer = TestSigner.Create();

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void ValidateFile_SignedPng_IsValidAndEveryCheckPasses()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer).File;

        var report = new ManifestValidator().ValidateFile(file);

        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Equal([SigningCredentialUntrusted], report.ActiveManifest!.FailureCodes);
        var codes = report.ActiveManifest.Success.Select(status => status.Code).ToList();
        Assert.Contains(ClaimSignatureValidated, codes);
        Assert.Contains(AssertionDataHashMatch, codes);
        Assert.Equal(2, codes.Count(code => code == AssertionHashedUriMatch));
        var claim = report.Store!.ActiveManifest!.Claim!;
        Assert.Equal(2, claim.Version);
        Assert.Equal("MobileAigc.Provenance tests", claim.ClaimGeneratorInfo!["name"]!.GetValue<string>());
        Assert.Equal("c2pa.created", report.Store.ActiveManifest.FindAssertion("c2pa.actions.v2")!.Content!["actions"]![0]!["action"]!.GetValue<string>());
    }

    [Fact]
    public void ValidateFile_SignedJpeg_IsValid()
    {
        var jpeg = AssetContainers.Strip(Fixtures.C2paRs("no_manifest.jpg"));

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(jpeg, _signer).File);

        Assert.Equal(ValidationState.Valid, report.State);
    }

    [Fact]
    public void ValidateFile_SignerChainsToTrustAnchor_IsTrusted()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer).File;

        var report = new ManifestValidator(TrustList.Of([_signer.Ca]), TimeProvider.System).ValidateFile(file);

        Assert.Equal(ValidationState.Trusted, report.State);
        Assert.Contains(report.ActiveManifest!.Success, status => status.Code == SigningCredentialTrusted);
    }

    [Fact]
    public void ValidateFile_AnchorFromPem_IsTrusted()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer).File;
        var pem = _signer.Ca.ExportCertificatePem();

        var report = new ManifestValidator(TrustList.FromPem(pem), TimeProvider.System).ValidateFile(file);

        Assert.Equal(ValidationState.Trusted, report.State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValidateFile_ChainInUnprotectedHeader_StillVerifies(bool textKey)
    {
        var options = new TestManifests.Options { Sign = claim => _signer.SignWithUnprotectedChain(claim, textKey) };

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), _signer, options).File);

        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Equal(2, report.Store!.ActiveManifest!.Signature!.Chain.Count);
    }

    [Fact]
    public void ValidateFile_AnotherCaAsAnchor_IsUntrusted()
    {
        using var other = TestSigner.Create();
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer).File;

        var report = new ManifestValidator(TrustList.Of([other.Ca]), TimeProvider.System).ValidateFile(file);

        Assert.Equal([SigningCredentialUntrusted], report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_OneByteChangedOutsideTheStore_IsDataHashMismatch()
    {
        var embedded = TestManifests.SignedAsset(TestImages.Png(), _signer);
        embedded.File[^20] ^= 0x01;

        var report = new ManifestValidator().ValidateFile(embedded.File);

        Assert.Equal(ValidationState.Invalid, report.State);
        Assert.Contains(AssertionDataHashMismatch, report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_IngredientWithItsManifest_ValidatesItUnderTheIngredient()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer, new TestManifests.Options { WithIngredient = true }).File;

        var report = new ManifestValidator().ValidateFile(file);

        Assert.Equal(ValidationState.Valid, report.State);
        var ingredient = Assert.Single(report.Ingredients);
        Assert.Equal(TestManifests.IngredientLabel, ingredient.ManifestLabel);
        Assert.Contains(ingredient.Result.Success, status => status.Code == IngredientManifestValidated);
        var read = Assert.Single(report.Store!.ActiveManifest!.Ingredients);
        Assert.Equal("parentOf", read.Relationship);
        Assert.Equal(3, read.Version);
    }

    [Fact]
    public void ValidateFile_IngredientManifestBadlySigned_IsReportedUnderTheIngredient()
    {
        var options = new TestManifests.Options { WithIngredient = true, IngredientSign = claim => _signer.Sign([.. claim, 0]) };
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer, options).File;

        var report = new ManifestValidator().ValidateFile(file);

        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Contains(ClaimSignatureMismatch, Assert.Single(report.Ingredients).Result.FailureCodes);
    }

    [Fact]
    public void ValidateFile_ThousandReferencesToOneIngredientManifest_ValidatesItOnceAndStopsAtTheBound()
    {
        var options = new TestManifests.Options { WithIngredient = true, IngredientReferences = 1000 };
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer, options).File;

        var report = new ManifestValidator().ValidateFile(file);

        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Equal(ManifestValidator.MaxIngredientValidations + 1, report.Ingredients.Count);
        Assert.Equal([ValidationStatusCodes.GeneralError], report.Ingredients[^1].Result.FailureCodes);
        Assert.All(report.Ingredients.SkipLast(1), ingredient => Assert.Contains(ingredient.Result.Success, status => status.Code == IngredientManifestValidated));
    }

    [Theory]
    [InlineData(-8)] // EdDSA: not in .NET
    [InlineData(-65535)] // RS1
    [InlineData(-257)] // RS256: not a C2PA algorithm
    public void ValidateFile_UnsupportedCoseAlgorithm_IsAlgorithmUnsupported(int algorithm)
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer, new TestManifests.Options { Sign = _ => _signer.SignWithAlgorithm(algorithm) }).File;

        var report = new ManifestValidator().ValidateFile(file);

        Assert.Equal(ValidationState.Invalid, report.State);
        Assert.Contains(AlgorithmUnsupported, report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_ChainWhoseIssuerDidNotSignTheLeaf_IsSigningCredentialInvalid()
    {
        using var other = TestSigner.Create();
        var options = new TestManifests.Options { Sign = claim => _signer.Sign(claim, [_signer.Leaf, other.Ca]) };
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer, options).File;

        var report = new ManifestValidator(TrustList.Of([other.Ca]), TimeProvider.System).ValidateFile(file);

        Assert.Equal(ValidationState.Invalid, report.State);
        Assert.Contains(SigningCredentialInvalid, report.ActiveManifest!.FailureCodes);
        Assert.Contains(SigningCredentialUntrusted, report.ActiveManifest.FailureCodes);
    }

    [Theory]
    [InlineData("2.5.29.37.0")] // anyExtendedKeyUsage
    [InlineData("1.3.6.1.5.5.7.3.1")] // serverAuth only
    public void ValidateFile_SignerWithoutAcceptedExtendedKeyUsage_IsSigningCredentialInvalid(string usage)
    {
        using var signer = TestSigner.Create(extendedKeyUsage: usage);

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), signer).File);

        Assert.Contains(SigningCredentialInvalid, report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_SignerWithoutDigitalSignature_IsSigningCredentialInvalid()
    {
        using var signer = TestSigner.Create(keyUsage: System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment);

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), signer).File);

        Assert.Contains(SigningCredentialInvalid, report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_CertificateExpiredAtValidationTime_IsSigningCredentialExpired()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer).File;
        var later = new FixedTime(DateTimeOffset.UtcNow.AddYears(3));

        var report = new ManifestValidator(TrustList.Empty, later).ValidateFile(file);

        Assert.Contains(SigningCredentialExpired, report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_BadCborInClaim_IsClaimCborInvalid()
    {
        var options = new TestManifests.Options { ClaimBytes = claim => [0xBF, .. claim[1..8]] };

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), _signer, options).File);

        Assert.Equal([ClaimCborInvalid], report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_BadCborInAssertion_IsHashMismatchAndCborInvalid()
    {
        var options = new TestManifests.Options
        {
            AssertionAfterHashing = box => box.Label == "c2pa.actions.v2"
                ? new JumbfSuperBox(C2paContentTypes.Cbor, box.Label!, JumbfDataBox.Cbor(new byte[] { 0xA1, 0x61 }))
                : box,
        };

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), _signer, options).File);

        Assert.Contains(AssertionHashedUriMismatch, report.ActiveManifest!.FailureCodes);
        Assert.Contains(AssertionCborInvalid, report.ActiveManifest.FailureCodes);
    }

    [Fact]
    public void ValidateFile_AssertionRemoved_IsAssertionMissing()
    {
        var options = new TestManifests.Options
        {
            AssertionAfterHashing = box => box.Label == "c2pa.actions.v2" ? TestManifests.Cbor("c2pa.actions.renamed", w => w.WriteNull()) : box,
        };

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), _signer, options).File);

        Assert.Contains(report.ActiveManifest!.Failure, status => status.Code == AssertionMissing && status.Url == "self#jumbf=c2pa.assertions/c2pa.actions.v2");
    }

    [Fact]
    public void ValidateFile_TruncatedStore_IsManifestInaccessible()
    {
        var embedded = TestManifests.SignedAsset(TestImages.Png(), _signer);
        var store = AssetContainers.Locate(embedded.File)!.ManifestStore.ToArray();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(store, (uint)store.Length + 100);
        var lying = ReplaceStoreBytes(embedded, store);

        var report = new ManifestValidator().ValidateFile(lying);

        Assert.Equal([ManifestInaccessible], report.ActiveManifest!.FailureCodes);
        Assert.Equal(ValidationState.Invalid, report.State);
    }

    [Fact]
    public void ReadFile_NotAnImage_IsUnsupportedFormat()
    {
        var error = Assert.Throws<JumbfException>(() => new ManifestValidator().ValidateFile("plain text"u8.ToArray()));

        Assert.Equal(JumbfErrorReason.UnsupportedFormat, error.Reason);
        Assert.Null(ManifestStoreReader.ReadFile(TestImages.Png()));
    }

    /// <summary>The file with the caBX chunk's data replaced by <paramref name="store"/> (CRC recomputed).</summary>
    private static byte[] ReplaceStoreBytes(EmbeddedAsset embedded, byte[] store)
    {
        var range = embedded.ManifestRanges[0];
        using var stream = new MemoryStream();
        stream.Write(embedded.File.AsSpan(0, (int)range.Start));
        TestImages.WriteChunk(stream, "caBX", store);
        stream.Write(embedded.File.AsSpan((int)range.End));
        return stream.ToArray();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
