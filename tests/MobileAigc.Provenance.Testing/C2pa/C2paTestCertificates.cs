using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// Throwaway signing credentials C2PA validators accept: a P-256 root CA and a P-256 leaf it issues, with
/// <c>digitalSignature</c>, the <c>emailProtection</c> extended key usage and key identifiers (c2pa-rs refuses
/// self-signed signers and leaves without an EKU it knows).
/// </summary>
public static class C2paTestCertificates
{
    private const string EmailProtection = "1.3.6.1.5.5.7.3.4";

    /// <summary>How long the certificates are valid from now: one day (and from one hour before, for clock skew).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(1);

    /// <summary>Creates a CA and a leaf, with <paramref name="name"/> in their common names.</summary>
    /// <param name="name">Put in both subjects, e.g. the test's name; default <c>MobileAigc test</c>.</param>
    /// <param name="time">The clock the validity starts from; default <see cref="TimeProvider.System"/>.</param>
    public static C2paSigningCredentials Create(string name = "MobileAigc test", TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var notBefore = now.AddHours(-1);
        var notAfter = now.Add(Validity);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name} C2PA CA, O=MobileAigc", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddHours(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={name} C2PA signer, O=MobileAigc", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(EmailProtection)], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var leaf = leafRequest.Create(ca, notBefore, notAfter, PositiveSerialNumber());

        var caPem = ca.ExportCertificatePem();
        return new C2paSigningCredentials(
            ChainPem: leaf.ExportCertificatePem() + "\n" + caPem + "\n",
            PrivateKeyPem: leafKey.ExportPkcs8PrivateKeyPem(),
            TrustAnchorPem: caPem + "\n");
    }

    // RFC 5280: a positive serial of at most 20 octets; a random one with its top bit cleared and a non-zero first octet.
    private static byte[] PositiveSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
