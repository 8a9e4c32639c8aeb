using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Signing;

/// <summary>
/// The key that signs C2PA claims and the certificate chain that names it. A node's local P-256 key
/// is <see cref="EcdsaCredentialSigner"/>; a provider's key store or HSM implements this interface
/// so that the private key never has to enter the process.
/// </summary>
/// <remarks>Implementations may be called from several threads at once.</remarks>
public interface ICredentialSigner
{
    /// <summary>The COSE algorithm of the signatures <see cref="SignHash"/> returns.</summary>
    CredentialSigningAlgorithm Algorithm { get; }

    /// <summary>The signing certificate first, then the intermediates (never the trust anchor is required).</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>
    /// Signs the SHA-256 digest of a COSE <c>Sig_structure</c> and returns the signature in IEEE P1363
    /// form (r‖s, 64 bytes for ES256), as COSE wants it.
    /// </summary>
    byte[] SignHash(ReadOnlySpan<byte> sha256Digest);
}

/// <summary>The C2PA claim signature algorithms this project writes (COSE algorithm identifiers).</summary>
public enum CredentialSigningAlgorithm
{
    /// <summary>ECDSA on P-256 with SHA-256 (COSE -7).</summary>
    Es256 = -7,
}
