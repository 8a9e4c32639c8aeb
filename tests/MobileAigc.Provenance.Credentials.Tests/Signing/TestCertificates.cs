using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Credentials.Signing;

namespace MobileAigc.Provenance.Credentials.Tests.Signing;

/// <summary>A throwaway CA and a P-256 claim-signing certificate of the kind C2PA validators accept.</summary>
internal sealed class TestCertificates : IDisposable
{
    private const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";

    private TestCertificates(ECDsa caKey, X509Certificate2 ca, ECDsa leafKey, X509Certificate2 leaf)
    {
        CaKey = caKey;
        Ca = ca;
        LeafKey = leafKey;
        Leaf = leaf;
    }

    public ECDsa CaKey { get; }

    public X509Certificate2 Ca { get; }

    public ECDsa LeafKey { get; }

    public X509Certificate2 Leaf { get; }

    public static TestCertificates Create(string leafName = "Test node")
    {
        var now = DateTimeOffset.UtcNow;
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test provider CA, O=MobileAigc tests", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={leafName}, O=MobileAigc tests", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(EmailProtectionOid)], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var leafPublic = leafRequest.Create(ca, now.AddHours(-1), now.AddYears(1), serial);
        var leaf = X509CertificateLoader.LoadCertificate(leafPublic.RawData);
        return new TestCertificates(caKey, ca, leafKey, leaf);
    }

    public ICredentialSigner Signer() => new EcdsaCredentialSigner(LeafKey, [Leaf, Ca]);

    public void Dispose()
    {
        CaKey.Dispose();
        Ca.Dispose();
        LeafKey.Dispose();
        Leaf.Dispose();
    }
}
