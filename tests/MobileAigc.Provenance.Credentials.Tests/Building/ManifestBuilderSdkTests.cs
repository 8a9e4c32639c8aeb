using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>The official C2PA SDK reads what the builder writes: Valid (untrusted signer only), data hash matching, assertions as written.</summary>
public sealed class ManifestBuilderSdkTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>, IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("png", 0)]
    [InlineData("jpeg", 0)]
    [InlineData("jpeg", 150_000)]
    public async Task Build_ReadByTheOfficialSdk_IsValidWithTheDataHashMatching(string format, int thumbnailBytes)
    {
        var asset = ManifestBuilderFixture.Asset(format);
        var request = ManifestBuilderFixture.Request(asset, thumbnail: thumbnailBytes == 0 ? null : RandomNumberGenerator.GetBytes(thumbnailBytes));

        var signed = Builder().Build(request);
        var result = await fixture.Sdk.ReadAsync(signed.File, "image/" + format);

        Assert.True(result.ValidationState == "Valid", result.ToString());
        Assert.Equal(["signingCredential.untrusted"], result.FailureCodes);
        Assert.Contains("assertion.dataHash.match", result.SuccessCodes);
        Assert.Contains("claimSignature.validated", result.SuccessCodes);
        Assert.Equal(signed.ManifestLabel, result.ActiveManifestLabel);
        Assert.Equal(7, result.SuccessCodes.Count(code => code == "assertion.hashedURI.match"));
    }

    [Fact]
    public async Task Build_ReadByTheOfficialSdkWithTheProviderCaAsAnchor_IsTrusted()
    {
        var signed = Builder().Build(ManifestBuilderFixture.Request(ManifestBuilderFixture.Asset("png")));

        var result = await fixture.Sdk.ReadAsync(signed.File, "image/png", _certificates.Ca.ExportCertificatePem());

        Assert.True(result.ValidationState == "Trusted", result.ToString());
        Assert.Empty(result.FailureCodes);
    }

    [Fact]
    public async Task Build_AssertionsAsTheOfficialSdkReadsThem_AreAsWritten()
    {
        var asset = ManifestBuilderFixture.Asset("jpeg");
        var record = ManifestBuilderFixture.Record(asset);

        var result = await fixture.Sdk.ReadAsync(Builder().Build(ManifestBuilderFixture.Request(asset)).File, "image/jpeg");

        var created = result.Assertion("c2pa.actions.v2")!["actions"]![0]!;
        Assert.Equal("c2pa.created", created["action"]!.GetValue<string>());
        Assert.Equal("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", created["digitalSourceType"]!.GetValue<string>());
        Assert.Equal(ManifestBuilderFixture.Model.Name, created["softwareAgent"]!["name"]!.GetValue<string>());
        Assert.Equal("c2pa.watermarked.bound", result.Assertion("c2pa.actions.v2")!["actions"]![1]!["action"]!.GetValue<string>());
        var algorithms = result.Assertions.Where(a => a.Label == "c2pa.soft-binding").Select(a => a.Data!["alg"]!.GetValue<string>());
        Assert.Equal(["org.mobileaigc.watermark.image.1", "org.mobileaigc.phash.1", "org.mobileaigc.pdq.1"], algorithms);
        var ours = result.Assertion(AssertionLabels.ProvenanceRecord)!;
        Assert.Equal(record.NodeAddress.ToString(), ours["nodeAddress"]!.GetValue<string>());
        Assert.Equal(31337, ours["eip712Domain"]!["chainId"]!.GetValue<long>());
        Assert.Equal(record.RecordDigest.ToArray(), Convert.FromBase64String(ours["recordDigest"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task Build_OneByteChangedOutsideTheStore_IsADataHashMismatchForTheOfficialSdk(string format)
    {
        var signed = Builder().Build(ManifestBuilderFixture.Request(ManifestBuilderFixture.Asset(format)));
        var tampered = signed.File.ToArray();
        tampered[signed.ExclusionStart + signed.ExclusionLength + 20] ^= 0x01;

        var result = await fixture.Sdk.ReadAsync(tampered, "image/" + format);

        Assert.Contains("assertion.dataHash.mismatch", result.FailureCodes);
        Assert.Equal("Invalid", result.ValidationState);
    }

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, _time);

    public void Dispose() => _certificates.Dispose();
}
