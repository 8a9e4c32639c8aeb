// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

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
 * A model may be registered as a derivative of a registered parent model (a fine-tuned or personalised
 * version of it). Parents are fixed at registration, so a lineage (a model, its parent, the parent's parent,
 * up to the root) never changes and never loops; it holds at most {MAX_LINEAGE_LENGTH} models. Every
 * settlement of a channel for a model pays a royalty to each model of its lineage, as {royaltyLineage}
 * describes.
 *
 * A node is the signing address of an inference node. The account that registers it becomes its operator,
 * and only the operator can change the set of models the node serves, its advertised endpoint, or
 * deregister it. Deregistering clears the node completely: its served models and its endpoint are forgotten
 * (through a per-node generation counter, so that clearing costs O(1) whatever the number of models).
 *
 * The contract owner has no power over models or nodes; ownership is kept for administration of the
 * deployment (and is what off-chain tooling treats as the deployment's administrator).
 */
contract ModelRegistry is ERC721, Ownable {
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

    /// @dev Storage record of a node: its operator and the generation its served-model flags belong to.
    struct Node {
        address operator;
        uint96 generation;
    }

    /// @notice Upper bound of `royaltyBps` (100 %).
    uint16 public constant MAX_ROYALTY_BPS = 10_000;

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

    /// @notice Emitted when `modelHash` is registered by `owner`.
    event ModelRegistered(
        bytes32 indexed modelHash, address indexed owner, string metadataURI, uint128 pricePerGeneration, uint16 royaltyBps
    );
    /// @notice Emitted, right after its {ModelRegistered}, when `modelHash` is registered as a derivative of
    /// `parentHash`.
    event ModelDerived(bytes32 indexed modelHash, bytes32 indexed parentHash);
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
    constructor() ERC721("MobileAIGC Model", "AIGCM") Ownable(msg.sender) {}

    // ------------------------------------------------------------------------------------------------
    // Models
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Registers the model `modelHash` and mints its token to the caller.
     * @dev The token id is `uint256(modelHash)`. The token is minted with `_mint` (not `_safeMint`), so a
     * contract caller need not implement {IERC721Receiver}. A new model is active and has no parent: it is the
     * root of its own lineage. Same as {registerDerivedModel} with a zero `parentHash`.
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
     * @param royaltyBps Share of every channel payment for the model, or for any of its derivatives, credited to
     * the model owner, in basis points.
     * @return tokenId The id of the minted token, `uint256(modelHash)`.
     */
    function registerModel(
        bytes32 modelHash,
        string calldata metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps
    ) external returns (uint256 tokenId) {
        return _registerModel(modelHash, bytes32(0), metadataURI, pricePerGeneration, royaltyBps);
    }

    /**
     * @notice Registers the model `modelHash`, derived from `parentHash` (fine-tuned, personalised...), and
     * mints its token to the caller.
     * @dev The parent is fixed for ever. Every later settlement of a channel for `modelHash` pays each model of
     * its lineage its own royalty, root first, before the new model's (see {royaltyLineage}): the new model's
     * owner cannot reduce what the ancestors' terms grant them. The parent's owner need not agree: naming a
     * parent only ever pays that parent. The parent's `active` flag does not matter (it only gates channels).
     *
     * Requirements:
     *
     * - `modelHash` is not zero and not registered yet.
     * - `parentHash` is zero (a root model, as {registerModel}) or a registered model
     *   ({ParentModelNotRegistered}).
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
     * @return tokenId The id of the minted token, `uint256(modelHash)`.
     */
    function registerDerivedModel(
        bytes32 modelHash,
        bytes32 parentHash,
        string calldata metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps
    ) external returns (uint256 tokenId) {
        return _registerModel(modelHash, parentHash, metadataURI, pricePerGeneration, royaltyBps);
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
     * the rest. While the rates of a lineage add up to at most 100 %, every model gets exactly its rate.
     * Above that, the models nearest the root are paid in full first, so a derivative's own rate can never
     * reduce an ancestor's share.
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
     * @notice Returns the public endpoint URL advertised for `node`.
     * @param node The node.
     * @return The endpoint, or an empty string when none is advertised or `node` is not registered.
     */
    function nodeEndpoint(address node) external view returns (string memory) {
        return _endpoints[node][_nodes[node].generation];
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
