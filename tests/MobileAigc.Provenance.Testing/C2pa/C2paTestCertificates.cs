using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// Throwaway signing credentials C2PA validators accept: a P-256 root CA, optional intermediates, and a P-256 leaf, with
/// <c>digitalSignature</c>, the <c>emailProtection</c> extended key usage and key identifiers (c2pa-rs refuses
/// self-signed signers and leaves without an EKU it knows). The one builder of test certificate chains: tests that
/// need another window, key usage, EKU or chain length say so in <see cref="C2paTestChainOptions"/>.
/// </summary>
public static class C2paTestCertificates
{
    /// <summary>How long the certificates are valid from now: one day (and from one hour before, for clock skew).</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(1);

    /// <summary>Creates a CA and a leaf, with <paramref name="name"/> in their common names, valid for <see cref="Validity"/>.</summary>
    /// <param name="name">Put in both subjects, e.g. the test's name; default <c>MobileAigc test</c>.</param>
    /// <param name="time">The clock the validity starts from; default <see cref="TimeProvider.System"/>.</param>
    public static C2paSigningCredentials Create(string name = "MobileAigc test", TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var chain = CreateChain(new C2paTestChainOptions { Name = name, Time = time ?? TimeProvider.System, LeafNotAfter = Validity });
        return chain.ToSigningCredentials();
    }

    /// <summary>Builds a chain as <paramref name="options"/> say: root, then each intermediate, then the leaf, each issued by the one before.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <see cref="C2paTestChainOptions.Intermediates"/> is out of range.</exception>
    /// <exception cref="ArgumentException">When a window ends before it starts, or the name is blank.</exception>
    public static C2paTestChain CreateChain(C2paTestChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Name);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Intermediates);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Intermediates, C2paTestChainOptions.MaxIntermediates);
        if (options.CaNotAfter <= options.CaNotBefore || options.LeafNotAfter <= options.LeafNotBefore)
        {
            throw new ArgumentException("A certificate's window must end after it starts.", nameof(options));
        }

        var now = options.Time.GetUtcNow();
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = CaRequest($"CN={options.Name} C2PA CA, O=MobileAigc", caKey, pathLength: options.Intermediates);
        var ca = caRequest.CreateSelfSigned(now + options.CaNotBefore, now + options.CaNotAfter);

        var intermediates = new List<(ECDsa Key, X509Certificate2 Certificate)>();
        var (issuerKey, issuer) = (caKey, ca);
        for (var i = 0; i < options.Intermediates; i++)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = CaRequest($"CN={options.Name} C2PA intermediate {i + 1}, O=MobileAigc", key, pathLength: options.Intermediates - i - 1);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now + options.CaNotBefore, now + options.CaNotAfter, PositiveSerialNumber());
            var certificate = X509CertificateLoader.LoadCertificate(issued.RawData);
            intermediates.Add((key, certificate));
            (issuerKey, issuer) = (key, certificate);
        }

        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest($"CN={options.Name} C2PA signer, O=MobileAigc", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(options.LeafKeyUsage, true));
        if (options.LeafExtendedKeyUsages.Count > 0)
        {
            var usages = new OidCollection();
            foreach (var oid in options.LeafExtendedKeyUsages)
            {
                usages.Add(new Oid(oid));
            }

            leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        }

        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        // Signed by the issuer's key, not through its certificate: a test may want a leaf that outlives its CA.
        using var leaf = leafRequest.Create(
            issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), now + options.LeafNotBefore, now + options.LeafNotAfter, PositiveSerialNumber());
        return new C2paTestChain(caKey, ca, intermediates, leafKey, X509CertificateLoader.LoadCertificate(leaf.RawData));
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key, int pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    // RFC 5280: a positive serial of at most 20 octets; a random one with its top bit cleared and a non-zero first octet.
    private static byte[] PositiveSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
