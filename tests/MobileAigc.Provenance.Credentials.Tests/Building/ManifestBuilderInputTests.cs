using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>What the builder refuses, with the reason in the message; never a half-written file.</summary>
public sealed class ManifestBuilderInputTests : IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();
    private readonly byte[] _png = ManifestBuilderFixture.Asset("png");

    [Fact]
    public void Build_NeitherPngNorJpeg_IsRefused()
    {
        var gif = "GIF89a......"u8.ToArray();
        var request = ManifestBuilderFixture.Request(gif, withRecord: false);

        Assert.Contains("not a PNG, JPEG or WebP", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AssetAlreadySigned_IsRefused()
    {
        var signed = Builder().Build(ManifestBuilderFixture.Request(_png)).File;

        Assert.Contains("already carries a manifest store", Refusal(ManifestBuilderFixture.Request(signed, withRecord: false)), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BrokenPng_ThrowsJumbfException()
    {
        var truncated = _png[..40];

        Assert.Throws<JumbfException>(() => Builder().Build(ManifestBuilderFixture.Request(truncated, withRecord: false)));
    }

    [Theory]
    [InlineData(7, 32, "watermark payload")]
    [InlineData(9, 32, "watermark payload")]
    [InlineData(8, 31, "perceptual hash")]
    public void Build_SoftBindingOfTheWrongLength_IsRefused(int watermarkLength, int hashLength, string named)
    {
        var request = ManifestBuilderFixture.Request(_png) with
        {
            SoftBindings = new ImageSoftBindings(new byte[watermarkLength], new byte[hashLength]),
        };

        Assert.Contains(named, Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PdqOfTheWrongLength_IsRefused()
    {
        var request = ManifestBuilderFixture.Request(_png) with
        {
            SoftBindings = new ImageSoftBindings(new byte[8], new byte[32]) { Pdq = new byte[31] },
        };

        Assert.Contains("PDQ hash", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ThumbnailOverTheLimit_IsRefused()
    {
        var limits = ManifestLimits.Default with { MaxThumbnailBytes = 1000 };
        var request = ManifestBuilderFixture.Request(_png, thumbnail: new byte[1001]);

        var error = Assert.Throws<ArgumentException>(() => Builder(limits).Build(request));
        Assert.Contains("thumbnail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ThumbnailOfAnotherMediaType_IsRefused()
    {
        var request = ManifestBuilderFixture.Request(_png) with { Thumbnail = new ClaimThumbnail("image/gif", new byte[10]) };

        Assert.Contains("image/gif", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AssetOverTheLimit_IsRefused()
    {
        var limits = ManifestLimits.Default with { MaxAssetBytes = _png.Length - 1 };

        Assert.Throws<ArgumentException>(() => Builder(limits).Build(ManifestBuilderFixture.Request(_png)));
    }

    [Fact]
    public void Build_StoreOverTheLimit_IsRefused()
    {
        var limits = ManifestLimits.Default with { MaxStoreBytes = 4000 };
        var request = ManifestBuilderFixture.Request(_png, thumbnail: new byte[5000]);

        var error = Assert.Throws<ArgumentException>(() => Builder(limits).Build(request));
        Assert.Contains("manifest store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RecordOfAnotherContent_IsRefused()
    {
        var request = ManifestBuilderFixture.Request(_png) with
        {
            Record = ManifestBuilderFixture.Record(_png) with { ContentHash = Bytes32.Sha256("another image"u8) },
        };

        Assert.Contains("content hash", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CertificateBindingOfAnotherCertificate_IsRefused()
    {
        var binding = new NodeCertificateBinding(Bytes32.Sha256("another certificate"u8), ManifestBuilderFixture.Record(_png).RecordSignature);
        var request = ManifestBuilderFixture.Request(_png) with
        {
            Record = ManifestBuilderFixture.Record(_png) with { CertificateBinding = binding },
        };

        Assert.Contains("certificate binding", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CertificateBindingOfTheSigningCertificate_IsWritten()
    {
        var binding = new NodeCertificateBinding(
            Bytes32.FromBytes(SHA256.HashData(_certificates.Leaf.RawData)),
            ManifestBuilderFixture.Record(_png).RecordSignature);
        var request = ManifestBuilderFixture.Request(_png) with
        {
            Record = ManifestBuilderFixture.Record(_png) with { CertificateBinding = binding },
        };

        var written = WrittenManifest.Read(Builder().Build(request).File);

        var map = WrittenManifest.ReadMap(written.AssertionCbor(AssertionLabels.ProvenanceRecord));
        var bound = (Dictionary<string, object>)map["certificateBinding"];
        Assert.Equal(binding.CertificateSha256.ToArray(), bound["certificateSha256"]);
        Assert.Equal(binding.NodeSignature.ToArray(), bound["nodeSignature"]);
    }

    [Theory]
    [InlineData("ftp://ledger.example/")]
    [InlineData("/relative")]
    public void Build_LedgerUrlNotAbsoluteHttp_IsRefused(string url)
    {
        var request = ManifestBuilderFixture.Request(_png) with
        {
            Record = ManifestBuilderFixture.Record(_png) with { LedgerUrl = new Uri(url, UriKind.RelativeOrAbsolute) },
        };

        Assert.Contains("ledger URL", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ChainIdOver64Bits_IsRefused()
    {
        var domain = ManifestBuilderFixture.Record(_png).Domain with { ChainId = new System.Numerics.BigInteger(ulong.MaxValue) + 1 };
        var request = ManifestBuilderFixture.Request(_png) with { Record = ManifestBuilderFixture.Record(_png) with { Domain = domain } };

        Assert.Contains("Chain id", Refusal(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SignerWithoutCertificate_IsRefused()
    {
        var signer = new ChainlessSigner();

        Assert.Throws<ArgumentException>(() => new ManifestBuilder(signer, ManifestLimits.Default, TimeProvider.System));
    }

    private sealed class ChainlessSigner : ICredentialSigner
    {
        public CredentialSigningAlgorithm Algorithm => CredentialSigningAlgorithm.Es256;

        public IReadOnlyList<X509Certificate2> Chain => [];

        public byte[] SignHash(ReadOnlySpan<byte> sha256Digest) => new byte[64];
    }

    private string Refusal(ContentCredentialRequest request) =>
        Assert.Throws<ArgumentException>(() => Builder().Build(request)).Message;

    private ManifestBuilder Builder(ManifestLimits? limits = null) =>
        new(_certificates.Signer(), limits ?? ManifestLimits.Default, TimeProvider.System);

    public void Dispose() => _certificates.Dispose();
}
