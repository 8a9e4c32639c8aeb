using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// A provider's certificate authority: a self-signed ECDSA root (basicConstraints CA with path length 0,
/// keyCertSign and cRLSign) that issues its nodes' C2PA signing certificates. Path length 0 means it
/// signs end-entity certificates only: a node certificate can never act as a CA.
/// </summary>
/// <remarks>Holds the CA's private key; dispose it when done. Not thread-safe while issuing.</remarks>
public sealed class ProviderCertificateAuthority : IDisposable
{
    private ProviderCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The longest provider name: the CA's common name adds " C2PA CA" and may have 64 characters.</summary>
    public const int MaxProviderNameLength = 56;

    /// <summary>The CA's certificate (without its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's private key.</summary>
    public ECDsa Key { get; }

    /// <summary>Creates a new CA key and its self-signed certificate, valid from now for <paramref name="validity"/>.</summary>
    /// <param name="providerName">The provider's name: the certificate's organization, and its common name with " C2PA CA".</param>
    /// <param name="validity">How long the CA is valid; at least one day.</param>
    /// <param name="time">The clock.</param>
    /// <param name="curve">The CA key's curve. Default: P-256.</param>
    /// <exception cref="ArgumentException">When the name is blank or longer than <see cref="MaxProviderNameLength"/>, or the validity is shorter than a day.</exception>
    public static ProviderCertificateAuthority Create(string providerName, TimeSpan validity, TimeProvider time, CertificateAuthorityCurve curve = CertificateAuthorityCurve.P256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentNullException.ThrowIfNull(time);
        if (providerName.Length > MaxProviderNameLength)
        {
            throw new ArgumentException($"A provider name has at most {MaxProviderNameLength} characters (X.509 names are at most 64); got {providerName.Length}.", nameof(providerName));
        }

        RequireValidity(validity);
        var key = ECDsa.Create(curve == CertificateAuthorityCurve.P384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
        var name = new X509Name($"O={Escape(providerName)},CN={Escape(providerName)} C2PA CA");
        var publicKey = BouncyCastleBridge.PublicKeyInfo(key);
        var (notBefore, notAfter) = Period(time, validity, limit: null);
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BouncyCastleBridge.RandomSerial());
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetSubjectPublicKeyInfo(publicKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(0));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, BouncyCastleBridge.KeyIdentifier(publicKey));
        var certificate = BouncyCastleBridge.Certificate(generator.Generate(BouncyCastleBridge.SignatureFactory(key)));
        return new ProviderCertificateAuthority(certificate, key);
    }

    /// <summary>A CA from its certificate and private key, as read from files.</summary>
    /// <exception cref="ArgumentException">When the certificate is not a CA certificate or the key is not its key.</exception>
    public static ProviderCertificateAuthority FromKey(X509Certificate2 certificate, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(key);
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new ArgumentException($"The certificate '{certificate.Subject}' is not a CA certificate (basicConstraints CA:true).", nameof(certificate));
        }

        if (!certificate.GetECDsaPublicKey()?.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()) ?? true)
        {
            throw new ArgumentException($"The private key is not the key of the CA certificate '{certificate.Subject}'.", nameof(key));
        }

        return new ProviderCertificateAuthority(certificate, key);
    }

    /// <summary>
    /// Issues the C2PA signing certificate of <paramref name="node"/> for its P-256 key: subject CN the node's
    /// address (O the CA's organization), SAN <c>ethereum:0x…</c>, keyUsage digitalSignature (critical),
    /// extendedKeyUsage <see cref="C2paKeyPurposes.NodeCertificate"/>, SKI and AKI, a random serial; valid
    /// from now for <paramref name="validity"/>, never past the CA's own expiry.
    /// </summary>
    /// <exception cref="ArgumentException">When the key is not on P-256, the node is zero, or the validity is shorter than a day.</exception>
    /// <exception cref="InvalidOperationException">When the CA has expired.</exception>
    public X509Certificate2 IssueNodeCertificate(EvmAddress node, ECDsa signingKey, TimeSpan validity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(time);
        if (node.IsZero)
        {
            throw new ArgumentException("A node certificate needs the node's address; got the zero address.", nameof(node));
        }

        if (signingKey.ExportParameters(false).Curve.Oid.Value != SigningChainChecker.P256Oid)
        {
            throw new ArgumentException("A C2PA node signs with ES256: its key must be on P-256.", nameof(signingKey));
        }

        RequireValidity(validity);
        var issuer = BouncyCastleBridge.Certificate(Certificate);
        var organization = issuer.SubjectDN.GetValueList(X509Name.O).FirstOrDefault() ?? Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var publicKey = BouncyCastleBridge.PublicKeyInfo(signingKey);
        var caKeyId = BouncyCastleBridge.KeyIdentifier(BouncyCastleBridge.PublicKeyInfo(Key)).GetKeyIdentifier();
        var (notBefore, notAfter) = Period(time, validity, limit: Certificate.NotAfter.ToUniversalTime());
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BouncyCastleBridge.RandomSerial());
        generator.SetIssuerDN(issuer.SubjectDN);
        generator.SetSubjectDN(new X509Name($"O={Escape(organization)},CN={node}"));
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetSubjectPublicKeyInfo(publicKey);
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.DigitalSignature));
        generator.AddExtension(X509Extensions.ExtendedKeyUsage, false,
            new ExtendedKeyUsage(C2paKeyPurposes.NodeCertificate.Select(oid => KeyPurposeID.GetInstance(new DerObjectIdentifier(oid))).ToArray()));
        generator.AddExtension(X509Extensions.SubjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, NodeCertificateNames.UriOf(node))));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, BouncyCastleBridge.KeyIdentifier(publicKey));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(caKeyId));
        return BouncyCastleBridge.Certificate(generator.Generate(BouncyCastleBridge.SignatureFactory(Key)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }

    private static void RequireValidity(TimeSpan validity)
    {
        if (validity < TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"A certificate's validity must be at least one day; got {validity}.", nameof(validity));
        }
    }

    // Whole seconds (X.509 times have no fractions); a certificate is valid from the minute before
    // its issue, so a reader whose clock lags a little still accepts it.
    private static (DateTime NotBefore, DateTime NotAfter) Period(TimeProvider time, TimeSpan validity, DateTime? limit)
    {
        var now = time.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var notAfter = now + validity;
        if (limit is { } caEnd)
        {
            if (caEnd <= now)
            {
                throw new InvalidOperationException($"The CA expired at {caEnd:u}: it can issue no certificate.");
            }

            notAfter = notAfter > caEnd ? caEnd : notAfter;
        }

        return (now.AddMinutes(-1), notAfter);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("=", "\\=", StringComparison.Ordinal).Replace("+", "\\+", StringComparison.Ordinal);
}
