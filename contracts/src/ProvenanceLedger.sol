// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {ModelRegistry} from "./ModelRegistry.sol";
import {ProvenanceRecord} from "./ProvenanceTypes.sol";

/**
 * @title ProvenanceLedger
 * @notice On-chain anchor of provenance records of generated content.
 * @dev Records reach the chain in two ways:
 *
 * - one by one, with {attest}: the node's EIP-712 signature is checked on-chain and the record's digest
 *   is stored with the block it was attested in;
 * - in bulk, with {anchorBatch}: an authorised anchorer commits to the Merkle root of a contiguous range
 *   of its own records (by its own ledger sequence). The tree is the OpenZeppelin StandardMerkleTree over
 *   the single value `(bytes32 recordDigest)` of each record, in sequence order, unsorted; {verifyInclusion}
 *   checks a proof, {anchorerOfRoot} says whose root it is.
 *
 * Each anchorer has its own sequence space ({nextSequence}): several ledgers (or a ledger and anyone
 * else the owner allows) anchor side by side, and none can move another's next sequence. A verifier
 * accepts a root only from the anchorer(s) of the ledger it trusts.
 *
 * {anchorBatch} is the hot path and is kept to the minimum verification reads: one fresh storage slot per
 * batch (the root's {BatchInfo}), plus a rewrite of the anchorer's own slot it reads anyway for the permission
 * check. Batches are numbered per anchorer, in that same slot, so no global counter is written; finding a batch
 * by its number, or listing them all, is what the {BatchAnchored} events are for.
 */
contract ProvenanceLedger is EIP712, Ownable {
    /// @notice A batch of records committed to by its Merkle root.
    /// @param root Merkle root of the records' leaves.
    /// @param batchId The batch's number among its anchorer's batches (1 for its first), 0 when `root` is not anchored.
    /// @param firstSequence Sequence number of the first record of the batch.
    /// @param recordCount Number of records; the batch covers `[firstSequence, firstSequence + recordCount)`.
    /// @param anchoredAt Timestamp of the block that anchored the batch.
    /// @param blockNumber Number of the block that anchored the batch.
    /// @param anchorer The account that anchored it; `firstSequence` is in its sequence space.
    struct AnchoredBatch {
        bytes32 root;
        uint32 batchId;
        uint64 firstSequence;
        uint32 recordCount;
        uint64 anchoredAt;
        uint64 blockNumber;
        address anchorer;
    }

    /// @dev Everything about an anchored root but the root itself, in one slot (40-bit times and
    /// block numbers last for millennia; the anchorer by its small id, see {AnchorerState}). The only slot a
    /// batch adds: {anchorerOfRoot} and {verifyInclusion} read it, and its block number lets a reader go
    /// straight to the batch's {BatchAnchored} event.
    struct BatchInfo {
        uint64 firstSequence;
        uint32 recordCount;
        uint40 anchoredAt;
        uint40 blockNumber;
        uint32 batchId;
        uint32 anchorerId;
    }

    /// @dev An account's standing as an anchorer, its own next sequence and its number of batches, in one
    /// slot: {anchorBatch} reads it for the permission check anyway, so the sequence and the batch numbers per
    /// anchorer cost no extra slot.
    struct AnchorerState {
        bool allowed;
        uint32 id;
        uint64 nextSequence;
        uint32 batchCount;
    }

    /// @dev On-chain state of an attested record, in one slot.
    struct RecordState {
        uint64 attestedAt;
        bool revoked;
    }

    /// @notice EIP-712 type hash of {ProvenanceRecord}.
    bytes32 public constant PROVENANCE_RECORD_TYPEHASH = keccak256(
        "ProvenanceRecord(uint16 version,bytes32 contentHash,bytes32 perceptualHash,bytes32 modelHash,address node,address creator,bytes32 creatorCommitment,bytes32 promptCommitment,bytes32 parametersHash,uint64 timestamp,bytes32 watermarkId,uint64 sequence,bytes32 extensions)"
    );

    /// @notice Largest number of records one batch may cover.
    uint32 public constant MAX_BATCH_SIZE = 65_536;

    /// @dev The registry that says which nodes are authorised for which models.
    ModelRegistry private immutable _registry;

    /// @dev Number of accounts ever made anchorers, which is also the id of the last one.
    uint32 private _anchorerCount;

    mapping(address anchorer => AnchorerState state) private _anchorers;
    mapping(uint32 anchorerId => address anchorer) private _anchorerIds;
    mapping(bytes32 root => BatchInfo info) private _batches;
    mapping(bytes32 recordDigest => RecordState state) private _records;

    /// @notice Emitted when the record `recordDigest` is attested on-chain.
    event RecordAttested(
        bytes32 indexed recordDigest, address indexed node, bytes32 indexed modelHash, bytes32 contentHash, uint64 sequence
    );
    /// @notice Emitted when `anchorer` anchors its batch number `batchId` (numbered per anchorer, from 1).
    event BatchAnchored(
        uint256 indexed batchId, bytes32 indexed root, uint64 firstSequence, uint32 recordCount, address indexed anchorer
    );
    /// @notice Emitted when `operator`, the operator of `node`, revokes the record `recordDigest`.
    event RecordRevoked(bytes32 indexed recordDigest, address indexed node, address indexed operator, string reason);
    /// @notice Emitted when `anchorer` is allowed or disallowed to anchor batches.
    event AnchorerSet(address indexed anchorer, bool allowed);

    /// @notice The record `recordDigest` was signed by `recovered`, not by its `node`.
    error InvalidRecordSigner(bytes32 recordDigest, address recovered, address node);
    /// @notice `node` is not registered or does not serve `modelHash`.
    error NodeNotAuthorized(address node, bytes32 modelHash);
    /// @notice The record `recordDigest` was already attested in block `blockNumber`.
    error RecordAlreadyAttested(bytes32 recordDigest, uint64 blockNumber);
    /// @notice `caller` is not an anchorer.
    error NotAnchorer(address caller);
    /// @notice The Merkle root is zero.
    error ZeroRoot();
    /// @notice The batch has no record.
    error EmptyBatch();
    /// @notice The batch covers `recordCount` records, more than `maxBatchSize`.
    error BatchTooLarge(uint32 recordCount, uint32 maxBatchSize);
    /// @notice The batch starts at `firstSequence` but must start at `expectedSequence`.
    error BatchSequenceMismatch(uint64 firstSequence, uint64 expectedSequence);
    /// @notice `root` is already anchored, as batch number `batchId` of its anchorer.
    error RootAlreadyAnchored(bytes32 root, uint256 batchId);
    /// @notice `root` is not anchored.
    error RootNotAnchored(bytes32 root);
    /// @notice The record `recordDigest` is already revoked.
    error RecordAlreadyRevoked(bytes32 recordDigest);
    /// @notice `caller` is not `operator`, the operator of `node` (same error as {ModelRegistry-NotNodeOperator}).
    error NotNodeOperator(address node, address caller, address operator);

    /**
     * @notice Deploys the ledger.
     * @param registry The model and node registry.
     * @param initialOwner The account that authorises anchorers.
     */
    constructor(ModelRegistry registry, address initialOwner)
        EIP712("MobileAigcProvenanceLedger", "1")
        Ownable(initialOwner)
    {
        _registry = registry;
    }

    // ------------------------------------------------------------------------------------------------
    // Records
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Attests one record on-chain, checking its node's signature.
     * @dev Anyone may relay the record; what counts is the node's EIP-712 signature over it. The record
     * digest is stored with the current block number.
     *
     * Requirements:
     *
     * - The record was not attested before.
     * - `signature` is a well-formed 65-byte, low-`s` ECDSA signature (otherwise reverts with
     *   {ECDSA-ECDSAInvalidSignature}, {ECDSA-ECDSAInvalidSignatureLength} or {ECDSA-ECDSAInvalidSignatureS}).
     * - `signature` was made by `record.node` over {hashRecord}`(record)`.
     * - `record.node` is registered and serves `record.modelHash` ({ModelRegistry-isNodeAuthorized}).
     *
     * Emits a {RecordAttested} event.
     *
     * @param record The record.
     * @param signature The node's signature over the record's EIP-712 digest.
     * @return recordDigest The record's EIP-712 digest.
     */
    function attest(ProvenanceRecord calldata record, bytes calldata signature) external returns (bytes32 recordDigest) {
        recordDigest = _hashRecord(record);
        RecordState storage state = _records[recordDigest];
        uint64 attestedBlock = state.attestedAt;
        if (attestedBlock != 0) revert RecordAlreadyAttested(recordDigest, attestedBlock);

        address recovered = ECDSA.recoverCalldata(recordDigest, signature);
        if (recovered != record.node) revert InvalidRecordSigner(recordDigest, recovered, record.node);
        if (!_registry.isNodeAuthorized(record.node, record.modelHash)) {
            revert NodeNotAuthorized(record.node, record.modelHash);
        }

        state.attestedAt = uint64(block.number);
        emit RecordAttested(recordDigest, record.node, record.modelHash, record.contentHash, record.sequence);
    }

    /**
     * @notice Revokes a record, for example because the node's key leaked or the content was withdrawn.
     * @dev Works for any record, attested on-chain or only anchored in a batch; revocation is a flag
     * readers check with {isRevoked}, it changes neither attestations nor batches.
     *
     * Requirements:
     *
     * - The caller is the operator `record.node` is bound to ({ModelRegistry-nodeKeyOperator}): the operator
     *   that held the node when it signed the record, as a key is bound to one operator for ever; a deregistered
     *   node's records stay revocable by it, and by nobody else.
     * - The record is not revoked yet.
     *
     * Emits a {RecordRevoked} event.
     *
     * @param record The record.
     * @param reason Human-readable reason, kept in the event only.
     */
    function revoke(ProvenanceRecord calldata record, string calldata reason) external {
        address operator = _registry.nodeKeyOperator(record.node);
        if (operator == address(0) || operator != msg.sender) revert NotNodeOperator(record.node, msg.sender, operator);
        bytes32 recordDigest = _hashRecord(record);
        RecordState storage state = _records[recordDigest];
        if (state.revoked) revert RecordAlreadyRevoked(recordDigest);
        state.revoked = true;
        emit RecordRevoked(recordDigest, record.node, msg.sender, reason);
    }

    /**
     * @notice Returns the EIP-712 digest of `record`, which the node signs and which the Merkle leaf commits to.
     * @param record The record.
     * @return recordDigest `_hashTypedDataV4(keccak256(abi.encode(PROVENANCE_RECORD_TYPEHASH, record...)))`.
     */
    function hashRecord(ProvenanceRecord calldata record) external view returns (bytes32 recordDigest) {
        return _hashRecord(record);
    }

    /**
     * @notice Returns the StandardMerkleTree leaf of a record digest.
     * @param recordDigest The record's EIP-712 digest.
     * @return leaf `keccak256(bytes.concat(keccak256(abi.encode(recordDigest))))`.
     */
    function recordLeaf(bytes32 recordDigest) external pure returns (bytes32 leaf) {
        return _leaf(recordDigest);
    }

    /**
     * @notice Returns the block number a record was attested in with {attest}.
     * @param recordDigest The record's digest.
     * @return The block number, or 0 when the record was not attested on-chain.
     */
    function attestedAt(bytes32 recordDigest) external view returns (uint64) {
        return _records[recordDigest].attestedAt;
    }

    /**
     * @notice Tells whether a record was revoked with {revoke}.
     * @param recordDigest The record's digest.
     * @return True when the record is revoked.
     */
    function isRevoked(bytes32 recordDigest) external view returns (bool) {
        return _records[recordDigest].revoked;
    }

    // ------------------------------------------------------------------------------------------------
    // Batches
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Anchors the Merkle root of the records `[firstSequence, firstSequence + recordCount)`.
     * @dev An anchorer's batches are contiguous: each starts where its previous one ended
     * ({nextSequence} of the caller); other anchorers' batches never move it. The ledger cannot check
     * that the root really covers `recordCount` records; it records what the anchorer claims, and the
     * anchorer is accountable for it. Writes one fresh storage slot (the root's) and rewrites the caller's
     * anchorer slot (its next sequence and batch count): 53,006 gas for the whole transaction (docs/contracts.md).
     *
     * Requirements:
     *
     * - The caller is an anchorer ({setAnchorer}).
     * - `root` is not zero and not anchored yet.
     * - `recordCount` is between 1 and {MAX_BATCH_SIZE}.
     * - `firstSequence` equals {nextSequence}`(msg.sender)`.
     *
     * Emits a {BatchAnchored} event.
     *
     * @param root Merkle root of the records' leaves ({recordLeaf}).
     * @param firstSequence Sequence number of the first record.
     * @param recordCount Number of records.
     * @return batchId The new batch's number among the caller's batches; each anchorer's start at 1.
     */
    function anchorBatch(bytes32 root, uint64 firstSequence, uint32 recordCount) external returns (uint256 batchId) {
        AnchorerState storage anchorer = _anchorers[msg.sender];
        if (!anchorer.allowed) revert NotAnchorer(msg.sender);
        if (root == bytes32(0)) revert ZeroRoot();
        if (recordCount == 0) revert EmptyBatch();
        if (recordCount > MAX_BATCH_SIZE) revert BatchTooLarge(recordCount, MAX_BATCH_SIZE);
        uint64 expected = anchorer.nextSequence;
        if (firstSequence != expected) revert BatchSequenceMismatch(firstSequence, expected);
        BatchInfo storage info = _batches[root];
        uint32 existing = info.batchId;
        if (existing != 0) revert RootAlreadyAnchored(root, existing);

        uint32 id = anchorer.batchCount + 1;
        anchorer.nextSequence = firstSequence + recordCount;
        anchorer.batchCount = id;
        uint256 packed = _packBatchInfo(firstSequence, recordCount, id, anchorer.id);
        // One SSTORE of the whole word: Solidity writes a struct member by member (a read and a write of the same
        // slot for each of the six), about 2,500 gas more. The layout is {BatchInfo}'s, which every view reads.
        assembly ("memory-safe") {
            sstore(info.slot, packed)
        }

        emit BatchAnchored(id, root, firstSequence, recordCount, msg.sender);
        return id;
    }

    /**
     * @notice Allows or disallows `anchorer` to anchor batches.
     * @dev An account keeps its id and its sequence across being disallowed and allowed again, so its
     * earlier batches stay its own and its ledger resumes where it stopped.
     *
     * Requirements:
     *
     * - The caller is the contract owner.
     *
     * Emits an {AnchorerSet} event.
     *
     * @param anchorer The account.
     * @param allowed Whether it may anchor batches.
     */
    function setAnchorer(address anchorer, bool allowed) external onlyOwner {
        AnchorerState storage state = _anchorers[anchorer];
        if (state.id == 0) {
            uint32 id = ++_anchorerCount;
            state.id = id;
            _anchorerIds[id] = anchorer;
        }
        state.allowed = allowed;
        emit AnchorerSet(anchorer, allowed);
    }

    /**
     * @notice Checks a Merkle proof that the record `recordDigest` is in the batch anchored as `root`.
     * @dev The proof is a StandardMerkleTree proof (sorted-pair hashing) of the leaf {recordLeaf}`(recordDigest)`.
     * Does not look at revocation: combine with {isRevoked}.
     *
     * Requirements:
     *
     * - `root` is anchored.
     *
     * @param root The batch's Merkle root.
     * @param recordDigest The record's digest.
     * @param proof Sibling hashes from the leaf up to the root.
     * @return True when the proof is valid.
     */
    function verifyInclusion(bytes32 root, bytes32 recordDigest, bytes32[] calldata proof) external view returns (bool) {
        if (_batches[root].batchId == 0) revert RootNotAnchored(root);
        return MerkleProof.verifyCalldata(proof, root, _leaf(recordDigest));
    }

    /**
     * @notice Returns the batch anchored as `root`.
     * @dev There is no lookup by batch number on chain (it would cost every batch a second slot): the
     * {BatchAnchored} events, indexed by batch number, root and anchorer, list them.
     * @param root The Merkle root.
     * @return The anchored batch; every field zero (`batchId` 0) when `root` is not anchored.
     */
    function batchOfRoot(bytes32 root) external view returns (AnchoredBatch memory) {
        BatchInfo memory info = _batches[root];
        if (info.batchId == 0) return AnchoredBatch(bytes32(0), 0, 0, 0, 0, 0, address(0));
        return AnchoredBatch({
            root: root,
            batchId: info.batchId,
            firstSequence: info.firstSequence,
            recordCount: info.recordCount,
            anchoredAt: info.anchoredAt,
            blockNumber: info.blockNumber,
            anchorer: _anchorerIds[info.anchorerId]
        });
    }

    /**
     * @notice Returns the account that anchored `root`: a verifier accepts a root only from the
     * anchorer(s) of the ledger it trusts.
     * @param root The Merkle root.
     * @return The anchorer, or the zero address when `root` is not anchored.
     */
    function anchorerOfRoot(bytes32 root) external view returns (address) {
        BatchInfo storage info = _batches[root];
        return info.batchId == 0 ? address(0) : _anchorerIds[info.anchorerId];
    }

    /**
     * @notice Returns the number of batches `anchorer` anchored, which is also the number of its latest one.
     * @param anchorer The anchorer.
     * @return The anchorer's batch count (0 for an account that never anchored).
     */
    function batchCount(address anchorer) external view returns (uint256) {
        return _anchorers[anchorer].batchCount;
    }

    /**
     * @notice Returns the number of the batch anchored as `root` among its anchorer's batches.
     * @param root The Merkle root.
     * @return The batch number, or 0 when `root` is not anchored.
     */
    function batchIdOfRoot(bytes32 root) external view returns (uint256) {
        return _batches[root].batchId;
    }

    /**
     * @notice Returns the sequence number `anchorer`'s next batch must start at.
     * @param anchorer The anchorer.
     * @return The first sequence number of `anchorer` not covered by any of its batches (0 for an account that never anchored).
     */
    function nextSequence(address anchorer) external view returns (uint64) {
        return _anchorers[anchorer].nextSequence;
    }

    /**
     * @notice Tells whether `anchorer` may anchor batches.
     * @param anchorer The account.
     * @return True when the account is an anchorer.
     */
    function isAnchorer(address anchorer) external view returns (bool) {
        return _anchorers[anchorer].allowed;
    }

    /**
     * @notice Returns the EIP-712 domain separator of the ledger.
     * @return The domain separator of `EIP712Domain(name "MobileAigcProvenanceLedger", version "1", chainId, this)`.
     */
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev The EIP-712 digest of `record` in this contract's domain.
    function _hashRecord(ProvenanceRecord calldata record) private view returns (bytes32) {
        // All fields are static, so abi.encode lays the struct out inline: one word per field.
        return _hashTypedDataV4(keccak256(abi.encode(PROVENANCE_RECORD_TYPEHASH, record)));
    }

    /// @dev `BatchInfo(firstSequence, recordCount, now, this block, batchId, anchorerId)` as Solidity lays the struct out
    /// in its slot: members from the lowest-order bits up, in declaration order.
    function _packBatchInfo(uint64 firstSequence, uint32 recordCount, uint32 batchId, uint32 anchorerId)
        private
        view
        returns (uint256)
    {
        return uint256(firstSequence) | (uint256(recordCount) << 64) | (uint256(uint40(block.timestamp)) << 96)
            | (uint256(uint40(block.number)) << 136) | (uint256(batchId) << 176) | (uint256(anchorerId) << 208);
    }

    /// @dev The OpenZeppelin StandardMerkleTree leaf of the single value `(bytes32 recordDigest)`.
    function _leaf(bytes32 recordDigest) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(recordDigest))));
    }
}
