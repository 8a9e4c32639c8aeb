using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// Moves keys and certificates between .NET (which the callers and COSE use) and BouncyCastle (which
/// builds and checks certificates) through their standard encodings: PKCS#8, SubjectPublicKeyInfo, DER.
/// </summary>
internal static class BouncyCastleBridge
{
    private static readonly SecureRandom Random = new();

    public static AsymmetricKeyParameter PrivateKey(ECDsa key) => PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());

    public static SubjectPublicKeyInfo PublicKeyInfo(ECDsa key) => SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo());

    public static BcCertificate Certificate(X509Certificate2 certificate) => new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(certificate.RawData);

    public static X509Certificate2 Certificate(BcCertificate certificate) => X509CertificateLoader.LoadCertificate(certificate.GetEncoded());

    /// <summary>ECDSA with the hash that matches the signing key's curve (SHA-384 for P-384, else SHA-256).</summary>
    public static Asn1SignatureFactory SignatureFactory(ECDsa key) =>
        new(key.KeySize > 256 ? "SHA384WITHECDSA" : "SHA256WITHECDSA", PrivateKey(key), Random);

    /// <summary>A random positive serial number of 16 bytes (RFC 5280 allows up to 20).</summary>
    public static Org.BouncyCastle.Math.BigInteger RandomSerial() => new(1, RandomNumberGenerator.GetBytes(16));

    /// <summary>The key identifier of RFC 5280's method 1: SHA-1 of the subject public key bits.</summary>
    public static SubjectKeyIdentifier KeyIdentifier(SubjectPublicKeyInfo publicKey) => Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey);
}
