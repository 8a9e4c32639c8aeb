using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>A record with its node's EIP-712 signature: what a node hands out and the ledger ingests.</summary>
/// <param name="Record">The record.</param>
/// <param name="Signature">The node's signature over the record in the ledger's domain.</param>
/// <param name="CreatorProof">
/// The creator's proof that they asked for the content (<see cref="CreatorClaims"/>); null when the
/// record names no creator. Not covered by the node's signature: it carries its own, the creator's.
/// </param>
public sealed record SignedProvenanceRecord(ProvenanceRecord Record, EcdsaSignature Signature, CreatorProof? CreatorProof = null)
{
    /// <summary>
    /// The fields a version 2 record commits to in <see cref="ProvenanceRecord.Extensions"/> (its parent record);
    /// null for a version 1 record. Not signed itself: its hashStruct is, inside the record. Default null.
    /// </summary>
    public ProvenanceRecordExtensionsV2? ExtensionsV2 { get; init; }

    /// <summary>The parent record the record names (version 2), or null.</summary>
    public Bytes32? ParentRecord => ExtensionsV2?.ParentRecord;
}
