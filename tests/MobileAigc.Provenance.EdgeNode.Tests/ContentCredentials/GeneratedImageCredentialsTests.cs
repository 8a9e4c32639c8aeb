using System.Buffers.Binary;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.EdgeNode.Tests.ContentCredentials;

/// <summary>Every picture the node generates carries signed Content Credentials that our reader and the official SDK accept.</summary>
public sealed class GeneratedImageCredentialsTests(CredentialedNodeFixture node, C2paSdkFixture sdk)
    : IClassFixture<CredentialedNodeFixture>, IClassFixture<C2paSdkFixture>
{
    private const string RecordAssertion = "org.mobileaigc.provenance-record";

    [Theory]
    [InlineData(null, "image/png")]
    [InlineData("png", "image/png")]
    [InlineData("jpeg", "image/jpeg")]
    public void GenerateImage_OurValidator_IsTrustedWithTheSignatureAndDataHashAndNamesTheRecord(string? format, string mediaType)
    {
        var result = node.Generate(new GenerateImageRequest("a harbour in the rain", Seed: 7, Format: format));

        var report = node.Validator.ValidateFile(result.File);

        Assert.Equal(mediaType, result.MediaType);
        Assert.Equal(mediaType == "image/jpeg" ? AssetFormat.Jpeg : AssetFormat.Png, AssetContainers.Detect(result.File));
        Assert.True(report.State == ValidationState.Trusted, string.Join(", ", report.ActiveManifest!.Failure.Select(f => f.Code + ": " + f.Explanation)));
        var success = report.ActiveManifest!.Success.Select(status => status.Code).ToList();
        Assert.Contains(ValidationStatusCodes.ClaimSignatureValidated, success);
        Assert.Contains(ValidationStatusCodes.AssertionDataHashMatch, success);
        var manifest = report.Store!.ActiveManifest!;
        Assert.Equal(RecordManifestLabel.For(result.RecordDigest), manifest.Label);
        var record = manifest.FindAssertion(RecordAssertion)!.Content!;
        Assert.Equal(result.RecordDigest.ToArray(), Convert.FromBase64String(record["recordDigest"]!.GetValue<string>()));
        Assert.Equal(result.Record.Signature.AsSpan().ToArray(), Convert.FromBase64String(record["recordSignature"]!.GetValue<string>()));
        Assert.Equal(node.Node.Node.ToString(), record["nodeAddress"]!.GetValue<string>());
        Assert.Equal(CredentialedNodeFixture.LedgerUrl.AbsoluteUri, record["ledgerUrl"]!.GetValue<string>());
    }

    [Fact]
    public void GenerateImage_ClaimSigner_IsBoundToTheNodeAddress()
    {
        var result = node.Generate(new GenerateImageRequest("a lighthouse", Seed: 3));

        var manifest = node.Validator.ValidateFile(result.File).Store!.ActiveManifest!;
        var signer = manifest.Signature!.Signer!;
        var binding = node.Node.C2paIdentity.Binding!;

        Assert.Equal(node.Node.Node, binding.Verify(signer, CredentialedNodeFixture.RegistryDomain));
        var written = manifest.FindAssertion(RecordAssertion)!.Content!["certificateBinding"]!;
        Assert.Equal(Bytes32.Sha256(signer.RawData).ToArray(), Convert.FromBase64String(written["certificateSha256"]!.GetValue<string>()));
        Assert.Equal(binding.Signed.Signature.AsSpan().ToArray(), Convert.FromBase64String(written["nodeSignature"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void GenerateImage_Stripped_HashesToTheRecordsContentHashAndTheDataHashCoversIt(string format)
    {
        var result = node.Generate(new GenerateImageRequest("a harbour in the rain", Seed: 11, Format: format));

        var stripped = AssetContainers.Strip(result.File);
        var dataHash = node.Validator.ValidateFile(result.File).Store!.ActiveManifest!.FindAssertion("c2pa.hash.data")!.Content!["hash"]!;

        Assert.Equal(Bytes32.Sha256(stripped), result.Record.Record.ContentHash);
        Assert.Equal(result.Record.Record.ContentHash.ToArray(), Convert.FromBase64String(dataHash.GetValue<string>()));
        Assert.NotEqual(Bytes32.Sha256(result.File), result.Record.Record.ContentHash);
        Assert.Equal(result.Record.ManifestStore, AssetContainers.Locate(result.File)!.ManifestStore.ToArray());
    }

    [Fact]
    public void GenerateImage_DeliveredFile_NamesTheFilesSha256AndRecoversToTheNode()
    {
        var result = node.Generate(new GenerateImageRequest("a harbour in the rain", Seed: 5, Format: "jpeg"));

        var delivered = result.Record.DeliveredFile!;

        Assert.Equal(new DeliveredFile(result.RecordDigest, Bytes32.Sha256(result.File)), delivered.File);
        Assert.Equal(node.Node.Node, DeliveredFileTypedData.RecoverSigner(delivered, CredentialedNodeFixture.LedgerDomain));
        var stored = node.Node.Outbox.Find(result.Record.Record.Sequence)!;
        Assert.Equal(result.Record.ManifestStore, stored.ManifestStore);
        Assert.Equal(delivered.File, stored.DeliveredFile!.File);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task GenerateImage_OfficialSdk_ReadsItValidWithTheDataHashMatchingAndTheAssertionsAsWritten(string format)
    {
        var result = node.Generate(new GenerateImageRequest("a harbour in the rain", Seed: 9, Format: format));

        var read = await sdk.Sdk.ReadAsync(result.File, result.MediaType);

        Assert.True(read.ValidationState == "Valid", read.ToString());
        Assert.Equal(["signingCredential.untrusted"], read.FailureCodes);
        Assert.Contains("assertion.dataHash.match", read.SuccessCodes);
        Assert.Contains("claimSignature.validated", read.SuccessCodes);
        Assert.Equal(RecordManifestLabel.For(result.RecordDigest), read.ActiveManifestLabel);
        var created = read.Assertion("c2pa.actions.v2")!["actions"]![0]!;
        Assert.Equal("c2pa.created", created["action"]!.GetValue<string>());
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", created["digitalSourceType"]!.GetValue<string>());
        var model = node.Node.Catalog.Find(ModelDescriptions.Manifests.ModelKind.Image, null);
        Assert.Equal(model.Name, created["softwareAgent"]!["name"]!.GetValue<string>());
        var bindings = read.Assertions.Where(a => a.Label == "c2pa.soft-binding")
            .ToDictionary(a => a.Data!["alg"]!.GetValue<string>(), a => Convert.FromBase64String(a.Data!["blocks"]![0]!["value"]!.GetValue<string>()));
        var payload = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(payload, result.WatermarkPayload);
        Assert.Equal(payload, bindings[SoftBindingAlgorithms.ImageWatermark]);
        Assert.Equal(result.Record.Record.PerceptualHash.ToArray(), bindings[SoftBindingAlgorithms.PerceptualHash]);
    }

    [Fact]
    public async Task GenerateImage_OfficialSdkWithTheNodesCaAsAnchor_IsTrusted()
    {
        var result = node.Generate(new GenerateImageRequest("a harbour in the rain", Seed: 13));

        var read = await sdk.Sdk.ReadAsync(result.File, result.MediaType, node.Node.C2paIdentity.Chain[^1].ExportCertificatePem());

        Assert.True(read.ValidationState == "Trusted", read.ToString());
    }

    [Fact]
    public async Task GenerateImage_FromACredentialedPicture_CarriesItAsAParentOfIngredientWithItsManifestAndTheParentRecord()
    {
        var parent = node.Generate(new GenerateImageRequest("a calm sea", Seed: 21));

        var child = node.Generate(new GenerateImageRequest("make it stormy", Seed: 22, InputImage: parent.File, Strength: 0.5, ParentRecord: parent.RecordDigest));

        var report = node.Validator.ValidateFile(child.File);
        Assert.Equal(ValidationState.Trusted, report.State);
        var ingredient = Assert.Single(report.Store!.ActiveManifest!.Ingredients);
        Assert.Equal("parentOf", ingredient.Relationship);
        Assert.Equal(RecordManifestLabel.For(parent.RecordDigest), ingredient.ManifestLabel);
        Assert.Equal(ValidationState.Trusted, Assert.Single(report.Ingredients).Result.State);
        var record = report.Store.ActiveManifest.FindAssertion(RecordAssertion)!.Content!;
        Assert.Equal(parent.RecordDigest.ToArray(), Convert.FromBase64String(record["parentRecord"]!.GetValue<string>()));
        Assert.Equal(parent.RecordDigest, child.Record.ParentRecord);

        var read = await sdk.Sdk.ReadAsync(child.File, child.MediaType);
        Assert.True(read.ValidationState == "Valid", read.ToString());
        var sdkIngredient = Assert.Single(read.Ingredients);
        Assert.Equal("parentOf", sdkIngredient["relationship"]!.GetValue<string>());
        Assert.Equal(RecordManifestLabel.For(parent.RecordDigest), sdkIngredient["active_manifest"]!.GetValue<string>());
    }

    [Fact]
    public void GenerateImage_FromAPictureWithoutCredentials_CarriesAParentOfIngredientWithoutAManifest()
    {
        var input = ImageCodec.Encode(RgbImage.Create(256, 256), ImageFileFormat.Jpeg);

        var child = node.Generate(new GenerateImageRequest("paint it", Seed: 23, InputImage: input));

        var report = node.Validator.ValidateFile(child.File);
        Assert.Equal(ValidationState.Trusted, report.State);
        var ingredient = Assert.Single(report.Store!.ActiveManifest!.Ingredients);
        Assert.Equal(("parentOf", "image/jpeg", null), (ingredient.Relationship, ingredient.Format, ingredient.ManifestLabel));
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("PNG")]
    [InlineData("")]
    public void GenerateImage_UnknownFormat_IsRefusedBeforeAnythingIsRecorded(string format)
    {
        var before = node.Node.Outbox.Count();

        var error = Assert.Throws<ArgumentException>(() => node.Generate(new GenerateImageRequest("x", Format: format)));

        Assert.Contains("format must be 'png' or 'jpeg'", error.Message);
        Assert.Equal(before, node.Node.Outbox.Count());
    }
}
