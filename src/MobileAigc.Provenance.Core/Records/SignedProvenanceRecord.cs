using System.Text.Json.Serialization;
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
/// <param name="ManifestStore">
/// The C2PA manifest store (JUMBF, <c>application/c2pa</c>; base64 in JSON) the node embedded in the
/// record's file, sent to the ledger at ingest so that its soft-binding API can serve it; null otherwise
/// and omitted from JSON. Not covered by the node's signature (the store carries its own C2PA signature),
/// never stored as part of the record, and not returned with it.
/// </param>
/// <param name="DeliveredFile">
/// The node's signed statement of the SHA-256 of the file it delivered for the record, manifest store
/// included (<see cref="Records.DeliveredFile"/>, signed by the record's node key in the ledger's domain),
/// sent to the ledger at ingest so that it can find the record by the hash of the file as delivered; null
/// otherwise (a text record, an older node) and omitted from JSON. Like <paramref name="ManifestStore"/>
/// not covered by the record's signature: it carries its own, which must recover to the record's node.
/// </param>
public sealed record SignedProvenanceRecord(
    ProvenanceRecord Record,
    EcdsaSignature Signature,
    CreatorProof? CreatorProof = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    byte[]? ManifestStore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    SignedDeliveredFile? DeliveredFile = null)
{
    /// <summary>
    /// The fields a version 2 record commits to in <see cref="ProvenanceRecord.Extensions"/> (its parent record);
    /// null for a version 1 record. Not signed itself: its hashStruct is, inside the record. Default null.
    /// </summary>
    public ProvenanceRecordExtensionsV2? ExtensionsV2 { get; init; }

    /// <summary>
    /// The fields a version 3 record commits to in <see cref="ProvenanceRecord.Extensions"/> (its parent record, if any, and
    /// the picture's PDQ hash and quality); null for other versions. Not signed itself: its hashStruct is. Default null.
    /// </summary>
    public ProvenanceRecordExtensionsV3? ExtensionsV3 { get; init; }

    /// <summary>The parent record the record names (version 2, or version 3 with a non-zero parent), or null.</summary>
    public Bytes32? ParentRecord => ExtensionsV2?.ParentRecord ?? ExtensionsV3?.Parent;
}
