using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

public sealed class ManifestBuilderTests : IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Build_StrippingTheStore_GivesBackTheExactInputAndTheAssetHashIsItsSha256(string format)
    {
        var asset = ManifestBuilderFixture.Asset(format);

        var signed = Builder().Build(ManifestBuilderFixture.Request(asset));

        Assert.Equal(asset, AssetContainers.Strip(signed.File));
        Assert.Equal(Bytes32.Sha256(asset), signed.AssetHash);
        Assert.Equal(Bytes32.Sha256(asset), AssetContainers.AssetHash(signed.File));
        Assert.Equal(signed.ManifestStore, AssetContainers.Locate(signed.File)!.ManifestStore.ToArray());
        Assert.Equal(RecordManifestLabel.For(ManifestBuilderFixture.Record(asset).RecordDigest), signed.ManifestLabel);
        Dump(signed.File, "built." + format);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Build_DataHashAssertion_ExcludesExactlyTheEmbeddedStoreAndHashesTheRest(string format)
    {
        var asset = ManifestBuilderFixture.Asset(format);

        var signed = Builder().Build(ManifestBuilderFixture.Request(asset));

        var written = WrittenManifest.Read(signed.File);
        var dataHash = WrittenManifest.ReadMap(written.AssertionCbor(AssertionLabels.DataHash));
        var exclusion = (Dictionary<string, object>)Assert.Single((List<object>)dataHash["exclusions"]);
        var ranges = written.Location.Ranges;
        Assert.Equal((ulong)ranges[0].Start, exclusion["start"]);
        Assert.Equal((ulong)(ranges[^1].End - ranges[0].Start), exclusion["length"]);
        Assert.Equal("sha256", dataHash["alg"]);
        Assert.Equal(SHA256.HashData(asset), (byte[])dataHash["hash"]);
        Assert.Equal((ulong)signed.ExclusionStart, exclusion["start"]);
        Assert.Equal((ulong)signed.ExclusionLength, exclusion["length"]);
    }

    [Fact]
    public void Build_JpegStoreOver64KiB_IsSplitIntoSegmentsAndStillRoundTrips()
    {
        var asset = ManifestBuilderFixture.Asset("jpeg");
        var thumbnail = RandomNumberGenerator.GetBytes(150_000);

        var signed = Builder().Build(ManifestBuilderFixture.Request(asset, thumbnail: thumbnail));

        Assert.True(signed.ManifestStore.Length > 2 * 65_535);
        Assert.Equal(asset, AssetContainers.Strip(signed.File));
        var written = WrittenManifest.Read(signed.File);
        Assert.Equal(signed.ManifestStore, written.Location.ManifestStore.ToArray());
        Assert.Equal(signed.ExclusionLength, written.Location.Ranges[^1].End - written.Location.Ranges[0].Start);
        Dump(signed.File, "large.jpeg");
    }

    /// <summary>
    /// Thumbnail sizes that move the store across CBOR length boundaries (24, 256, 65,536 bytes) and
    /// JPEG segment boundaries: the pad must settle every time.
    /// </summary>
    [Theory]
    [InlineData("png", 1)]
    [InlineData("png", 200)]
    [InlineData("png", 65_400)]
    [InlineData("jpeg", 1)]
    [InlineData("jpeg", 63_000)]
    [InlineData("jpeg", 63_900)]
    [InlineData("jpeg", 64_100)]
    [InlineData("jpeg", 130_900)]
    public void Build_StoreSizesAcrossEncodingBoundaries_SettleOnTheExactExclusion(string format, int thumbnailLength)
    {
        var asset = ManifestBuilderFixture.Asset(format);
        for (var delta = 0; delta < 40; delta += 3)
        {
            var thumbnail = new byte[thumbnailLength + delta];

            var signed = Builder().Build(ManifestBuilderFixture.Request(asset, thumbnail: thumbnail));

            Assert.Equal(asset, AssetContainers.Strip(signed.File));
            Assert.Equal(signed.File.Length - asset.Length, signed.ExclusionLength);
        }
    }

    [Theory]
    [InlineData("png", 11)]
    [InlineData("jpeg", 12)]
    public void Build_SeededRandomThumbnailSizes_AlwaysSettleAndValidate(string format, int seed)
    {
        var asset = ManifestBuilderFixture.Asset(format);
        var random = new Random(seed);
        var validator = new ManifestValidator(TrustList.Empty, TimeProvider.System);
        for (var i = 0; i < 12; i++)
        {
            var thumbnail = new byte[random.Next(1, 200_000)];
            random.NextBytes(thumbnail);

            var signed = Builder().Build(ManifestBuilderFixture.Request(asset, thumbnail: thumbnail));

            Assert.Equal(asset, AssetContainers.Strip(signed.File));
            var report = validator.ValidateFile(signed.File);
            Assert.True(report.State == ValidationState.Valid, $"thumbnail of {thumbnail.Length} bytes: {string.Join(", ", report.ActiveManifest!.FailureCodes)}");
        }
    }

    [Fact]
    public void Build_WithoutRecord_UsesARandomC2paLabelAndNoRecordAssertion()
    {
        var asset = ManifestBuilderFixture.Asset("png");

        var first = Builder().Build(ManifestBuilderFixture.Request(asset, withRecord: false));
        var second = Builder().Build(ManifestBuilderFixture.Request(asset, withRecord: false));

        Assert.NotNull(RecordManifestLabel.TryParse(first.ManifestLabel));
        Assert.NotEqual(first.ManifestLabel, second.ManifestLabel);
        Assert.Null(WrittenManifest.Read(first.File).Assertions.FindChild(AssertionLabels.ProvenanceRecord));
    }

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, _time);

    private static void Dump(byte[] file, string name)
    {
        // Set C2PA_WRITE_DUMP to a folder to look at the files with other readers.
        if (Environment.GetEnvironmentVariable("C2PA_WRITE_DUMP") is { } folder)
        {
            File.WriteAllBytes(Path.Combine(folder, name), file);
        }
    }

    public void Dispose() => _certificates.Dispose();
}
