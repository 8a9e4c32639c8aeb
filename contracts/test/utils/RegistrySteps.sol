// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ModelRegistry} from "../../src/ModelRegistry.sol";
import {Vm} from "./Vm.sol";

/// @notice The registry's multi-step flows as the tests need them: a model's commit-reveal, a node's signed consent
/// and the owner's approval, each done by the account a user would send it from.
library RegistrySteps {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev The salt every test registration commits with (the tests need no secrecy).
    bytes32 internal constant SALT = keccak256("test salt");

    /// @dev Commits and, {ModelRegistry-MIN_COMMITMENT_AGE} blocks later, reveals a model registration from `owner`.
    function registerModel(
        ModelRegistry registry,
        address owner,
        bytes32 modelHash,
        bytes32 parentHash,
        string memory metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps
    ) internal returns (uint256 tokenId) {
        commit(registry, owner, modelHash, parentHash, metadataURI, pricePerGeneration, royaltyBps);
        VM.roll(block.number + registry.MIN_COMMITMENT_AGE());
        VM.prank(owner);
        return registry.registerModel(modelHash, parentHash, metadataURI, pricePerGeneration, royaltyBps, SALT);
    }

    /// @dev The commitment step of {registerModel} alone, sent by `owner`.
    function commit(
        ModelRegistry registry,
        address owner,
        bytes32 modelHash,
        bytes32 parentHash,
        string memory metadataURI,
        uint128 pricePerGeneration,
        uint16 royaltyBps
    ) internal returns (bytes32 commitment) {
        commitment =
            registry.modelCommitment(modelHash, parentHash, metadataURI, pricePerGeneration, royaltyBps, owner, SALT);
        VM.prank(owner);
        registry.commitModel(commitment);
    }

    /// @dev The node key's consent signature for `operator`, with the key's current nonce.
    function consent(ModelRegistry registry, uint256 nodeKey, address operator, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        address node = VM.addr(nodeKey);
        bytes32 digest = registry.hashNodeConsent(node, operator, registry.nodeConsentNonce(node), deadline);
        (uint8 v, bytes32 r, bytes32 s) = VM.sign(nodeKey, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Registers the node of `nodeKey` from `operator` with a fresh consent, serving `modelHashes`.
    function registerNode(ModelRegistry registry, address operator, uint256 nodeKey, bytes32[] memory modelHashes)
        internal
        returns (address node)
    {
        node = VM.addr(nodeKey);
        bytes memory signature = consent(registry, nodeKey, operator, block.timestamp);
        VM.prank(operator);
        registry.registerNode(node, modelHashes, block.timestamp, signature);
    }

    /// @dev Has the owner of `modelHash` approve `node` to serve it.
    function approve(ModelRegistry registry, bytes32 modelHash, address node) internal {
        VM.prank(registry.modelOwner(modelHash));
        registry.setNodeApproval(modelHash, node, true);
    }
}
