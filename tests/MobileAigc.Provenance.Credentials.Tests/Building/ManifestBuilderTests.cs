using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Credentials.Tests.Signing;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

public sealed class ManifestBuilderTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Build_Png_ExclusionRemovedGivesBackTheInputAndTheHashIsItsSha256()
    {
        var asset = TestImages.Png(16, 16, seed: 1);

        var signed = Builder().Build(ManifestBuilderFixture.Request(asset));

        var stripped = signed.File.AsSpan(0, (int)signed.ExclusionStart).ToArray()
            .Concat(signed.File.AsSpan((int)(signed.ExclusionStart + signed.ExclusionLength)).ToArray()).ToArray();
        Assert.Equal(asset, stripped);
        Assert.Equal(Bytes32.Sha256(asset), signed.AssetHash);
        Assert.Equal(RecordManifestLabel.For(ManifestBuilderFixture.Record(asset).RecordDigest), signed.ManifestLabel);
        Assert.Equal(signed.ExclusionLength, signed.ManifestStore.Length + 12);
        var dump = Environment.GetEnvironmentVariable("C2PA_WRITE_DUMP");
        if (dump is not null)
        {
            File.WriteAllBytes(Path.Combine(dump, "built.png"), signed.File);
        }
    }

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, _time, [new TestPngContainer()]);

    public void Dispose() => _certificates.Dispose();
}
