using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Registry;

/// <summary>
/// A node key's statement that the C2PA signing certificate with hash <paramref name="CertificateHash"/>
/// speaks for it: what the node key signs (EIP-712, under the <c>ModelRegistry</c> domain, so chain and
/// registry are named too) so that a reader of a C2PA manifest knows which node made it without a
/// chain call. C2PA claims are signed with a P-256 key, which the node key cannot be.
/// </summary>
/// <param name="Node">The node key's address.</param>
/// <param name="CertificateHash">The SHA-256 of the signing certificate's DER encoding.</param>
public sealed record CredentialSigningKey(EvmAddress Node, Bytes32 CertificateHash);

/// <summary>A <see cref="CredentialSigningKey"/> with the node key's signature over it.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="Signature">The node key's 65-byte signature of <see cref="CredentialSigningKeyTypedData.Digest"/>.</param>
public sealed record SignedCredentialSigningKey(CredentialSigningKey Statement, EcdsaSignature Signature);
