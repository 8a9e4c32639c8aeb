using MobileAigc.Provenance.Core.Eip712;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>A record with its node's EIP-712 signature: what a node hands out and the ledger ingests.</summary>
/// <param name="Record">The record.</param>
/// <param name="Signature">The node's signature over the record in the ledger's domain.</param>
/// <param name="CreatorProof">
/// The creator's proof that they asked for the content (<see cref="CreatorClaims"/>); null when the
/// record names no creator. Not covered by the node's signature: it carries its own, the creator's.
/// </param>
public sealed record SignedProvenanceRecord(ProvenanceRecord Record, EcdsaSignature Signature, CreatorProof? CreatorProof = null);
