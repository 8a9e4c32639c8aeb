using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// How a node certificate names its node: the subject's common name is the node's checksummed address,
/// and the subject alternative name carries it as an EIP-681 URI (<c>ethereum:0x…</c>). A name is a
/// claim of the CA; what proves the node speaks for the certificate is its <see cref="CertificateBinding"/>.
/// </summary>
public static class NodeCertificateNames
{
    /// <summary>The URI scheme of an Ethereum address (EIP-681).</summary>
    public const string UriScheme = "ethereum:";

    /// <summary>The subject alternative name URI of <paramref name="node"/>.</summary>
    public static string UriOf(EvmAddress node) => UriScheme + node;

    /// <summary>The node the certificate names: its SAN URI, or else its common name; null when it names none.</summary>
    public static EvmAddress? NodeOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            foreach (var name in GeneralNames.GetInstance(Asn1Object.FromByteArray(extension.RawData)).GetNames()
                .Where(general => general.TagNo == GeneralName.UniformResourceIdentifier)
                .Select(general => DerIA5String.GetInstance(general.Name).GetString()))
            {
                if (name.StartsWith(UriScheme, StringComparison.OrdinalIgnoreCase)
                    && EvmAddress.TryParse(name[UriScheme.Length..], out var fromUri))
                {
                    return fromUri;
                }
            }
        }

        return EvmAddress.TryParse(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false), out var fromName) ? fromName : null;
    }
}
