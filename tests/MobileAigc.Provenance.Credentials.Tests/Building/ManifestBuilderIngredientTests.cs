using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>Image-to-image derivations: the input becomes a parentOf ingredient, with its own manifest when it had one.</summary>
public sealed class ManifestBuilderIngredientTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>, IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Build_ParentWithCredentials_CopiesItsManifestAndTheOfficialSdkListsItAsParent()
    {
        var parentFile = Builder().Build(ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 3), withRecord: false));
        var parentVerdict = await fixture.Sdk.ReadAsync(parentFile.File, "image/png");
        var child = SamplePngs.Png(16, 16, seed: 4);
        var request = ManifestBuilderFixture.Request(child) with { Parent = Parent(parentFile.ManifestStore, parentVerdict) };

        var signed = Builder().Build(request);
        var result = await fixture.Sdk.ReadAsync(signed.File, "image/png");

        Assert.True(result.ValidationState == "Valid", result.ToString());
        Assert.Equal(["signingCredential.untrusted"], result.FailureCodes);
        Assert.Equal(signed.ManifestLabel, result.ActiveManifestLabel);
        var ingredient = Assert.Single(result.Ingredients);
        Assert.Equal("parentOf", ingredient["relationship"]!.GetValue<string>());
        Assert.Equal(parentFile.ManifestLabel, ingredient["active_manifest"]!.GetValue<string>());
        var deltas = Assert.Single(result.Store!["validation_results"]!["ingredientDeltas"]!.AsArray())!["validationDeltas"]!;
        Assert.Empty(deltas["failure"]!.AsArray());
        Assert.Contains(deltas["success"]!.AsArray(), status => status!["code"]!.GetValue<string>() == "ingredient.manifest.validated");
        var actions = result.Assertion("c2pa.actions.v2")!["actions"]!.AsArray();
        Assert.Equal(["c2pa.opened", "c2pa.edited", "c2pa.watermarked.bound"], actions.Select(a => a!["action"]!.GetValue<string>()));
        Assert.Equal(child, AssetContainers.Strip(signed.File));
    }

    [Fact]
    public async Task Build_ParentWithoutCredentials_IsAnIngredientWithoutManifestAndStaysValid()
    {
        var request = ManifestBuilderFixture.Request(SamplePngs.Png(16, 16, seed: 5)) with
        {
            Parent = new ParentIngredient("input.png", "image/png", ReadOnlyMemory<byte>.Empty, null),
        };

        var signed = Builder().Build(request);
        var result = await fixture.Sdk.ReadAsync(signed.File, "image/png");

        Assert.True(result.ValidationState == "Valid", result.ToString());
        var ingredient = Assert.Single(result.Ingredients);
        Assert.Equal("input.png", ingredient["title"]!.GetValue<string>());
        Assert.Null(ingredient["active_manifest"]);
    }

    [Fact]
    public void Build_ParentWithCredentials_StoreHoldsTheParentManifestFirstAndTheIngredientHashesIt()
    {
        var parentFile = Builder().Build(ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 6), withRecord: false));
        var request = ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 7)) with
        {
            Parent = new ParentIngredient("in.png", "image/png", parentFile.ManifestStore, new IngredientValidationResults([], [], [])),
        };

        var signed = Builder().Build(request);

        var store = JumbfReader.ReadSuperBox(AssetContainers.Locate(signed.File)!.ManifestStore);
        Assert.Equal([parentFile.ManifestLabel, signed.ManifestLabel], store.SuperBoxes.Select(box => box.Label));
        var copied = store.SuperBoxes.First();
        var ours = store.SuperBoxes.Last().FindChild(AssertionLabels.AssertionStore)!;
        var ingredient = WrittenManifest.ReadMap(new System.Formats.Cbor.CborReader(ours.FindChild(AssertionLabels.Ingredient)!.FindData(JumbfBoxTypes.Cbor)!.Payload));
        var active = (Dictionary<string, object>)ingredient["activeManifest"];
        Assert.Equal($"self#jumbf=/c2pa/{parentFile.ManifestLabel}", active["url"]);
        Assert.Equal(SHA256.HashData(copied.EncodedPayload.Span), active["hash"]);
    }

    [Fact]
    public void Build_ParentManifestWithoutValidationResults_IsRefused()
    {
        var parentFile = Builder().Build(ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 8), withRecord: false));
        var request = ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 9)) with
        {
            Parent = new ParentIngredient("in.png", "image/png", parentFile.ManifestStore, null),
        };

        var error = Assert.Throws<ArgumentException>(() => Builder().Build(request));
        Assert.Contains("validation results", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ParentManifestOverTheLimit_IsRefused()
    {
        var parentFile = Builder().Build(ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 10), withRecord: false));
        var request = ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 11)) with
        {
            Parent = new ParentIngredient("in.png", "image/png", parentFile.ManifestStore, new IngredientValidationResults([], [], [])),
        };
        var limits = ManifestLimits.Default with { MaxIngredientManifestBytes = parentFile.ManifestStore.Length - 1 };

        Assert.Throws<ArgumentException>(() => new ManifestBuilder(_certificates.Signer(), limits, _time).Build(request));
    }

    [Fact]
    public void Build_ParentManifestStoreThatIsNoJumbf_ThrowsJumbfException()
    {
        var request = ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 12)) with
        {
            Parent = new ParentIngredient("in.png", "image/png", new byte[] { 0, 0, 0, 200, 0x6A, 0x75, 0x6D, 0x62 }, new IngredientValidationResults([], [], [])),
        };

        Assert.Throws<JumbfException>(() => Builder().Build(request));
    }

    [Fact]
    public void Build_ParentCarryingOurOwnLabel_IsRefused()
    {
        var asset = SamplePngs.Png(8, 8, seed: 13);
        var parentFile = Builder().Build(ManifestBuilderFixture.Request(asset));
        var request = ManifestBuilderFixture.Request(asset) with
        {
            Parent = new ParentIngredient("in.png", "image/png", parentFile.ManifestStore, new IngredientValidationResults([], [], [])),
        };

        var error = Assert.Throws<ArgumentException>(() => Builder().Build(request));
        Assert.Contains("repeat a label", error.Message, StringComparison.Ordinal);
    }

    private static ParentIngredient Parent(byte[] store, C2paReadResult verdict) => new(
        "input.png",
        "image/png",
        store,
        new IngredientValidationResults(
            [.. verdict.Successes.Select(s => new ValidationStatusEntry(s.Code, s.Url))],
            [.. verdict.Informational.Select(s => new ValidationStatusEntry(s.Code, s.Url))],
            [.. verdict.Failures.Select(s => new ValidationStatusEntry(s.Code, s.Url))]));

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, _time);

    public void Dispose() => _certificates.Dispose();
}
