using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>A P-256 signer with a certificate issued by a test CA, and ways to sign claims well and badly.</summary>
internal sealed class TestSigner : IDisposable
{
    private TestSigner(ECDsa caKey, X509Certificate2 ca, ECDsa key, X509Certificate2 leaf)
    {
        CaKey = caKey;
        Ca = ca;
        Key = key;
        Leaf = leaf;
    }

    public ECDsa CaKey { get; }

    public X509Certificate2 Ca { get; }

    public ECDsa Key { get; }

    public X509Certificate2 Leaf { get; }

    public static TestSigner Create(string extendedKeyUsage = "1.3.6.1.5.5.7.3.4", X509KeyUsageFlags keyUsage = X509KeyUsageFlags.DigitalSignature, DateTimeOffset? notAfter = null, DateTimeOffset? notBefore = null)
    {
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test C2PA CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned((notBefore ?? DateTimeOffset.UtcNow).AddDays(-2), DateTimeOffset.UtcNow.AddYears(5));

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test C2PA Signer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var leaf = request.Create(ca, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3, 4]);
        return new TestSigner(caKey, ca, key, X509CertificateLoader.LoadCertificate(leaf.RawData));
    }

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

    public void Dispose()
    {
        CaKey.Dispose();
        Key.Dispose();
        Ca.Dispose();
        Leaf.Dispose();
    }

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
