using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Signing;

public sealed class ClaimSignerTests : IDisposable
{
    private static readonly byte[] Claim = [0xA1, 0x61, 0x61, 0x01];
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();

    [Fact]
    public void Sign_ReservedSize_ProducesTaggedSign1OfExactlyThatSizeVerifiableWithTheLeaf()
    {
        var signer = _certificates.Signer();
        var reserved = ClaimSigner.MinimumSize(signer) + 300;

        var cose = ClaimSigner.Sign(Claim, signer, reserved);

        Assert.Equal(reserved, cose.Length);
        Assert.Equal(0xD2, cose[0]); // tag 18, COSE_Sign1
        var message = CoseMessage.DecodeSign1(cose);
        Assert.Null(message.Content);
        using var leafKey = _certificates.Leaf.GetECDsaPublicKey()!;
        Assert.True(message.VerifyDetached(leafKey, Claim));
        Assert.False(message.VerifyDetached(leafKey, [0xA0]));
        Assert.Equal(-7, message.ProtectedHeaders[CoseHeaderLabel.Algorithm].GetValueAsInt32());
    }

    [Fact]
    public void Sign_TwoCertificates_WritesX5ChainAsArrayLeafFirst()
    {
        var cose = ClaimSigner.Sign(Claim, _certificates.Signer(), ClaimSigner.MinimumSize(_certificates.Signer()));

        var chain = CoseMessage.DecodeSign1(cose).ProtectedHeaders[new CoseHeaderLabel(ClaimSigner.X5ChainLabel)];
        var reader = new CborReader(chain.EncodedValue);
        Assert.Equal(2, reader.ReadStartArray());
        Assert.Equal(_certificates.Leaf.RawData, reader.ReadByteString());
        Assert.Equal(_certificates.Ca.RawData, reader.ReadByteString());
    }

    [Fact]
    public void Sign_OneCertificate_WritesX5ChainAsSingleByteString()
    {
        var signer = new EcdsaCredentialSigner(_certificates.LeafKey, [_certificates.Leaf]);

        var cose = ClaimSigner.Sign(Claim, signer, ClaimSigner.MinimumSize(signer) + 40);

        var chain = CoseMessage.DecodeSign1(cose).ProtectedHeaders[new CoseHeaderLabel(ClaimSigner.X5ChainLabel)];
        Assert.Equal(_certificates.Leaf.RawData, new CborReader(chain.EncodedValue).ReadByteString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(26)]
    [InlineData(300)]
    public void Sign_AnyReachableReservation_IsMetExactly(int extra)
    {
        var signer = _certificates.Signer();
        var reserved = ClaimSigner.MinimumSize(signer) + extra;

        Assert.Equal(reserved, ClaimSigner.Sign(Claim, signer, reserved).Length);
    }

    [Fact]
    public void Sign_ReservationTooSmall_ThrowsArgumentException()
    {
        var signer = _certificates.Signer();

        var error = Assert.Throws<ArgumentException>(() => ClaimSigner.Sign(Claim, signer, ClaimSigner.MinimumSize(signer) - 1));
        Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_SignerReturningDer_ThrowsCryptographicException()
    {
        var signer = new DerReturningSigner(_certificates);

        Assert.Throws<CryptographicException>(() => ClaimSigner.Sign(Claim, signer, 4096));
    }

    [Fact]
    public void EcdsaCredentialSigner_KeyNotCertifiedByLeaf_IsRefused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<ArgumentException>(() => new EcdsaCredentialSigner(other, [_certificates.Leaf]));
    }

    [Fact]
    public void EcdsaCredentialSigner_P384Key_IsRefused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => new EcdsaCredentialSigner(p384, [_certificates.Leaf]));
    }

    public void Dispose() => _certificates.Dispose();

    private sealed class DerReturningSigner(C2paTestChain certificates) : ICredentialSigner
    {
        public CredentialSigningAlgorithm Algorithm => CredentialSigningAlgorithm.Es256;

        public IReadOnlyList<X509Certificate2> Chain => [certificates.Leaf];

        public byte[] SignHash(ReadOnlySpan<byte> sha256Digest) =>
            certificates.LeafKey.SignHash(sha256Digest.ToArray(), DSASignatureFormat.Rfc3279DerSequence);
    }
}
