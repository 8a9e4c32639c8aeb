using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Everything a reader of the file needs to go from the file to the on-chain proof of its record:
/// written as the <c>org.mobileaigc.provenance-record</c> assertion.
/// </summary>
/// <param name="RecordDigest">The record's EIP-712 digest; the manifest label derives from it.</param>
/// <param name="RecordSignature">The node key's EIP-712 signature of the record (65 bytes).</param>
/// <param name="Domain">The EIP-712 domain the record was signed in (the ledger contract and its chain).</param>
/// <param name="NodeAddress">The node key's address.</param>
/// <param name="LedgerUrl">The ledger's base URL (absolute http or https); null when the node delivers to no ledger (left out of the assertion).</param>
/// <param name="ContentHash">The record's content hash: the SHA-256 of the asset without its manifest store.</param>
/// <param name="CertificateBinding">The node key's signature over the claim-signing certificate, when the
/// node has one: it ties the certificate to the node address.</param>
public sealed record RecordReference(
    Bytes32 RecordDigest,
    EcdsaSignature RecordSignature,
    ContractDomain Domain,
    EvmAddress NodeAddress,
    Uri? LedgerUrl,
    Bytes32 ContentHash,
    NodeCertificateBinding? CertificateBinding)
{
    /// <summary>
    /// The digest of the parent record a version 2 record names (image-to-image), written as <c>parentRecord</c>
    /// so that a reader goes from the file to the record it was derived from; null (and left out) otherwise.
    /// </summary>
    public Bytes32? ParentRecord { get; init; }
}

/// <summary>A node key's statement that a claim-signing certificate is the node's.</summary>
/// <param name="CertificateSha256">The SHA-256 of the signing certificate's DER encoding.</param>
/// <param name="NodeSignature">The node key's signature over that binding (65 bytes).</param>
public sealed record NodeCertificateBinding(Bytes32 CertificateSha256, EcdsaSignature NodeSignature);
