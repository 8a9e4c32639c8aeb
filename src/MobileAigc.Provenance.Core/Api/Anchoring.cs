using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>Where a Merkle batch is on its way to the chain, in every ledger response that shows a batch.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchState>))]
public enum BatchState
{
    /// <summary>Records assigned and root computed; no transaction yet.</summary>
    Planned,

    /// <summary>The anchoring transaction was sent, not yet confirmed.</summary>
    Submitted,

    /// <summary>Mined and confirmed.</summary>
    Anchored,
}

/// <summary>
/// A Merkle batch of records as the ledger's API shows it: in the auditors' batch listings and in
/// every record proof (<see cref="RecordProof.Batch"/>).
/// </summary>
/// <param name="Id">The ledger's batch id.</param>
/// <param name="Root">The Merkle root over the batch's record digests.</param>
/// <param name="FirstSequence">The ledger sequence of the first record.</param>
/// <param name="RecordCount">How many records it holds.</param>
/// <param name="State">Where the batch is.</param>
/// <param name="CreatedAt">When it was planned.</param>
/// <param name="TransactionHash">The anchoring transaction, once sent.</param>
/// <param name="BlockNumber">Its block, once mined.</param>
/// <param name="BlockHash">That block's hash, once mined.</param>
/// <param name="GasUsed">The gas it used, once mined.</param>
/// <param name="ChainBatchId">The batch's number among its anchorer's batches on the contract, once mined.</param>
/// <param name="AnchoredAt">When it was confirmed.</param>
/// <param name="LedgerContract">
/// The <c>ProvenanceLedger</c> the batch is (to be) anchored on: after a contract upgrade, older batches stay on the
/// deployment they were anchored on. Null only from a ledger older than this field.
/// </param>
public sealed record LedgerBatch(
    long Id,
    Bytes32 Root,
    long FirstSequence,
    int RecordCount,
    BatchState State,
    DateTimeOffset CreatedAt,
    Bytes32? TransactionHash,
    long? BlockNumber,
    Bytes32? BlockHash,
    long? GasUsed,
    long? ChainBatchId,
    DateTimeOffset? AnchoredAt,
    EvmAddress? LedgerContract = null);

/// <summary>
/// A record's Merkle inclusion proof, as every ledger response carries it (<c>api/records</c>,
/// <c>api/verify</c>, <c>api/audit/records/{digest}/proof</c>):
/// <c>ProvenanceLedger.verifyInclusion(Root, RecordDigest, Proof)</c> is true once the batch is anchored.
/// The proof is served as stored when the record was batched, not recomputed.
/// </summary>
/// <param name="RecordDigest">The record's EIP-712 digest: its id.</param>
/// <param name="Leaf">The leaf: keccak256(keccak256(digest)).</param>
/// <param name="Proof">Sibling hashes from the leaf up to the root (OpenZeppelin <c>StandardMerkleTree</c> / <c>MerkleProof</c> layout); empty for the only record of a batch.</param>
/// <param name="Root">The batch's root.</param>
/// <param name="LeafIndex">The record's leaf index in the batch.</param>
/// <param name="LedgerSequence">The record's ledger sequence: the batch's first sequence plus the leaf index.</param>
/// <param name="Batch">The batch, with its state and anchoring transaction.</param>
public sealed record RecordProof(
    Bytes32 RecordDigest,
    Bytes32 Leaf,
    IReadOnlyList<Bytes32> Proof,
    Bytes32 Root,
    int LeafIndex,
    long LedgerSequence,
    LedgerBatch Batch);
