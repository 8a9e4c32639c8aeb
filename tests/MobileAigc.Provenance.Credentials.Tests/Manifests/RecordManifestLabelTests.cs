using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Manifests;

namespace MobileAigc.Provenance.Credentials.Tests.Manifests;

public sealed class RecordManifestLabelTests
{
    [Fact]
    public void For_IsAVersion8RfcVariantUuidUrn()
    {
        var label = RecordManifestLabel.For(Bytes32.FromBytes(SHA256.HashData("record"u8)));

        Assert.StartsWith("urn:c2pa:", label, StringComparison.Ordinal);
        var uuid = label["urn:c2pa:".Length..];
        Assert.Equal(36, uuid.Length);
        Assert.Equal('8', uuid[14]);
        Assert.Contains(uuid[19], "89ab");
    }

    [Fact]
    public void Names_TheSameDigest_IsTrue_AnotherDigest_IsFalse()
    {
        var digest = Bytes32.FromBytes(SHA256.HashData("a"u8));
        var other = Bytes32.FromBytes(SHA256.HashData("b"u8));
        var label = RecordManifestLabel.For(digest);

        Assert.True(RecordManifestLabel.Names(label, digest));
        Assert.True(RecordManifestLabel.Names(label.ToUpperInvariant().Replace("URN:C2PA:", "urn:c2pa:", StringComparison.Ordinal), digest));
        Assert.True(RecordManifestLabel.Names(label + ":org.mobileaigc:1", digest));
        Assert.False(RecordManifestLabel.Names(label, other));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("urn:uuid:0b5e4a6c-1b2c-4d3e-8f40-123456789abc")]
    [InlineData("urn:c2pa:not-a-uuid")]
    [InlineData("urn:c2pa:0b5e4a6c-1b2c-4d3e-8f40-123456789abc:a:b:c")]
    public void TryParse_NotALabel_IsNull(string? label) => Assert.Null(RecordManifestLabel.TryParse(label));
}
