using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Credentials.Tests.Reading;

public sealed class ManifestStoreReaderTests
{
    [Fact]
    public void ReadFile_ReferenceJpeg_ReadsTheV1ClaimAssertionsAndThumbnail()
    {
        var store = ManifestStoreReader.ReadFile(Fixtures.C2paRs("C.jpg"))!;

        var manifest = Assert.Single(store.Manifests);
        Assert.Same(manifest, store.ActiveManifest);
        Assert.Equal("contentauth:urn:uuid:b2b1f7fa-b119-4de1-9c0d-c97fbea3f2c3", manifest.Label);
        var claim = manifest.Claim!;
        Assert.Equal(1, claim.Version);
        Assert.Equal("C.jpg", claim.Title);
        Assert.Equal("image/jpeg", claim.Format);
        Assert.StartsWith("make_test_images", claim.ClaimGenerator, StringComparison.Ordinal);
        Assert.Equal("self#jumbf=c2pa.signature", claim.SignatureUrl);
        Assert.Equal(4, claim.CreatedAssertions.Count);
        var thumbnail = manifest.FindAssertion("c2pa.thumbnail.claim.jpeg")!;
        Assert.Equal(AssertionKind.EmbeddedFile, thumbnail.Kind);
        Assert.Equal("image/jpeg", thumbnail.File!.MediaType);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, thumbnail.File.Data[..2].ToArray());
        Assert.Equal("John Doe", manifest.FindAssertion("stds.schema-org.CreativeWork")!.Content!["author"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(-37, manifest.Signature!.Algorithm); // PS256
        Assert.Contains("C2PA Signer", manifest.Signature.Signer!.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_ReferenceJpegWithIngredient_ReadsTheParentOfIngredient()
    {
        var store = ManifestStoreReader.ReadFile(Fixtures.C2paRs("CA.jpg"))!;

        var ingredient = Assert.Single(store.ActiveManifest!.Ingredients);
        Assert.Equal("A.jpg", ingredient.Title);
        Assert.Equal("parentOf", ingredient.Relationship);
        Assert.Equal(1, ingredient.Version);
        Assert.Null(ingredient.ManifestReference); // A.jpg carried no manifest
    }

    [Fact]
    public void Read_NotAManifestStore_IsMalformed()
    {
        var box = new JumbfSuperBox(C2paContentTypes.Json, "c2pa", JumbfDataBox.Json("{}"u8.ToArray()));

        var error = Assert.Throws<JumbfException>(() => ManifestStoreReader.Read(box.Encoded));

        Assert.Equal(JumbfErrorReason.Malformed, error.Reason);
    }

    [Fact]
    public void ReadFile_UntaggedCoseSign1_StillVerifies()
    {
        using var signer = TestSigner.Create();
        var options = new TestManifests.Options { Sign = claim => signer.Sign(claim)[1..] }; // drop tag 18 (0xD2)

        var report = new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), signer, options).File);

        Assert.Contains(report.ActiveManifest!.Success, status => status.Code == ValidationStatusCodes.ClaimSignatureValidated);
    }

    [Fact]
    public void CborJson_NestedDeeperThanTheLimit_IsCborContentException()
    {
        byte[] deep = [.. Enumerable.Repeat((byte)0x81, 100), 0x00];

        Assert.Throws<System.Formats.Cbor.CborContentException>(() => CborJson.Decode(deep));
    }
}
