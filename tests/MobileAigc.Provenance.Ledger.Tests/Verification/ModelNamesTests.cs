using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>Where the names verification answers for models come from: the manifests the ledger is given.</summary>
public sealed class ModelNamesTests
{
    [Fact]
    public void Load_ShippedManifests_NamesEachModelByTheHashItPins()
    {
        var image = ModelManifest.Load(VerificationLedger.ShippedImageModelManifest);
        var text = ModelManifest.Load(VerificationLedger.ShippedTextModelManifest);

        var names = ModelNames.Load(
            [VerificationLedger.ShippedImageModelManifest], TextWatermarkDetector.LoadModels([VerificationLedger.ShippedTextModelManifest]));

        Assert.Equal(2, names.Count);
        Assert.Equal("cppn-image", names.Of(Bytes32.Parse(image.Sha256!)));
        Assert.Equal("kjv-char-mlp", names.Of(Bytes32.Parse(text.Sha256!)));
        Assert.Null(names.Of(Bytes32.Sha256("an unknown model"u8)));
    }

    [Fact]
    public void Load_TwoManifestsPinningOneHash_KeepsTheFirstName()
    {
        using var folder = new ManifestFolder();
        var hash = Bytes32.Sha256("one model"u8);

        var names = ModelNames.Load([folder.Pinning(hash, "first"), folder.Pinning(hash, "second")], []);

        Assert.Equal("first", names.Of(hash));
    }

    [Fact]
    public void Load_MissingManifest_FailsNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-manifest-{Guid.NewGuid():N}.json");

        var error = Assert.Throws<InvalidOperationException>(() => ModelNames.Load([missing], []));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }
}
