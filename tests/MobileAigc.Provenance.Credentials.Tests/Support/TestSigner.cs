using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>
/// A P-256 claim signer from <see cref="C2paTestCertificates.CreateChain"/> (a root valid from two days ago for about five years,
/// a leaf from a day ago for about a year), and ways to sign claims well and badly.
/// </summary>
internal sealed class TestSigner : IDisposable
{
    private readonly C2paTestChain _chain;

    private TestSigner(C2paTestChain chain) => _chain = chain;

    public ECDsa CaKey => _chain.CaKey;

    public X509Certificate2 Ca => _chain.Ca;

    public ECDsa Key => _chain.LeafKey;

    public X509Certificate2 Leaf => _chain.Leaf;

    /// <summary>
    /// A signer whose leaf has <paramref name="keyUsage"/> and the one extended key usage <paramref name="extendedKeyUsage"/>,
    /// valid from <paramref name="leafNotBefore"/> (default: a day ago) to <paramref name="leafNotAfter"/> (default: about a year),
    /// both from now; the root starts two days before the leaf.
    /// </summary>
    public static TestSigner Create(
        string extendedKeyUsage = C2paTestChainOptions.EmailProtection, X509KeyUsageFlags keyUsage = X509KeyUsageFlags.DigitalSignature,
        TimeSpan? leafNotAfter = null, TimeSpan? leafNotBefore = null) =>
        new(C2paTestCertificates.CreateChain(new C2paTestChainOptions
        {
            Name = "Test",
            CaNotBefore = (leafNotBefore ?? TimeSpan.Zero) - TimeSpan.FromDays(2),
            CaNotAfter = TestChains.FiveYears,
            LeafNotBefore = leafNotBefore ?? TimeSpan.FromDays(-1),
            LeafNotAfter = leafNotAfter ?? TestChains.OneYear,
            LeafKeyUsage = keyUsage,
            LeafExtendedKeyUsages = [extendedKeyUsage],
        }));

    /// <summary>A tagged COSE_Sign1, ES256, detached payload, x5chain (leaf, CA) in the protected header.</summary>
    public byte[] Sign(byte[] claim, IEnumerable<X509Certificate2>? chain = null)
    {
        var headers = new CoseHeaderMap { [new CoseHeaderLabel(33)] = CoseHeaderValue.FromEncodedValue(EncodeChain(chain ?? [Leaf, Ca])) };
        return CoseSign1Message.SignDetached(claim, new CoseSigner(Key, HashAlgorithmName.SHA256, headers));
    }

    /// <summary>As <see cref="Sign"/> but with x5chain in the unprotected header, under label 33 or the older text key.</summary>
    public byte[] SignWithUnprotectedChain(byte[] claim, bool textKey)
    {
        var unprotectedHeaders = new CoseHeaderMap { [textKey ? new CoseHeaderLabel("x5chain") : new CoseHeaderLabel(33)] = CoseHeaderValue.FromEncodedValue(EncodeChain([Leaf, Ca])) };
        return CoseSign1Message.SignDetached(claim, new CoseSigner(Key, HashAlgorithmName.SHA256, null, unprotectedHeaders));
    }

    /// <summary>A COSE_Sign1 written by hand with any algorithm id and a random signature.</summary>
    public byte[] SignWithAlgorithm(int algorithm)
    {
        var protectedHeader = new CborWriter();
        protectedHeader.WriteStartMap(2);
        protectedHeader.WriteInt32(1);
        protectedHeader.WriteInt32(algorithm);
        protectedHeader.WriteInt32(33);
        protectedHeader.WriteEncodedValue(EncodeChain([Leaf, Ca]));
        protectedHeader.WriteEndMap();
        var writer = new CborWriter();
        writer.WriteTag((CborTag)18);
        writer.WriteStartArray(4);
        writer.WriteByteString(protectedHeader.Encode());
        writer.WriteStartMap(0);
        writer.WriteEndMap();
        writer.WriteNull();
        writer.WriteByteString(RandomNumberGenerator.GetBytes(64));
        writer.WriteEndArray();
        return writer.Encode();
    }

    public void Dispose() => _chain.Dispose();

    private static byte[] EncodeChain(IEnumerable<X509Certificate2> chain)
    {
        var writer = new CborWriter();
        var certificates = chain.ToList();
        writer.WriteStartArray(certificates.Count);
        foreach (var certificate in certificates)
        {
            writer.WriteByteString(certificate.RawData);
        }

        writer.WriteEndArray();
        return writer.Encode();
    }
}
