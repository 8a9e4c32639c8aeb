using MobileAigc.Provenance.Core.Eip712;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>A record with its node's EIP-712 signature: what a node hands out and the ledger ingests.</summary>
/// <param name="Record">The record.</param>
/// <param name="Signature">The node's signature over the record in the ledger's domain.</param>
/// <param name="CreatorProof">
/// The creator's proof that they asked for the content (<see cref="CreatorClaims"/>); null when the
/// record names no creator. Not covered by the node's signature: it carries its own, the creator's.
/// </param>
/// <param name="ManifestStore">
/// The C2PA manifest store (JUMBF, <c>application/c2pa</c>; base64 in JSON) the node embedded in the
/// record's file, sent to the ledger at ingest so that its soft-binding API can serve it; null otherwise
/// and omitted from JSON. Not covered by the node's signature (the store carries its own C2PA signature),
/// never stored as part of the record, and not returned with it.
/// </param>
public sealed record SignedProvenanceRecord(
    ProvenanceRecord Record,
    EcdsaSignature Signature,
    CreatorProof? CreatorProof = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    byte[]? ManifestStore = null);
