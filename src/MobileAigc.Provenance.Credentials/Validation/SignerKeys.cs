using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// RSA public keys of signer certificates, including keys marked id-RSASSA-PSS (which .NET's
/// <c>GetRSAPublicKey</c> refuses, and which PS256 signers such as the reference implementation use).
/// </summary>
internal static class SignerKeys
{
    public static RSA? Rsa(X509Certificate2 certificate)
    {
        if (certificate.GetRSAPublicKey() is { } key)
        {
            return key;
        }

        try
        {
            if (new X509CertificateParser().ReadCertificate(certificate.RawData).GetPublicKey() is RsaKeyParameters { IsPrivate: false } rsa)
            {
                return RSA.Create(new RSAParameters
                {
                    Modulus = rsa.Modulus.ToByteArrayUnsigned(),
                    Exponent = rsa.Exponent.ToByteArrayUnsigned(),
                });
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // BouncyCastle's DER parsers throw many exception types on malformed input; each means no key.
            _ = e;
            return null;
        }

        return null;
    }
}
