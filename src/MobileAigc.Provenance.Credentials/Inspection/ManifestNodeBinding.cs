using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using MobileAigc.Provenance.Credentials.Certificates;

namespace MobileAigc.Provenance.Credentials.Inspection;

/// <summary>
/// Checks that a manifest's signing certificate is bound to the node its record assertion names: the
/// assertion's binding (certificate hash and node-key signature) must name this very certificate and
/// recover, in the <c>ModelRegistry</c> domain, to that node; a certificate naming another node in its
/// subject alternative name is refused too. Stateless and thread-safe.
/// </summary>
public static class ManifestNodeBinding
{
    /// <summary>The node <paramref name="signer"/> is bound to by <paramref name="record"/>'s binding.</summary>
    /// <param name="signer">The claim signature's leaf certificate.</param>
    /// <param name="record">The manifest's record assertion.</param>
    /// <param name="registryDomain">The <c>ModelRegistry</c> domain the binding must be signed in.</param>
    /// <exception cref="InvalidCertificateBindingException">When there is no binding, or it binds another certificate or node; the message says which.</exception>
    public static EvmAddress Verify(X509Certificate2 signer, RecordAssertionContent record, ContractDomain registryDomain)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(registryDomain);
        if (record.CertificateSha256 is not { } certificateHash || record.NodeSignature is not { } signature)
        {
            throw new InvalidCertificateBindingException("The record assertion carries no certificate binding.");
        }

        var binding = new CertificateBinding(
            new SignedCredentialSigningKey(new CredentialSigningKey(record.NodeAddress, certificateHash), signature), registryDomain);
        return binding.Verify(signer, registryDomain);
    }
}
