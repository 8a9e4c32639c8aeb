// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title ModelRegistry
 * @notice Registry of generative models and of the edge nodes that serve them.
 * @dev A model is an ERC-721 token whose id is `uint256(modelHash)`, `modelHash` being the SHA-256 of the
 * model's ONNX file. Whoever owns the token owns the model: transferring the token moves the royalties of
 * every later settlement in {PaymentChannels}.
 *
 * A node is the signing address of an inference node. The account that registers it becomes its operator,
 * and only the operator can change the set of models the node serves or deregister it. Deregistering
 * clears the node completely: its served models are forgotten (through a per-node generation counter, so
 * that clearing costs O(1) whatever the number of models).
 *
 * The contract owner has no power over models or nodes; ownership is kept for administration of the
 * deployment (and is what off-chain tooling treats as the deployment's administrator).
 */
contract ModelRegistry is ERC721, Ownable {
    /// @notice Terms under which a model is offered.
    /// @param pricePerGeneration Suggested price of one generation, in the smallest unit of the channel token.
    /// @param royaltyBps Share of every channel payment credited to the model owner, in basis points.
    /// @param active Whether new payment channels may be opened for the model.
    struct ModelTerms {
        uint128 pricePerGeneration;
        uint16 royaltyBps;
        bool active;
    }

    /// @dev Storage record of a node: its operator and the generation its served-model flags belong to.
    struct Node {
        address operator;
        uint96 generation;
    }

    /// @notice Upper bound of `royaltyBps` (100 %).
    uint16 public constant MAX_ROYALTY_BPS = 10_000;

    mapping(bytes32 modelHash => ModelTerms terms) private _terms;
    mapping(bytes32 modelHash => string metadataURI) private _metadataURIs;
    mapping(address node => Node record) private _nodes;
    mapping(address node => mapping(uint96 generation => mapping(bytes32 modelHash => bool serves))) private _serves;

    /// @notice Emitted when `modelHash` is registered by `owner`.
    event ModelRegistered(
        bytes32 indexed modelHash, address indexed owner, string metadataURI, uint128 pricePerGeneration, uint16 royaltyBps
    );
    /// @notice Emitted when the terms of `modelHash` change.
    event ModelTermsUpdated(bytes32 indexed modelHash, uint128 pricePerGeneration, uint16 royaltyBps, bool active);
    /// @notice Emitted when the metadata URI of `modelHash` changes.
    event ModelMetadataUpdated(bytes32 indexed modelHash, string metadataURI);
    /// @notice Emitted when `node` is registered with `operator` as its operator.
    event NodeRegistered(address indexed node, address indexed operator);
    /// @notice Emitted when `node` starts (`serves == true`) or stops serving `modelHash`.
    event NodeModelSet(address indexed node, bytes32 indexed modelHash, bool serves);
    /// @notice Emitted when `node` is deregistered by its `operator`.
    event NodeDeregistered(address indexed node, address indexed operator);

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
    /// @notice `caller` is not `operator`, the operator of `node`.
    error NotNodeOperator(address node, address caller, address operator);

    /**
     * @notice Deploys the registry; the deployer becomes the contract owner.
     */
    constructor() ERC721("MobileAIGC Model", "AIGCM") Ownable(msg.sender) {}

    // ------------------------------------------------------------------------------------------------
    // Models
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Registers the model `modelHash` and mints its token to the caller.
     * @dev The token id is `uint256(modelHash)`. The token is minted with `_mint` (not `_safeMint`), so a
     * contract caller need not implement {IERC721Receiver}. A new model is active.
     *
     * Requirements:
     *
     * - `modelHash` is not zero.
     * - `modelHash` is not registered yet.
     * - `royaltyBps` is at most {MAX_ROYALTY_BPS}.
     *
     * Emits a {Transfer} event and a {ModelRegistered} event.
     *
     * @param modelHash SHA-256 of the model's ONNX file.
     * @param metadataURI URI of the model's metadata, returned by {tokenURI}.
     * @param pricePerGeneration Suggested price of one generation.
     * @param royaltyBps Share of every channel payment credited to the model owner, in basis points.
     * @return tokenId The id of the minted token, `uint256(modelHash)`.
     */
    function registerModel(
        bytes32 modelHash,
        string calldata metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps
    ) external returns (uint256 tokenId) {
        if (modelHash == bytes32(0)) revert ZeroModelHash();
        tokenId = uint256(modelHash);
        address existing = _ownerOf(tokenId);
        if (existing != address(0)) revert ModelAlreadyRegistered(modelHash, existing);
        _checkRoyalty(royaltyBps);

        _terms[modelHash] = ModelTerms({pricePerGeneration: pricePerGeneration, royaltyBps: royaltyBps, active: true});
        _metadataURIs[modelHash] = metadataURI;
        _mint(msg.sender, tokenId);

        emit ModelRegistered(modelHash, msg.sender, metadataURI, pricePerGeneration, royaltyBps);
    }

    /**
     * @notice Replaces the terms of `modelHash`.
     * @dev Deactivating a model only blocks new payment channels: channels already open keep settling, with
     * the royalty read at settlement time.
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
     * @notice Registers `node` with the caller as its operator, serving `modelHashes`.
     * @dev Anyone may register any address that is not registered yet; the node's records are only
     * accepted when signed by the node's key, so registering a key one does not hold gains nothing but
     * blocks that address until deregistered by the same operator.
     *
     * Requirements:
     *
     * - `node` is not the zero address.
     * - `node` is not registered.
     * - Every model of `modelHashes` is registered.
     *
     * Emits a {NodeRegistered} event, then a {NodeModelSet} event per model of `modelHashes`.
     *
     * @param node The node's signing address.
     * @param modelHashes The models the node serves.
     */
    function registerNode(address node, bytes32[] calldata modelHashes) external {
        if (node == address(0)) revert ZeroAddress();
        Node storage record = _nodes[node];
        address operator = record.operator;
        if (operator != address(0)) revert NodeAlreadyRegistered(node, operator);
        record.operator = msg.sender;
        emit NodeRegistered(node, msg.sender);

        uint96 generation = record.generation;
        mapping(bytes32 modelHash => bool serves) storage served = _serves[node][generation];
        for (uint256 i = 0; i < modelHashes.length; ++i) {
            bytes32 modelHash = modelHashes[i];
            _requireRegistered(modelHash);
            served[modelHash] = true;
            emit NodeModelSet(node, modelHash, true);
        }
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
     * @notice Deregisters `node` and forgets the models it served.
     * @dev Records the node attested before stay attested in {ProvenanceLedger}; the node can be registered
     * again, by any operator, with an empty model set.
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
     * @notice Tells whether `node` is registered and serves `modelHash`.
     * @dev Does not look at the model's `active` flag: deactivation only blocks new payment channels.
     * @param node The node.
     * @param modelHash The model.
     * @return True when the node is registered and serves the model.
     */
    function isNodeAuthorized(address node, bytes32 modelHash) external view returns (bool) {
        Node storage record = _nodes[node];
        return record.operator != address(0) && _serves[node][record.generation][modelHash];
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    function _requireRegistered(bytes32 modelHash) private view returns (address owner) {
        owner = _ownerOf(uint256(modelHash));
        if (owner == address(0)) revert ModelNotRegistered(modelHash);
    }

    function _checkModelOwner(bytes32 modelHash) private view {
        address owner = _requireRegistered(modelHash);
        if (owner != msg.sender) revert NotModelOwner(modelHash, msg.sender, owner);
    }

    function _checkRoyalty(uint16 royaltyBps) private pure {
        if (royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(royaltyBps, MAX_ROYALTY_BPS);
    }

    function _checkNodeOperator(address node) private view returns (Node storage record) {
        record = _nodes[node];
        address operator = record.operator;
        if (operator == address(0)) revert NodeNotRegistered(node);
        if (operator != msg.sender) revert NotNodeOperator(node, msg.sender, operator);
    }
}
