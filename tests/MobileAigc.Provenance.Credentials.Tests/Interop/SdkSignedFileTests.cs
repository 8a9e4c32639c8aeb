using System.Text.Json.Nodes;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>
/// Files the official SDK signs inside the test, and the reference implementation's files, read by our validator with
/// the SDK's own verdict on them: the same validation state and the same set of failure codes, sound or changed.
/// </summary>
public sealed class SdkSignedFileTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>
{
    private const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private static readonly C2paSigningCredentials Credentials = C2paTestCertificates.Create(nameof(SdkSignedFileTests));

    private C2paSdk Sdk => fixture.Sdk;

    public static TheoryData<string> Mimes => [InteropImages.Png, InteropImages.Jpeg, InteropImages.Webp];

    [Theory]
    [MemberData(nameof(Mimes))]
    public async Task Validate_SdkSignedWithCreatedAction_IsValidUntrustedForBoth(string mime)
    {
        var signed = await Sdk.SignAsync(InteropImages.Encode(mime), mime, Definition("created"), Credentials);

        var both = await BothReaders.ReadAsync(Sdk, signed, mime);

        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], both.AssertSameVerdict());
        Assert.Equal(ValidationState.Valid, both.Ours.State);
        Assert.Contains(ValidationStatusCodes.AssertionDataHashMatch, both.Ours.ActiveManifest!.Success.Select(s => s.Code));
        Assert.Equal(both.Sdk.ActiveManifestLabel, both.Ours.Store!.ActiveManifest!.Label);
    }

    [Theory]
    [MemberData(nameof(Mimes))]
    public async Task Validate_SdkSignedWithTheIssuingCaTrusted_IsTrustedForBoth(string mime)
    {
        var signed = await Sdk.SignAsync(InteropImages.Encode(mime), mime, Definition("trusted"), Credentials);

        var trusted = await BothReaders.ReadAsync(Sdk, signed, mime, Credentials.TrustAnchorPem);
        var otherCa = await BothReaders.ReadAsync(Sdk, signed, mime, C2paTestCertificates.Create("other").TrustAnchorPem);

        Assert.Empty(trusted.AssertSameVerdict());
        Assert.Equal(ValidationState.Trusted, trusted.Ours.State);
        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], otherCa.AssertSameVerdict());
    }

    [Theory]
    [InlineData(InteropImages.Png, InteropImages.Png)]
    [InlineData(InteropImages.Jpeg, InteropImages.Png)]
    [InlineData(InteropImages.Png, InteropImages.Jpeg)]
    public async Task Validate_SdkSignedWithAnIngredientWithItsOwnManifest_SameVerdictForTheFileAndTheIngredient(string mime, string parentMime)
    {
        var parent = await Sdk.SignAsync(InteropImages.Encode(parentMime, seed: 1), parentMime, Definition("parent"), Credentials);
        var ingredient = new C2paIngredientFile(parent, parentMime, """{"title":"parent","relationship":"parentOf"}""");

        var child = await Sdk.SignAsync(InteropImages.Encode(mime, seed: 2), mime, Definition("child"), Credentials, [ingredient]);
        var both = await BothReaders.ReadAsync(Sdk, child, mime);

        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], both.AssertSameVerdict());
        var sdkIngredient = Assert.Single(both.Sdk.Ingredients);
        var ourIngredient = Assert.Single(both.Ours.Ingredients);
        Assert.Equal(sdkIngredient["active_manifest"]?.GetValue<string>(), ourIngredient.ManifestLabel);
        Assert.Equal(ValidationState.Valid, ourIngredient.Result.State);
        // The SDK reports the ingredient manifest's statuses under the ingredient, as we do.
        Assert.Equal(
            both.SdkIngredientStatuses("failure").Order(StringComparer.Ordinal),
            ourIngredient.Result.Failure.Select(s => $"{s.Code} {s.Url}").Order(StringComparer.Ordinal));
        Assert.Contains(ValidationStatusCodes.IngredientManifestValidated, ourIngredient.Result.Success.Select(s => s.Code));
    }

    [Theory]
    [MemberData(nameof(Mimes))]
    public async Task Validate_SdkSignedWithAnIngredientWithoutManifest_SameVerdictAndUnknownProvenance(string mime)
    {
        var ingredient = new C2paIngredientFile(InteropImages.Encode(mime, seed: 3), mime, """{"title":"plain","relationship":"parentOf"}""");

        var child = await Sdk.SignAsync(InteropImages.Encode(mime, seed: 4), mime, Definition("child of a plain file"), Credentials, [ingredient]);
        var both = await BothReaders.ReadAsync(Sdk, child, mime);

        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], both.AssertSameVerdict());
        Assert.Empty(both.Ours.Ingredients);
        // The SDK reports it under the ingredient (ingredientDeltas), we in the active manifest's list: same code, same URL.
        var unknown = Assert.Single(both.SdkIngredientStatuses("informational"));
        Assert.StartsWith(ValidationStatusCodes.IngredientUnknownProvenance + " ", unknown, StringComparison.Ordinal);
        Assert.Contains(unknown, both.Ours.ActiveManifest!.Informational.Select(s => $"{s.Code} {s.Url}"));
    }

    [Theory]
    [InlineData("C.jpg")]
    [InlineData("CA.jpg")]
    [InlineData("E-sig-CA.jpg")]
    [InlineData("XCA.jpg")]
    [InlineData("no_manifest.jpg")]
    public async Task Validate_ReferenceImplementationFile_SameVerdictAsTheSdkInThisRun(string file)
    {
        var both = await BothReaders.ReadAsync(Sdk, Fixtures.C2paRs(file), InteropImages.Jpeg);

        both.AssertSameVerdict();
    }

    [Theory]
    [InlineData(InteropImages.Png, "IDAT", 0)]
    [InlineData(InteropImages.Png, "tEXt", 0)]
    [InlineData(InteropImages.Png, "IHDR", 0)]
    [InlineData(InteropImages.Jpeg, null, 0.1)]
    [InlineData(InteropImages.Jpeg, null, 0.5)]
    [InlineData(InteropImages.Jpeg, null, 0.95)]
    public async Task Validate_OneByteChangedOutsideTheManifest_DataHashMismatchForBoth(string mime, string? pngChunk, double scanFraction)
    {
        var signed = await Sdk.SignAsync(InteropImages.Encode(mime), mime, Definition("changed"), Credentials);
        var index = pngChunk is null ? InteropImages.JpegScanByte(signed, scanFraction) : InteropImages.PngChunkDataByte(signed, pngChunk);

        var both = await BothReaders.ReadAsync(Sdk, InteropImages.WithByteFlipped(signed, index), mime);

        Assert.Contains(ValidationStatusCodes.AssertionDataHashMismatch, both.AssertSameVerdict());
        Assert.Equal(ValidationState.Invalid, both.Ours.State);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.9)]
    [InlineData(-1)] // the RIFF size in the file header
    public async Task Validate_WebpChangedOutsideTheManifest_DataHashMismatchForBoth(double vp8Fraction)
    {
        var signed = await Sdk.SignAsync(InteropImages.Encode(InteropImages.Webp), InteropImages.Webp, Definition("changed"), Credentials);
        var index = vp8Fraction < 0 ? 4 : InteropImages.WebpChunkDataByte(signed, "VP8 ", vp8Fraction);

        var both = await BothReaders.ReadAsync(Sdk, InteropImages.WithByteFlipped(signed, index), InteropImages.Webp);

        Assert.Contains(ValidationStatusCodes.AssertionDataHashMismatch, both.AssertSameVerdict());
        Assert.Equal(ValidationState.Invalid, both.Ours.State);
    }

    [Fact]
    public async Task Validate_WebpWithTheStoreOfAnotherPicture_DataHashMismatchForBoth()
    {
        // A store lifted from one signed WebP into another picture: valid signature, but the hard binding names other bytes.
        var donor = await Sdk.SignAsync(InteropImages.Encode(InteropImages.Webp, seed: 20), InteropImages.Webp, Definition("donor"), Credentials);
        var swapped = AssetContainers.Embed(InteropImages.Encode(InteropImages.Webp, seed: 21), AssetContainers.Locate(donor)!.ManifestStore).File;

        var both = await BothReaders.ReadAsync(Sdk, swapped, InteropImages.Webp);

        Assert.Contains(ValidationStatusCodes.AssertionDataHashMismatch, both.AssertSameVerdict());
        Assert.Equal(ValidationState.Invalid, both.Ours.State);
    }

    [Theory]
    [MemberData(nameof(Mimes))]
    public async Task Validate_OneByteChangedInsideTheClaim_SameVerdictWithClaimSignatureMismatch(string mime)
    {
        var signed = await Sdk.SignAsync(InteropImages.Encode(mime), mime, Definition("claim changed"), Credentials);

        var both = await BothReaders.ReadAsync(Sdk, InteropImages.WithByteFlipped(signed, InteropImages.ClaimByte(signed)), mime);

        Assert.Contains(ValidationStatusCodes.ClaimSignatureMismatch, both.AssertSameVerdict());
    }

    [Theory]
    [MemberData(nameof(Mimes))]
    public async Task Validate_ManifestStoreStripped_NoStoreForBoth(string mime)
    {
        var signed = await Sdk.SignAsync(InteropImages.Encode(mime), mime, Definition("stripped"), Credentials);

        var both = await BothReaders.ReadAsync(Sdk, AssetContainers.Strip(signed), mime);

        both.AssertSameVerdict();
        Assert.Equal(C2paReadOutcome.NoManifest, both.Sdk.Outcome);
    }

    private static string Definition(string title) => new JsonObject
    {
        ["title"] = title,
        ["claim_generator_info"] = new JsonArray(new JsonObject { ["name"] = "MobileAigc.Provenance interop tests", ["version"] = "1.0" }),
        ["assertions"] = new JsonArray(new JsonObject
        {
            ["label"] = "c2pa.actions.v2",
            ["data"] = new JsonObject
            {
                ["actions"] = new JsonArray(new JsonObject { ["action"] = "c2pa.created", ["digitalSourceType"] = TrainedAlgorithmicMedia }),
            },
        }),
    }.ToJsonString();
}
