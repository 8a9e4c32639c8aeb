using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Credentials.Tests.Certificates;

/// <summary>A provider CA, a node key and its certificate, on a fake clock; and hand-made faulty leaves.</summary>
internal sealed class TestPki : IDisposable
{
    public TestPki(CertificateAuthorityCurve curve = CertificateAuthorityCurve.P256, string providerName = "Test Provider, Inc.")
    {
        Authority = ProviderCertificateAuthority.Create(providerName, TimeSpan.FromDays(3650), Time, curve);
        Leaf = Authority.IssueNodeCertificate(Node, SigningKey, TimeSpan.FromDays(365), Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public EthECKey NodeKey { get; } = EthECKey.GenerateKey();

    public EvmAddress Node => EvmAddress.Parse(NodeKey.GetPublicAddress());

    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ProviderCertificateAuthority Authority { get; }

    public X509Certificate2 Leaf { get; }

    public IReadOnlyList<X509Certificate2> Chain => [Leaf, Authority.Certificate];

    /// <summary>A leaf issued by the CA with the extensions <paramref name="configure"/> adds, for the checker's refusals.</summary>
    public X509Certificate2 HandMadeLeaf(Action<CertificateRequest> configure, AsymmetricAlgorithm? subjectKey = null, TimeSpan? validity = null)
    {
        var request = subjectKey switch
        {
            RSA rsa => new CertificateRequest("CN=hand made", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest("CN=hand made", ec, HashAlgorithmName.SHA256),
            _ => new CertificateRequest("CN=hand made", SigningKey, HashAlgorithmName.SHA256),
        };
        configure(request);
        var now = Time.GetUtcNow();
        return request.Create(Authority.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Authority.Key),
            now.AddMinutes(-1), now + (validity ?? TimeSpan.FromDays(30)), RandomNumberGenerator.GetBytes(12));
    }

    /// <summary>The extensions of a good leaf, for hand-made ones that differ in one.</summary>
    public static void GoodLeafExtensions(CertificateRequest request, bool digitalSignature = true, params string[] purposes)
    {
        request.CertificateExtensions.Add(new X509KeyUsageExtension(digitalSignature ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.NonRepudiation, critical: true));
        var oids = new OidCollection();
        foreach (var purpose in purposes.Length == 0 ? [C2paKeyPurposes.EmailProtection] : purposes)
        {
            oids.Add(new Oid(purpose));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, critical: false));
    }

    public void Dispose()
    {
        Authority.Dispose();
        SigningKey.Dispose();
        Leaf.Dispose();
    }
}
