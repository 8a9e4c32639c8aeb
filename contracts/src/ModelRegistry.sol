// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @dev Largest number of models in a lineage; {ModelRegistry-MAX_LINEAGE_LENGTH}. A file-level constant so
/// that {PaymentChannels} can size its fixed arrays with it.
uint256 constant MAX_MODEL_LINEAGE_LENGTH = 4;

/**
 * @title ModelRegistry
 * @notice Registry of generative models and of the edge nodes that serve them.
 * @dev A model is an ERC-721 token whose id is `uint256(modelHash)`, `modelHash` being the SHA-256 of the
 * model's ONNX file. Whoever owns the token owns the model: transferring the token moves the royalties of
 * every later settlement in {PaymentChannels}.
 *
 * A model is registered in two steps so that nobody watching the mempool can take it: {commitModel} stores a
 * commitment that hides the model hash and binds the committer (see {modelCommitment}); at least
 * {MIN_COMMITMENT_AGE} and at most {MAX_COMMITMENT_AGE} blocks later the committer reveals it with
 * {registerModel}. A front-runner who copies the reveal sends it from another account, which has no commitment
 * for it, and needs {MIN_COMMITMENT_AGE} blocks to make one, while the genuine reveal is already being mined.
 *
 * A model may be registered as a derivative of a registered parent model (a fine-tuned or personalised
 * version of it). Parents are fixed at registration, so a lineage (a model, its parent, the parent's parent,
 * up to the root) never changes and never loops; it holds at most {MAX_LINEAGE_LENGTH} models. Every
 * settlement of a channel for a model pays a royalty to each model of its lineage, as {royaltyLineage}
 * describes. A royalty is at most {MAX_ROYALTY_BPS}, so that even a lineage of {MAX_LINEAGE_LENGTH} models
 * leaves the provider at least `10_000 - MAX_LINEAGE_LENGTH * MAX_ROYALTY_BPS` basis points (20 %) of a payment.
 *
 * A node is the signing address of an inference node. It is registered by its operator with the node key's
 * EIP-712 consent ({NodeConsent}: node, operator, a per-node nonce and a deadline, under this contract's domain,
 * so chain and contract are named too); a consent is used once. The first registration binds the key to its
 * operator for ever ({nodeKeyOperator}): no other account can ever register it, also after a deregistration,
 * and that operator alone may revoke the key's records in {ProvenanceLedger}. Only the operator can change the
 * models the node serves, its advertised endpoint, or deregister it. Deregistering clears the node: its served
 * models and its endpoint are forgotten (through a per-node generation counter, so that clearing costs O(1)
 * whatever the number of models).
 *
 * A node is authorised for a model ({isNodeAuthorized}) when it is registered, its operator has it serve the
 * model, and the model's owner approved the node ({setNodeApproval}) or opened the model to any node
 * ({setModelOpen}; closed by default). Approvals and the open flag belong to the owner who set them: a transfer
 * of the model's token clears them (through a per-model epoch), and the new owner approves afresh.
 *
 * The contract owner has no power over models or nodes; ownership is kept for administration of the
 * deployment (and is what off-chain tooling treats as the deployment's administrator).
 */
contract ModelRegistry is ERC721, Ownable, EIP712 {
    /// @notice Terms under which a model is offered.
    /// @param pricePerGeneration Suggested price of one generation, in the smallest unit of the channel token.
    /// @param royaltyBps Share of every channel payment for the model, or for any of its derivatives, credited to the
    /// model owner, in basis points (see {royaltyLineage}).
    /// @param active Whether new payment channels may be opened for the model.
    struct ModelTerms {
        uint128 pricePerGeneration;
        uint16 royaltyBps;
        bool active;
    }

    /// @notice One model of a lineage with what it is owed, as returned by {royaltyLineage}.
    /// @param modelHash The model.
    /// @param owner The model's current owner, who receives its royalty.
    /// @param royaltyBps The model's current royalty rate, in basis points of each payment.
    struct RoyaltyShare {
        bytes32 modelHash;
        address owner;
        uint16 royaltyBps;
    }

    /// @dev Storage record of a node: its current operator (zero while not registered) and the generation its
    /// served-model flags and endpoint belong to.
    struct Node {
        address operator;
        uint96 generation;
    }

    /// @dev Storage record of a node key: the operator it is bound to for ever (zero before its first registration)
    /// and the nonce its next consent must name.
    struct NodeKey {
        address boundOperator;
        uint96 consentNonce;
    }

    /// @notice Upper bound of `royaltyBps` (20 %): a lineage of {MAX_LINEAGE_LENGTH} models takes at most 80 % of a
    /// payment, so the provider always keeps at least 20 %.
    uint16 public constant MAX_ROYALTY_BPS = 2_000;

    /// @notice Blocks a commitment must have aged before its reveal: a front-runner who learns a model hash from a
    /// pending reveal would need a commitment of their own this old.
    uint64 public constant MIN_COMMITMENT_AGE = 5;

    /// @notice Blocks after which a commitment can no longer be revealed (about a week at 12 s a block): nobody
    /// holds a hidden claim in reserve for ever.
    uint64 public constant MAX_COMMITMENT_AGE = 50_400;

    /// @notice EIP-712 type hash of {NodeConsent}, the node key's consent to be operated by `operator`.
    bytes32 public constant NODE_CONSENT_TYPEHASH =
        keccak256("NodeConsent(address node,address operator,uint256 nonce,uint256 deadline)");

    /// @notice Largest number of models in a lineage, the model itself and its root included.
    /// @dev Bounds the royalty recipients of one settlement, and so its gas.
    uint256 public constant MAX_LINEAGE_LENGTH = MAX_MODEL_LINEAGE_LENGTH;

    /// @notice Largest length of a node's advertised endpoint, in bytes.
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;

    mapping(bytes32 modelHash => ModelTerms terms) private _terms;
    mapping(bytes32 modelHash => string metadataURI) private _metadataURIs;
    mapping(bytes32 modelHash => bytes32 parentHash) private _parents;
    mapping(address node => Node record) private _nodes;
    mapping(address node => mapping(uint96 generation => mapping(bytes32 modelHash => bool serves))) private _serves;
    mapping(address node => mapping(uint96 generation => string endpoint)) private _endpoints;
    mapping(address node => NodeKey key) private _nodeKeys;
    mapping(bytes32 modelHash => uint256 epoch) private _accessEpochs;
    mapping(bytes32 modelHash => mapping(uint256 epoch => bool open)) private _open;
    mapping(bytes32 modelHash => mapping(uint256 epoch => mapping(address node => bool approved))) private _approvals;
    mapping(address committer => mapping(bytes32 commitment => uint256 blockNumber)) private _commitments;

    /// @notice Emitted when `modelHash` is registered by `owner`.
    event ModelRegistered(
        bytes32 indexed modelHash, address indexed owner, string metadataURI, uint128 pricePerGeneration, uint16 royaltyBps
    );
    /// @notice Emitted, right after its {ModelRegistered}, when `modelHash` is registered as a derivative of
    /// `parentHash`.
    event ModelDerived(bytes32 indexed modelHash, bytes32 indexed parentHash);
    /// @notice Emitted when the terms of `modelHash` change.
    event ModelTermsUpdated(bytes32 indexed modelHash, uint128 pricePerGeneration, uint16 royaltyBps, bool active);
    /// @notice Emitted when `committer` commits to a model registration with `commitment` (see {modelCommitment}).
    event ModelCommitted(address indexed committer, bytes32 indexed commitment);
    /// @notice Emitted when the owner of `modelHash` approves (`approved == true`) or withdraws the approval of
    /// `node` to serve it.
    event NodeApprovalSet(bytes32 indexed modelHash, address indexed node, bool approved);
    /// @notice Emitted when the owner of `modelHash` opens it to any node (`open == true`) or closes it again.
    event ModelOpenSet(bytes32 indexed modelHash, bool open);
    /// @notice Emitted when the metadata URI of `modelHash` changes.
    event ModelMetadataUpdated(bytes32 indexed modelHash, string metadataURI);
    /// @notice Emitted when `node` is registered with `operator` as its operator.
    event NodeRegistered(address indexed node, address indexed operator);
    /// @notice Emitted when `node` starts (`serves == true`) or stops serving `modelHash`.
    event NodeModelSet(address indexed node, bytes32 indexed modelHash, bool serves);
    /// @notice Emitted when `node` is deregistered by its `operator`.
    event NodeDeregistered(address indexed node, address indexed operator);
    /// @notice Emitted when the operator of `node` sets its public `endpoint` (empty: no endpoint advertised).
    event NodeEndpointSet(address indexed node, string endpoint);

    /// @notice The model hash is zero.
    error ZeroModelHash();
    /// @notice An address argument that must be set is zero.
    error ZeroAddress();
    /// @notice `modelHash` is already registered and owned by `owner`.
    error ModelAlreadyRegistered(bytes32 modelHash, address owner);
    /// @notice `modelHash` is not registered.
    error ModelNotRegistered(bytes32 modelHash);
    /// @notice `caller` is not `owner`, the owner of `modelHash`.
    error NotModelOwner(bytes32 modelHash, address caller, address owner);
    /// @notice `royaltyBps` exceeds `maxRoyaltyBps`.
    error RoyaltyTooHigh(uint16 royaltyBps, uint16 maxRoyaltyBps);
    /// @notice `node` is already registered, operated by `operator`.
    error NodeAlreadyRegistered(address node, address operator);
    /// @notice `node` is not registered.
    error NodeNotRegistered(address node);
    /// @notice The key `node` is bound for ever to `boundOperator`, not to the caller.
    error NodeKeyBoundToOtherOperator(address node, address boundOperator);
    /// @notice The consent of `node` expired at `deadline`.
    error NodeConsentExpired(address node, uint256 deadline);
    /// @notice The consent given for `node` was signed by `signer`, not by the node key (or names another operator,
    /// nonce, chain or contract, which recovers another signer).
    error InvalidNodeConsent(address node, address signer);
    /// @notice The commitment is zero.
    error ZeroCommitment();
    /// @notice `committer` already holds the unexpired `commitment`.
    error CommitmentAlreadyMade(address committer, bytes32 commitment);
    /// @notice `committer` holds no commitment `commitment` (never made, already revealed, or made by another account).
    error CommitmentNotFound(address committer, bytes32 commitment);
    /// @notice `commitment` can be revealed from block `readyBlock` on, not before.
    error CommitmentTooFresh(bytes32 commitment, uint256 readyBlock);
    /// @notice `commitment` could be revealed up to block `lastBlock` only.
    error CommitmentExpired(bytes32 commitment, uint256 lastBlock);
    /// @notice `caller` is not `operator`, the operator of `node`.
    error NotNodeOperator(address node, address caller, address operator);
    /// @notice `parentHash`, named as the parent of `modelHash`, is not registered.
    error ParentModelNotRegistered(bytes32 modelHash, bytes32 parentHash);
    /// @notice Registering `modelHash` under `parentHash` would make a lineage of `length` models, more than
    /// `maxLength`.
    error LineageTooDeep(bytes32 modelHash, bytes32 parentHash, uint256 length, uint256 maxLength);
    /// @notice The endpoint given for `node` is `length` bytes long, more than `maxLength`.
    error EndpointTooLong(address node, uint256 length, uint256 maxLength);

    /**
     * @notice Deploys the registry; the deployer becomes the contract owner.
     */
    constructor() ERC721("MobileAIGC Model", "AIGCM") Ownable(msg.sender) EIP712("MobileAigcModelRegistry", "1") {}

    // ------------------------------------------------------------------------------------------------
    // Models
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Commits the caller to a model registration without showing which model: the first step of
     * registering a model; {registerModel} reveals it.
     * @dev `commitment` is {modelCommitment} of the registration's arguments, the caller and a secret salt. It
     * can be revealed from `MIN_COMMITMENT_AGE` blocks after this one to `MAX_COMMITMENT_AGE` blocks after it.
     * Commitments are kept per committer, so a copy of someone else's commitment is worth nothing. An expired
     * commitment may be made again (its age restarts).
     *
     * Requirements:
     *
     * - `commitment` is not zero ({ZeroCommitment}).
     * - The caller holds no unexpired commitment `commitment` ({CommitmentAlreadyMade}).
     *
     * Emits a {ModelCommitted} event.
     *
     * @param commitment The commitment.
     */
    function commitModel(bytes32 commitment) external {
        if (commitment == bytes32(0)) revert ZeroCommitment();
        uint256 madeAt = _commitments[msg.sender][commitment];
        if (madeAt != 0 && block.number <= madeAt + MAX_COMMITMENT_AGE) {
            revert CommitmentAlreadyMade(msg.sender, commitment);
        }
        _commitments[msg.sender][commitment] = block.number;
        emit ModelCommitted(msg.sender, commitment);
    }

    /**
     * @notice Returns the block a commitment of `committer` was made in, or zero when it holds none.
     * @param committer The committing account.
     * @param commitment The commitment.
     * @return The block number of the {commitModel}, or zero.
     */
    function commitmentBlock(address committer, bytes32 commitment) external view returns (uint256) {
        return _commitments[committer][commitment];
    }

    /**
     * @notice Returns the commitment {commitModel} expects for a registration by `committer`.
     * @dev `keccak256(abi.encode(modelHash, parentHash, keccak256(bytes(metadataURI)), pricePerGeneration,
     * royaltyBps, committer, salt))`. The salt is the committer's secret (32 random bytes): without it the model
     * hash cannot be found from the commitment, even by trying every published model. Clients compute it off
     * chain; this view lets them check their encoding.
     * @param modelHash SHA-256 of the model's ONNX file.
     * @param parentHash The model `modelHash` derives from, or zero for a root model.
     * @param metadataURI URI of the model's metadata.
     * @param pricePerGeneration Suggested price of one generation.
     * @param royaltyBps The model's royalty, in basis points.
     * @param committer The account that will commit and reveal.
     * @param salt The committer's secret.
     * @return The commitment.
     */
    function modelCommitment(
        bytes32 modelHash,
        bytes32 parentHash,
        string calldata metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps,
        address committer,
        bytes32 salt
    ) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                modelHash, parentHash, keccak256(bytes(metadataURI)), pricePerGeneration, royaltyBps, committer, salt
            )
        );
    }

    /**
     * @notice Reveals the caller's commitment and registers the model `modelHash`, derived from `parentHash` (or a
     * root model when zero), minting its token to the caller.
     * @dev The token id is `uint256(modelHash)`. The token is minted with `_mint` (not `_safeMint`), so a
     * contract caller need not implement {IERC721Receiver}. A new model is active and closed to nodes until its
     * owner approves some ({setNodeApproval}) or opens it ({setModelOpen}). The parent is fixed for ever. Every
     * later settlement of a channel for `modelHash` pays each model of its lineage its own royalty, root first,
     * before the new model's (see {royaltyLineage}). The parent's owner need not agree: naming a parent only ever
     * pays that parent. The parent's `active` flag does not matter (it only gates channels). The commitment is
     * used up.
     *
     * Requirements:
     *
     * - The caller committed {modelCommitment} of these arguments with {commitModel} ({CommitmentNotFound}),
     *   at least {MIN_COMMITMENT_AGE} ({CommitmentTooFresh}) and at most {MAX_COMMITMENT_AGE}
     *   ({CommitmentExpired}) blocks ago.
     * - `modelHash` is not zero and not registered yet.
     * - `parentHash` is zero or a registered model ({ParentModelNotRegistered}).
     * - The lineage of the new model, itself included, holds at most {MAX_LINEAGE_LENGTH} models
     *   ({LineageTooDeep}).
     * - `royaltyBps` is at most {MAX_ROYALTY_BPS}.
     *
     * Emits a {Transfer} event, a {ModelRegistered} event and, when `parentHash` is not zero, a {ModelDerived}
     * event.
     *
     * @param modelHash SHA-256 of the model's ONNX file.
     * @param parentHash The model `modelHash` derives from, or zero for none.
     * @param metadataURI URI of the model's metadata, returned by {tokenURI}.
     * @param pricePerGeneration Suggested price of one generation.
     * @param royaltyBps The new model's own royalty, in basis points of each payment.
     * @param salt The secret the commitment was made with.
     * @return tokenId The id of the minted token, `uint256(modelHash)`.
     */
    function registerModel(
        bytes32 modelHash,
        bytes32 parentHash,
        string calldata metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps,
        bytes32 salt
    ) external returns (uint256 tokenId) {
        bytes32 commitment =
            modelCommitment(modelHash, parentHash, metadataURI, pricePerGeneration, royaltyBps, msg.sender, salt);
        uint256 madeAt = _commitments[msg.sender][commitment];
        if (madeAt == 0) revert CommitmentNotFound(msg.sender, commitment);
        if (block.number < madeAt + MIN_COMMITMENT_AGE) {
            revert CommitmentTooFresh(commitment, madeAt + MIN_COMMITMENT_AGE);
        }
        if (block.number > madeAt + MAX_COMMITMENT_AGE) revert CommitmentExpired(commitment, madeAt + MAX_COMMITMENT_AGE);
        delete _commitments[msg.sender][commitment];
        return _registerModel(modelHash, parentHash, metadataURI, pricePerGeneration, royaltyBps);
    }

    /**
     * @notice Replaces the terms of `modelHash`.
     * @dev Deactivating a model only blocks new payment channels: channels already open keep settling on the
     * terms {PaymentChannels} read when they opened.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     * - The caller owns the model's token.
     * - `royaltyBps` is at most {MAX_ROYALTY_BPS}.
     *
     * Emits a {ModelTermsUpdated} event.
     *
     * @param modelHash The model.
     * @param pricePerGeneration New suggested price of one generation.
     * @param royaltyBps New royalty share, in basis points.
     * @param active Whether new payment channels may be opened for the model.
     */
    function updateTerms(bytes32 modelHash, uint128 pricePerGeneration, uint16 royaltyBps, bool active) external {
        _checkModelOwner(modelHash);
        _checkRoyalty(royaltyBps);
        _terms[modelHash] = ModelTerms({pricePerGeneration: pricePerGeneration, royaltyBps: royaltyBps, active: active});
        emit ModelTermsUpdated(modelHash, pricePerGeneration, royaltyBps, active);
    }

    /**
     * @notice Replaces the metadata URI of `modelHash`.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     * - The caller owns the model's token.
     *
     * Emits a {ModelMetadataUpdated} event.
     *
     * @param modelHash The model.
     * @param metadataURI The new metadata URI.
     */
    function setMetadataURI(bytes32 modelHash, string calldata metadataURI) external {
        _checkModelOwner(modelHash);
        _metadataURIs[modelHash] = metadataURI;
        emit ModelMetadataUpdated(modelHash, metadataURI);
    }

    /**
     * @notice Returns the terms of `modelHash`.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     *
     * @param modelHash The model.
     * @return The model's current terms.
     */
    function modelTerms(bytes32 modelHash) external view returns (ModelTerms memory) {
        _requireRegistered(modelHash);
        return _terms[modelHash];
    }

    /**
     * @notice Returns the current owner of `modelHash`, who receives its royalties.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     *
     * @param modelHash The model.
     * @return The owner of the model's token.
     */
    function modelOwner(bytes32 modelHash) external view returns (address) {
        return _requireRegistered(modelHash);
    }

    /**
     * @notice Tells whether `modelHash` is registered.
     * @param modelHash The model.
     * @return True when the model's token exists.
     */
    function isModelRegistered(bytes32 modelHash) external view returns (bool) {
        return _ownerOf(uint256(modelHash)) != address(0);
    }

    /**
     * @notice Returns the parent of `modelHash`, or zero for a root model.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     *
     * @param modelHash The model.
     * @return The parent's hash, or zero.
     */
    function parentModel(bytes32 modelHash) external view returns (bytes32) {
        _requireRegistered(modelHash);
        return _parents[modelHash];
    }

    /**
     * @notice Returns the lineage of `modelHash`: its root first, then each descendant down to `modelHash`
     * itself, last.
     * @dev A root model's lineage is `[modelHash]`; its length is at most {MAX_LINEAGE_LENGTH}.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     *
     * @param modelHash The model.
     * @return models The lineage, root first.
     */
    function lineage(bytes32 modelHash) external view returns (bytes32[] memory models) {
        _requireRegistered(modelHash);
        (bytes32[MAX_LINEAGE_LENGTH] memory upward, uint256 length) = _lineageUpward(modelHash);
        models = new bytes32[](length);
        for (uint256 i = 0; i < length; ++i) {
            models[i] = upward[length - 1 - i];
        }
    }

    /**
     * @notice Returns who is owed a royalty when a channel for `modelHash` settles: every model of its lineage,
     * root first and `modelHash` last, with its current owner and royalty rate.
     * @dev {PaymentChannels} splits each payment `p` so: walking the lineage root first, each model is credited
     * `p * royaltyBps / 10_000` (rounded down), clipped to what earlier models left of `p`; the provider gets
     * the rest. Every rate is at most {MAX_ROYALTY_BPS}, so the rates of a lineage add up to at most
     * `MAX_LINEAGE_LENGTH * MAX_ROYALTY_BPS` (80 %): every model gets exactly its rate and the provider keeps at
     * least 20 %.
     *
     * Requirements:
     *
     * - `modelHash` is registered.
     *
     * @param modelHash The model a channel pays for.
     * @return shares One entry per lineage model, root first.
     */
    function royaltyLineage(bytes32 modelHash) external view returns (RoyaltyShare[] memory shares) {
        _requireRegistered(modelHash);
        (bytes32[MAX_LINEAGE_LENGTH] memory upward, uint256 length) = _lineageUpward(modelHash);
        shares = new RoyaltyShare[](length);
        for (uint256 i = 0; i < length; ++i) {
            bytes32 model = upward[length - 1 - i];
            shares[i] = RoyaltyShare({modelHash: model, owner: _ownerOf(uint256(model)), royaltyBps: _terms[model].royaltyBps});
        }
    }

    /**
     * @notice Returns the metadata URI of the model whose token id is `tokenId`.
     *
     * Requirements:
     *
     * - `tokenId` exists (otherwise reverts with {IERC721Errors-ERC721NonexistentToken}).
     *
     * @param tokenId The token id, `uint256(modelHash)`.
     * @return The model's metadata URI.
     */
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return _metadataURIs[bytes32(tokenId)];
    }

    // ------------------------------------------------------------------------------------------------
    // Nodes
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Registers `node` with the caller as its operator, serving `modelHashes`, with the node key's consent.
     * @dev `signature` is the node key's EIP-712 signature of `NodeConsent(node, operator, nonce, deadline)` under
     * this contract's domain (name "MobileAigcModelRegistry", version "1", this chain, this contract), `operator`
     * being the caller and `nonce` {nodeConsentNonce}: a consent names who may operate the key, on which chain and
     * contract, and is used once (the nonce moves on). The first registration binds the key to the caller for
     * ever ({nodeKeyOperator}); later registrations, after a deregistration, must come from that operator with a
     * fresh consent. Serving a model is the operator's choice; the node is authorised for it only once the model's
     * owner approves it or opens the model ({isNodeAuthorized}).
     *
     * Requirements:
     *
     * - `node` is not the zero address.
     * - `node` is not registered ({NodeAlreadyRegistered}).
     * - `node` is not bound to another operator ({NodeKeyBoundToOtherOperator}).
     * - `block.timestamp` is at most `deadline` ({NodeConsentExpired}).
     * - `signature` is the node key's consent as above ({InvalidNodeConsent}; malformed signatures revert with
     *   OpenZeppelin's ECDSA errors).
     * - Every model of `modelHashes` is registered.
     *
     * Emits a {NodeRegistered} event, then a {NodeModelSet} event per model of `modelHashes`.
     *
     * @param node The node's signing address.
     * @param modelHashes The models the node serves.
     * @param deadline Last timestamp at which the consent may be used.
     * @param signature The node key's 65-byte consent signature.
     */
    function registerNode(address node, bytes32[] calldata modelHashes, uint256 deadline, bytes calldata signature)
        external
    {
        if (node == address(0)) revert ZeroAddress();
        Node storage record = _nodes[node];
        address operator = record.operator;
        if (operator != address(0)) revert NodeAlreadyRegistered(node, operator);
        _useConsent(node, deadline, signature);
        record.operator = msg.sender;
        emit NodeRegistered(node, msg.sender);

        mapping(bytes32 modelHash => bool serves) storage served = _serves[node][record.generation];
        for (uint256 i = 0; i < modelHashes.length; ++i) {
            bytes32 modelHash = modelHashes[i];
            _requireRegistered(modelHash);
            served[modelHash] = true;
            emit NodeModelSet(node, modelHash, true);
        }
    }

    /**
     * @notice Returns the EIP-712 digest a node key signs to consent to `operator` registering it.
     * @param node The node key's address.
     * @param operator The account allowed to register it.
     * @param nonce The key's current {nodeConsentNonce}.
     * @param deadline Last timestamp at which the consent may be used.
     * @return The digest, under this contract's domain.
     */
    function hashNodeConsent(address node, address operator, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(_nodeConsentStructHash(node, operator, nonce, deadline));
    }

    /**
     * @notice Returns the nonce the next consent of `node` must name.
     * @param node The node key's address.
     * @return The number of registrations of the key so far.
     */
    function nodeConsentNonce(address node) external view returns (uint256) {
        return _nodeKeys[node].consentNonce;
    }

    /**
     * @notice Returns the operator the key `node` is bound to for ever, also while it is deregistered.
     * @dev The only account that may register the key again and revoke its records in {ProvenanceLedger}.
     * @param node The node key's address.
     * @return The operator of the key's first registration, or zero when it was never registered.
     */
    function nodeKeyOperator(address node) external view returns (address) {
        return _nodeKeys[node].boundOperator;
    }

    /**
     * @notice Approves (`approved == true`) `node` to serve `modelHash`, or withdraws the approval.
     * @dev The node key need not be registered yet. Approvals belong to the owner who gave them: a transfer of the
     * model's token clears them. Withdrawing an approval stops the node's new records being accepted for the model
     * (unless the model is open to any node); records already attested stay attested.
     *
     * Requirements:
     *
     * - `node` is not the zero address.
     * - The caller owns the model ({ModelNotRegistered}, {NotModelOwner}).
     *
     * Emits a {NodeApprovalSet} event.
     *
     * @param modelHash The model.
     * @param node The node key's address.
     * @param approved Whether the node may serve the model.
     */
    function setNodeApproval(bytes32 modelHash, address node, bool approved) external {
        if (node == address(0)) revert ZeroAddress();
        _checkModelOwner(modelHash);
        _approvals[modelHash][_accessEpochs[modelHash]][node] = approved;
        emit NodeApprovalSet(modelHash, node, approved);
    }

    /**
     * @notice Opens `modelHash` to any registered node that serves it (`open == true`), or closes it to all but the
     * approved ones. Models start closed; a transfer of the model's token closes it again.
     *
     * Requirements:
     *
     * - The caller owns the model ({ModelNotRegistered}, {NotModelOwner}).
     *
     * Emits a {ModelOpenSet} event.
     *
     * @param modelHash The model.
     * @param open Whether any node may serve it.
     */
    function setModelOpen(bytes32 modelHash, bool open) external {
        _checkModelOwner(modelHash);
        _open[modelHash][_accessEpochs[modelHash]] = open;
        emit ModelOpenSet(modelHash, open);
    }

    /**
     * @notice Tells whether the current owner of `modelHash` approved `node` to serve it ({setNodeApproval}).
     * @param node The node key's address.
     * @param modelHash The model.
     * @return True when approved; an open model's nodes need no approval, see {isModelOpen}.
     */
    function isNodeApproved(address node, bytes32 modelHash) external view returns (bool) {
        return _approvals[modelHash][_accessEpochs[modelHash]][node];
    }

    /**
     * @notice Tells whether the current owner of `modelHash` opened it to any node ({setModelOpen}).
     * @param modelHash The model.
     * @return True when open.
     */
    function isModelOpen(bytes32 modelHash) external view returns (bool) {
        return _open[modelHash][_accessEpochs[modelHash]];
    }

    /**
     * @notice Starts (`serves == true`) or stops serving `modelHash` on `node`.
     *
     * Requirements:
     *
     * - `node` is registered.
     * - The caller is the node's operator.
     * - `modelHash` is registered.
     *
     * Emits a {NodeModelSet} event.
     *
     * @param node The node.
     * @param modelHash The model.
     * @param serves Whether the node serves the model.
     */
    function setNodeModel(address node, bytes32 modelHash, bool serves) external {
        Node storage record = _checkNodeOperator(node);
        _requireRegistered(modelHash);
        _serves[node][record.generation][modelHash] = serves;
        emit NodeModelSet(node, modelHash, serves);
    }

    /**
     * @notice Advertises `endpoint` as the public URL creators reach `node` at; an empty string withdraws it.
     * @dev The registry does not check the URL's form, only its length: clients must validate what they
     * read. Deregistering the node forgets the endpoint.
     *
     * Requirements:
     *
     * - `node` is registered.
     * - The caller is the node's operator.
     * - `endpoint` is at most {MAX_ENDPOINT_LENGTH} bytes long.
     *
     * Emits a {NodeEndpointSet} event.
     *
     * @param node The node.
     * @param endpoint The node's public endpoint URL (for example `https://node.example:8443`), or empty.
     */
    function setNodeEndpoint(address node, string calldata endpoint) external {
        Node storage record = _checkNodeOperator(node);
        uint256 length = bytes(endpoint).length;
        if (length > MAX_ENDPOINT_LENGTH) revert EndpointTooLong(node, length, MAX_ENDPOINT_LENGTH);
        _endpoints[node][record.generation] = endpoint;
        emit NodeEndpointSet(node, endpoint);
    }

    /**
     * @notice Deregisters `node` and forgets the models it served.
     * @dev Records the node attested before stay attested in {ProvenanceLedger}, and its operator can still
     * revoke them. The key stays bound to its operator: only that operator can register it again, with a fresh
     * consent, and an empty model set.
     *
     * Requirements:
     *
     * - `node` is registered.
     * - The caller is the node's operator.
     *
     * Emits a {NodeDeregistered} event.
     *
     * @param node The node.
     */
    function deregisterNode(address node) external {
        Node storage record = _checkNodeOperator(node);
        record.operator = address(0);
        unchecked {
            // 2^96 deregistrations of one node cannot happen.
            record.generation += 1;
        }
        emit NodeDeregistered(node, msg.sender);
    }

    /**
     * @notice Returns the operator of `node`.
     * @param node The node.
     * @return The node's operator, or the zero address when `node` is not registered.
     */
    function nodeOperator(address node) external view returns (address) {
        return _nodes[node].operator;
    }

    /**
     * @notice Returns the public endpoint URL advertised for `node`.
     * @param node The node.
     * @return The endpoint, or an empty string when none is advertised or `node` is not registered.
     */
    function nodeEndpoint(address node) external view returns (string memory) {
        return _endpoints[node][_nodes[node].generation];
    }

    /**
     * @notice Tells whether `node` may produce records and take channels for `modelHash`: it is registered, its
     * operator has it serve the model, and the model's owner approved it or opened the model to any node.
     * @dev Does not look at the model's `active` flag: deactivation only blocks new payment channels.
     * @param node The node.
     * @param modelHash The model.
     * @return True when the node is authorised for the model.
     */
    function isNodeAuthorized(address node, bytes32 modelHash) external view returns (bool) {
        Node storage record = _nodes[node];
        if (record.operator == address(0) || !_serves[node][record.generation][modelHash]) return false;
        uint256 epoch = _accessEpochs[modelHash];
        return _open[modelHash][epoch] || _approvals[modelHash][epoch][node];
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev {registerModel} and {registerDerivedModel}: checks, stores the terms (and the parent, when not zero),
    /// mints the token to the caller and emits.
    function _registerModel(
        bytes32 modelHash,
        bytes32 parentHash,
        string calldata metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps
    ) private returns (uint256 tokenId) {
        if (modelHash == bytes32(0)) revert ZeroModelHash();
        tokenId = uint256(modelHash);
        address existing = _ownerOf(tokenId);
        if (existing != address(0)) revert ModelAlreadyRegistered(modelHash, existing);
        _checkRoyalty(royaltyBps);
        if (parentHash != bytes32(0)) {
            if (_ownerOf(uint256(parentHash)) == address(0)) revert ParentModelNotRegistered(modelHash, parentHash);
            (, uint256 parentLength) = _lineageUpward(parentHash);
            if (parentLength == MAX_LINEAGE_LENGTH) {
                revert LineageTooDeep(modelHash, parentHash, parentLength + 1, MAX_LINEAGE_LENGTH);
            }
            _parents[modelHash] = parentHash;
        }

        _terms[modelHash] = ModelTerms({pricePerGeneration: pricePerGeneration, royaltyBps: royaltyBps, active: true});
        _metadataURIs[modelHash] = metadataURI;
        _mint(msg.sender, tokenId);

        emit ModelRegistered(modelHash, msg.sender, metadataURI, pricePerGeneration, royaltyBps);
        if (parentHash != bytes32(0)) emit ModelDerived(modelHash, parentHash);
    }

    /// @dev A transfer of a model's token (not its mint) starts a new access epoch: the previous owner's approvals
    /// and open flag no longer count, as the {Transfer} event tells indexers.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0)) {
            unchecked {
                // One epoch per transfer: 2^256 transfers cannot happen.
                ++_accessEpochs[bytes32(tokenId)];
            }
        }
    }

    /// @dev Checks the key binding and the node key's consent to the caller, then spends the consent's nonce and
    /// binds the key to the caller when it is its first registration.
    function _useConsent(address node, uint256 deadline, bytes calldata signature) private {
        NodeKey storage key = _nodeKeys[node];
        address bound = key.boundOperator;
        if (bound != address(0) && bound != msg.sender) revert NodeKeyBoundToOtherOperator(node, bound);
        // A deadline in seconds is what the key signs; a validator's few seconds of skew do not matter to it.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > deadline) revert NodeConsentExpired(node, deadline);
        uint96 nonce = key.consentNonce;
        bytes32 digest = _hashTypedDataV4(_nodeConsentStructHash(node, msg.sender, nonce, deadline));
        address signer = ECDSA.recover(digest, signature);
        if (signer != node) revert InvalidNodeConsent(node, signer);
        unchecked {
            // One registration per nonce: 2^96 registrations of one key cannot happen.
            key.consentNonce = nonce + 1;
        }
        if (bound == address(0)) key.boundOperator = msg.sender;
    }

    /// @dev The EIP-712 struct hash of a {NODE_CONSENT_TYPEHASH} consent.
    function _nodeConsentStructHash(address node, address operator, uint256 nonce, uint256 deadline)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(NODE_CONSENT_TYPEHASH, node, operator, nonce, deadline));
    }

    /// @dev The lineage of a registered `modelHash` from the model itself (index 0) up to its root, and its
    /// length. Registration keeps every lineage within {MAX_LINEAGE_LENGTH}, so the walk ends in time.
    function _lineageUpward(bytes32 modelHash)
        private
        view
        returns (bytes32[MAX_LINEAGE_LENGTH] memory upward, uint256 length)
    {
        bytes32 model = modelHash;
        while (model != bytes32(0)) {
            upward[length++] = model;
            model = _parents[model];
        }
    }

    /// @dev Returns the owner of `modelHash`; reverts with {ModelNotRegistered} when it has none.
    function _requireRegistered(bytes32 modelHash) private view returns (address owner) {
        owner = _ownerOf(uint256(modelHash));
        if (owner == address(0)) revert ModelNotRegistered(modelHash);
    }

    /// @dev Reverts unless `modelHash` is registered and owned by the caller.
    function _checkModelOwner(bytes32 modelHash) private view {
        address owner = _requireRegistered(modelHash);
        if (owner != msg.sender) revert NotModelOwner(modelHash, msg.sender, owner);
    }

    /// @dev Reverts with {RoyaltyTooHigh} above {MAX_ROYALTY_BPS}.
    function _checkRoyalty(uint16 royaltyBps) private pure {
        if (royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(royaltyBps, MAX_ROYALTY_BPS);
    }

    /// @dev Returns the record of `node`; reverts unless it is registered and operated by the caller.
    function _checkNodeOperator(address node) private view returns (Node storage record) {
        record = _nodes[node];
        address operator = record.operator;
        if (operator == address(0)) revert NodeNotRegistered(node);
        if (operator != msg.sender) revert NotNodeOperator(node, msg.sender, operator);
    }
}
