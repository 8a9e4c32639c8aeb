using System.Text.Json.Nodes;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Testing.Tests.C2pa;

/// <summary>
/// Files the official SDK signs inside the test (with a chain made by <see cref="C2paTestCertificates"/>) read back
/// by it as valid with their assertions as written, and a one-byte change outside the manifest caught by the data hash:
/// the files this project's own reader is checked on.
/// </summary>
public sealed class C2paSdkSignTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>
{
    private const string OurAssertion = "org.mobileaigc.test";
    private const string TrainedAlgorithmicMedia = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private static readonly C2paSigningCredentials Credentials = C2paTestCertificates.Create(nameof(C2paSdkSignTests));

    private static string Manifest(string title) => new JsonObject
    {
        ["title"] = title,
        ["claim_generator_info"] = new JsonArray(new JsonObject { ["name"] = "MobileAigc.Provenance tests", ["version"] = "1.0" }),
        ["assertions"] = new JsonArray(
            new JsonObject
            {
                ["label"] = "c2pa.actions.v2",
                ["data"] = new JsonObject
                {
                    ["actions"] = new JsonArray(new JsonObject { ["action"] = "c2pa.created", ["digitalSourceType"] = TrainedAlgorithmicMedia }),
                },
            },
            new JsonObject { ["label"] = OurAssertion, ["data"] = new JsonObject { ["record"] = "0xabc123", ["chainId"] = 31337 } }),
    }.ToJsonString();

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public async Task SignAsync_ThenReadAsync_IsValidWithMatchingDataHashAndTheAssertionsAsWritten(string mime)
    {
        var signed = await fixture.Sdk.SignAsync(TestImages.Encode(mime), mime, Manifest("generated"), Credentials);

        var result = await fixture.Sdk.ReadAsync(signed, mime);

        Assert.Equal(C2paReadOutcome.ManifestStore, result.Outcome);
        Assert.Equal("Valid", result.ValidationState);
        Assert.Equal(["signingCredential.untrusted"], result.FailureCodes);
        Assert.Contains("assertion.dataHash.match", result.SuccessCodes);
        Assert.Contains("claimSignature.validated", result.SuccessCodes);
        var action = result.Assertion("c2pa.actions.v2")?["actions"]?[0];
        Assert.Equal("c2pa.created", action?["action"]?.GetValue<string>());
        Assert.Equal(TrainedAlgorithmicMedia, action?["digitalSourceType"]?.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["record"] = "0xabc123", ["chainId"] = 31337 }, result.Assertion(OurAssertion)));
        Assert.Equal("generated", result.ActiveManifest?["title"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public async Task ReadAsync_SignersCaAsTrustAnchor_IsTrusted(string mime)
    {
        var signed = await fixture.Sdk.SignAsync(TestImages.Encode(mime), mime, Manifest("trusted"), Credentials);

        var trusted = await fixture.Sdk.ReadAsync(signed, mime, Credentials.TrustAnchorPem);
        var otherAnchor = await fixture.Sdk.ReadAsync(signed, mime, C2paTestCertificates.Create("other").TrustAnchorPem);

        Assert.Equal("Trusted", trusted.ValidationState);
        Assert.Empty(trusted.FailureCodes);
        Assert.Contains("signingCredential.trusted", trusted.SuccessCodes);
        Assert.Equal("Valid", otherAnchor.ValidationState);
        Assert.Equal(["signingCredential.untrusted"], otherAnchor.FailureCodes);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public async Task ReadAsync_OneByteChangedOutsideTheManifest_IsDataHashMismatch(string mime)
    {
        var signed = await fixture.Sdk.SignAsync(TestImages.Encode(mime), mime, Manifest("changed"), Credentials);

        var result = await fixture.Sdk.ReadAsync(TestImages.WithPixelByteChanged(signed, mime), mime);

        Assert.Equal("Invalid", result.ValidationState);
        Assert.Contains("assertion.dataHash.mismatch", result.FailureCodes);
        Assert.DoesNotContain("assertion.dataHash.match", result.SuccessCodes);
        Assert.Contains("claimSignature.validated", result.SuccessCodes);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public async Task SignWithManifestStoreAsync_ManifestStore_IsTheJumbfEmbeddedInTheFile(string mime)
    {
        var signed = await fixture.Sdk.SignWithManifestStoreAsync(TestImages.Encode(mime), mime, Manifest("store"), Credentials);

        // A small store is one PNG chunk or one APP11 segment, so its bytes lie in the file unbroken.
        Assert.InRange(signed.ManifestStore.Length, 100, 60_000);
        Assert.True(signed.File.AsSpan().IndexOf(signed.ManifestStore) > 0);
        Assert.Equal("jumb"u8.ToArray(), signed.ManifestStore[4..8]);
    }

    [Fact]
    public async Task ReadAsync_ManifestStoreAlone_HasItsSignatureCheckedButNoAssetToMatch()
    {
        var signed = await fixture.Sdk.SignWithManifestStoreAsync(TestImages.Encode("image/png"), "image/png", Manifest("alone"), Credentials);

        var result = await fixture.Sdk.ReadAsync(signed.ManifestStore, "application/c2pa");

        Assert.Equal(C2paReadOutcome.ManifestStore, result.Outcome);
        Assert.Contains("claimSignature.validated", result.SuccessCodes);
        Assert.Contains("assertion.dataHash.mismatch", result.FailureCodes);
        Assert.Equal("alone", result.ActiveManifest?["title"]?.GetValue<string>());
    }

    [Fact]
    public async Task SignAsync_IngredientWithItsOwnManifest_IsReadBackAsParentWithThatManifest()
    {
        const string png = "image/png";
        var parent = await fixture.Sdk.SignAsync(TestImages.Encode(png), png, Manifest("parent"), Credentials);
        var ingredient = new C2paIngredientFile(parent, png, """{"title":"parent.png","relationship":"parentOf"}""");

        var child = await fixture.Sdk.SignAsync(TestImages.Encode(png), png, Manifest("child"), Credentials, [ingredient]);
        var result = await fixture.Sdk.ReadAsync(child, png);

        Assert.Equal("Valid", result.ValidationState);
        var read = Assert.Single(result.Ingredients);
        Assert.Equal("parentOf", read["relationship"]?.GetValue<string>());
        var parentLabel = read["active_manifest"]?.GetValue<string>();
        Assert.NotNull(parentLabel);
        Assert.NotEqual(result.ActiveManifestLabel, parentLabel);
        Assert.Equal("parent", result.Store!["manifests"]?[parentLabel]?["title"]?.GetValue<string>());
    }

    [Fact]
    public async Task SignAsync_SelfSignedCertificate_IsRefusedWithTheSdkReason()
    {
        var selfSigned = Credentials with { ChainPem = Credentials.TrustAnchorPem };

        var error = await Assert.ThrowsAsync<C2paSdkException>(() =>
            fixture.Sdk.SignAsync(TestImages.Encode("image/png"), "image/png", Manifest("refused"), selfSigned));

        Assert.Contains("official C2PA SDK refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("claimSignature.mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_ActionsNotStartingWithCreatedOrOpened_IsRefused()
    {
        const string manifest = """{"title":"x","assertions":[{"label":"c2pa.actions.v2","data":{"actions":[{"action":"c2pa.edited"}]}}]}""";

        var error = await Assert.ThrowsAsync<C2paSdkException>(() =>
            fixture.Sdk.SignAsync(TestImages.Encode("image/png"), "image/png", manifest, Credentials));

        Assert.Contains("first action must be created or opened", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_ManifestStoreMediaType_IsRefusedAsNoAsset()
    {
        var error = await Assert.ThrowsAsync<C2paSdkException>(() =>
            fixture.Sdk.SignAsync(TestImages.Encode("image/png"), "application/c2pa", Manifest("x"), Credentials));

        Assert.Contains("unsupported media type 'application/c2pa'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAsync_ManifestNotJson_IsRefused()
    {
        var error = await Assert.ThrowsAsync<C2paSdkException>(() =>
            fixture.Sdk.SignAsync(TestImages.Encode("image/png"), "image/png", "{not json", Credentials));

        Assert.Contains("the manifest definition is not JSON", error.Message, StringComparison.Ordinal);
    }
}
