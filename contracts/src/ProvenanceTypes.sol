// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @notice A provenance record of one generated piece of content, signed by the node that generated it
 * with EIP-712 (see {ProvenanceLedger-PROVENANCE_RECORD_TYPEHASH}).
 * @dev The field order is the EIP-712 encoding order and the ABI tuple order; do not reorder.
 * The type is versioned so that later additions do not change it again: `version` says how to read the
 * record and `extensions` commits to whatever a later version adds (the EIP-712 `hashStruct` of that
 * version's extension struct; zero in version 1, which has none). This contract hashes every version the
 * same way and does not interpret either field; the ledger service dispatches on `version` (docs/contracts.md).
 * @param version The record format's version: 1 today.
 * @param contentHash SHA-256 of the content bytes.
 * @param perceptualHash Perceptual hash of the content, left-aligned.
 * @param modelHash SHA-256 of the ONNX file of the model that generated the content.
 * @param node Signing address of the node that generated the content.
 * @param creator The creator's address, or zero when the creator asked for privacy.
 * @param creatorCommitment `keccak256(abi.encode(creatorAddress, salt))` when `creator` is zero.
 * @param promptCommitment Commitment to the prompt.
 * @param parametersHash Hash of the generation parameters.
 * @param timestamp Generation time, in Unix seconds.
 * @param watermarkId Identifier embedded in the content's watermark.
 * @param sequence The node-side sequence number; batches cover contiguous ranges of it.
 * @param extensions Commitment to the fields a later version adds; zero in version 1.
 */
struct ProvenanceRecord {
    uint16 version;
    bytes32 contentHash;
    bytes32 perceptualHash;
    bytes32 modelHash;
    address node;
    address creator;
    bytes32 creatorCommitment;
    bytes32 promptCommitment;
    bytes32 parametersHash;
    uint64 timestamp;
    bytes32 watermarkId;
    uint64 sequence;
    bytes32 extensions;
}
