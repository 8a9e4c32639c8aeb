using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// Everything needed to verify one anchored record without the ledger that stored it: the record as its node signed
/// it, its Merkle inclusion proof with the batch's root and anchoring transaction, and the contract deployment the
/// record is signed for and its root anchored on. A verifier with this and a chain RPC checks hash → record → node
/// signature → proof → root on chain; a rebuilt ledger imports it. The ledger's JSON export carries one per anchored
/// record (<see cref="AuditRecord.Evidence"/>); a JSON array of these objects is a copy too.
/// </summary>
/// <param name="SignedRecord">The record with the node's EIP-712 signature (and its creator proof, delivered-file statement and version 2 extensions when it has them).</param>
/// <param name="Inclusion">Its proof: record digest, sibling hashes, root, leaf index, ledger sequence and the batch's transaction and block.</param>
/// <param name="Deployment">The <c>ProvenanceLedger</c> and chain id: the EIP-712 domain the signature is checked in and the contract the root is anchored on.</param>
public sealed record RecordEvidence(SignedProvenanceRecord SignedRecord, RecordProof Inclusion, AnchoringDeployment Deployment);
