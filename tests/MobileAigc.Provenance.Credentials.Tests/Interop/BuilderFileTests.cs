using System.Text.Json.Nodes;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Tests.Building;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>
/// Files our builder writes, read by the official SDK and by our validator with one verdict: Valid (untrusted signer
/// only) with every hashed URI and the data hash matching, including what the builder's own SDK tests leave out (a
/// JPEG thumbnail, a large store in a PNG, a parent signed by the SDK or by the reference implementation), and the
/// same verdict once such a file is changed by one byte or stripped.
/// </summary>
public sealed class BuilderFileTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>, IDisposable
{
    private static readonly C2paSigningCredentials SdkCredentials = C2paTestCertificates.Create(nameof(BuilderFileTests));

    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();

    private C2paSdk Sdk => fixture.Sdk;

    public void Dispose() => _certificates.Dispose();

    [Theory]
    [InlineData(InteropImages.Png, InteropImages.Jpeg, false)]
    [InlineData(InteropImages.Jpeg, InteropImages.Jpeg, false)]
    [InlineData(InteropImages.Png, InteropImages.Png, true)]
    [InlineData(InteropImages.Jpeg, InteropImages.Png, true)]
    [InlineData(InteropImages.Webp, InteropImages.Jpeg, false)]
    public async Task Build_ReadByBoth_ValidWithEveryHashedUriAndTheDataHashMatching(string mime, string thumbnailMime, bool largeStore)
    {
        // A 256×256 PNG of random pixels does not compress: a store of about 200 KB, several APP11 segments in a JPEG.
        var thumbnail = largeStore ? SamplePngs.Png(256, 256, seed: 7) : InteropImages.Encode(thumbnailMime, seed: 5);
        var request = ManifestBuilderFixture.Request(InteropImages.Encode(mime)) with { Thumbnail = new ClaimThumbnail(thumbnailMime, thumbnail) };

        var signed = Builder().Build(request);
        var both = await BothReaders.ReadAsync(Sdk, signed.File, mime);

        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], both.AssertSameVerdict());
        Assert.True(largeStore == signed.ManifestStore.Length > 150_000, $"store of {signed.ManifestStore.Length} bytes");
        AssertSameMatches(both, ValidationStatusCodes.AssertionHashedUriMatch);
        AssertSameMatches(both, ValidationStatusCodes.AssertionDataHashMatch);
        Assert.Equal(thumbnailMime, both.Sdk.ActiveManifest?["thumbnail"]?["format"]?.GetValue<string>());
    }

    [Theory]
    [InlineData(InteropImages.Png, InteropImages.Png)]
    [InlineData(InteropImages.Jpeg, InteropImages.Png)]
    [InlineData(InteropImages.Png, InteropImages.Jpeg)]
    public async Task Build_ParentSignedByTheSdk_BothValidateTheParentManifestUnderTheIngredient(string mime, string parentMime)
    {
        var parent = await Sdk.SignWithManifestStoreAsync(InteropImages.Encode(parentMime, seed: 8), parentMime, SdkDefinition("sdk parent"), SdkCredentials);
        var parentReport = new ManifestValidator().ValidateFile(parent.File);

        var signed = Builder().Build(ManifestBuilderFixture.Request(InteropImages.Encode(mime, seed: 9)) with
        {
            Parent = new ParentIngredient("sdk parent", parentMime, parent.ManifestStore, IngredientValidationResults.From(parentReport.ActiveManifest!)),
        });
        var both = await BothReaders.ReadAsync(Sdk, signed.File, mime);

        AssertParentValidatedByBoth(both, parentReport.Store!.ActiveManifest!.Label);
    }

    [Fact]
    public async Task Build_ParentSignedByTheReferenceImplementation_BothValidateTheParentManifestUnderTheIngredient()
    {
        var parentFile = Fixtures.C2paRs("C.jpg");
        var parentReport = new ManifestValidator().ValidateFile(parentFile);

        var signed = Builder().Build(ManifestBuilderFixture.Request(InteropImages.Encode(InteropImages.Jpeg, seed: 10)) with
        {
            Parent = new ParentIngredient("C.jpg", InteropImages.Jpeg, AssetContainers.Locate(parentFile)!.ManifestStore, IngredientValidationResults.From(parentReport.ActiveManifest!)),
        });
        var both = await BothReaders.ReadAsync(Sdk, signed.File, InteropImages.Jpeg);

        AssertParentValidatedByBoth(both, parentReport.Store!.ActiveManifest!.Label);
    }

    [Theory]
    [InlineData(InteropImages.Png, "IDAT")]
    [InlineData(InteropImages.Png, "tEXt")]
    [InlineData(InteropImages.Jpeg, "scan")]
    [InlineData(InteropImages.Png, "claim")]
    [InlineData(InteropImages.Jpeg, "claim")]
    [InlineData(InteropImages.Png, "strip")]
    [InlineData(InteropImages.Jpeg, "strip")]
    [InlineData(InteropImages.Webp, "VP8 ")]
    [InlineData(InteropImages.Webp, "claim")]
    [InlineData(InteropImages.Webp, "strip")]
    public async Task Build_ThenChangedOrStripped_SameVerdictForBoth(string mime, string change)
    {
        var file = Builder().Build(ManifestBuilderFixture.Request(InteropImages.Encode(mime, seed: 11))).File;
        var changed = change switch
        {
            "strip" => AssetContainers.Strip(file),
            "claim" => InteropImages.WithByteFlipped(file, InteropImages.ClaimByte(file)),
            "scan" => InteropImages.WithByteFlipped(file, InteropImages.JpegScanByte(file, 0.5)),
            "VP8 " => InteropImages.WithByteFlipped(file, InteropImages.WebpChunkDataByte(file, change, 0.5)),
            _ => InteropImages.WithByteFlipped(file, InteropImages.PngChunkDataByte(file, change)),
        };

        var both = await BothReaders.ReadAsync(Sdk, changed, mime);

        var failures = both.AssertSameVerdict();
        var expected = change switch
        {
            "strip" => null,
            "claim" => ValidationStatusCodes.ClaimSignatureMismatch,
            _ => ValidationStatusCodes.AssertionDataHashMismatch,
        };
        Assert.Equal(expected is null, !both.Ours.HasManifestStore);
        if (expected is not null)
        {
            Assert.Contains(expected, failures);
        }
    }

    private static void AssertSameMatches(BothReaders both, string code) =>
        Assert.Equal(
            both.Sdk.Successes.Where(s => s.Code == code).Select(s => s.Url).Order(StringComparer.Ordinal),
            both.Ours.ActiveManifest!.Success.Where(s => s.Code == code).Select(s => s.Url).Order(StringComparer.Ordinal));

    private static void AssertParentValidatedByBoth(BothReaders both, string parentLabel)
    {
        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], both.AssertSameVerdict());
        var sdkIngredient = Assert.Single(both.Sdk.Ingredients);
        Assert.Equal(parentLabel, sdkIngredient["active_manifest"]?.GetValue<string>());
        var ours = Assert.Single(both.Ours.Ingredients);
        Assert.Equal(parentLabel, ours.ManifestLabel);
        // The SDK reports deltas against the validation results our builder recorded in the ingredient (none here: the
        // parent was just as untrusted then), we the parent manifest's whole validation: theirs within ours.
        Assert.Equal(ValidationState.Valid, ours.Result.State);
        Assert.Subset(
            ours.Result.Failure.Select(s => $"{s.Code} {s.Url}").ToHashSet(),
            both.SdkIngredientStatuses("failure").ToHashSet());
        Assert.Contains(both.SdkIngredientStatuses("success"), s => s.StartsWith(ValidationStatusCodes.IngredientManifestValidated + " ", StringComparison.Ordinal));
        Assert.Contains(ValidationStatusCodes.IngredientManifestValidated, ours.Result.Success.Select(s => s.Code));
    }

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, TimeProvider.System);

    private static string SdkDefinition(string title) => new JsonObject
    {
        ["title"] = title,
        ["assertions"] = new JsonArray(new JsonObject
        {
            ["label"] = "c2pa.actions.v2",
            ["data"] = new JsonObject { ["actions"] = new JsonArray(new JsonObject { ["action"] = "c2pa.created", ["digitalSourceType"] = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture" }) },
        }),
    }.ToJsonString();
}
