// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ModelRegistry} from "../../src/ModelRegistry.sol";
import {RegistrySteps} from "../utils/RegistrySteps.sol";
import {TestBase} from "../utils/TestBase.sol";

/// @notice Drives {ModelRegistry}'s nodes and approvals with several operators competing for the same keys, some
/// with the key's consent and some without, and records which operator each key was first bound to.
contract ModelRegistryHandler is TestBase {
    uint256 internal constant NODES = 4;
    uint256 internal constant OPERATORS = 3;

    ModelRegistry public immutable registry;
    bytes32 public constant MODEL = keccak256("inv-registry-model");

    address[] internal _nodes;
    uint256[] internal _nodeKeys;
    address[] internal _operators;
    address[] internal _owners;

    mapping(address node => address operator) public ghostFirstOperator;
    mapping(string action => uint256 count) public calls;

    constructor() {
        registry = new ModelRegistry();
        for (uint256 i = 0; i < NODES; ++i) {
            (address node, uint256 key) = makeAddrAndKey(string(abi.encodePacked("inv-reg-node", vm.toString(i))));
            _nodes.push(node);
            _nodeKeys.push(key);
        }
        for (uint256 i = 0; i < OPERATORS; ++i) {
            _operators.push(makeAddr(string(abi.encodePacked("inv-reg-operator", vm.toString(i)))));
            _owners.push(makeAddr(string(abi.encodePacked("inv-reg-owner", vm.toString(i)))));
        }
        RegistrySteps.registerModel(registry, _owners[0], MODEL, bytes32(0), "ipfs://inv", 1, 100);
    }

    function nodes() external view returns (address[] memory) {
        return _nodes;
    }

    /// @dev Registers a key from some operator: with the key's consent for that operator when `consented`, else
    /// with a consent the key gave another operator (a squatter replaying it). Refusals are expected.
    function registerNode(uint256 nodeSeed, uint256 operatorSeed, uint256 consentSeed, bool consented) external {
        uint256 index = nodeSeed % NODES;
        address operator = _operators[operatorSeed % OPERATORS];
        address named = consented ? operator : _operators[consentSeed % OPERATORS];
        bytes memory consent = RegistrySteps.consent(registry, _nodeKeys[index], named, block.timestamp);
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        vm.prank(operator);
        try registry.registerNode(_nodes[index], models, block.timestamp, consent) {
            if (ghostFirstOperator[_nodes[index]] == address(0)) ghostFirstOperator[_nodes[index]] = operator;
            ++calls["registerNode"];
        } catch {
            ++calls["registerNodeRefused"];
        }
    }

    function deregisterNode(uint256 nodeSeed) external {
        address node = _nodes[nodeSeed % NODES];
        address operator = registry.nodeOperator(node);
        if (operator == address(0)) return;
        vm.prank(operator);
        registry.deregisterNode(node);
        ++calls["deregisterNode"];
    }

    function setNodeApproval(uint256 nodeSeed, bool approved) external {
        address owner = registry.modelOwner(MODEL);
        vm.prank(owner);
        registry.setNodeApproval(MODEL, _nodes[nodeSeed % NODES], approved);
        ++calls["setNodeApproval"];
    }

    function setModelOpen(bool open) external {
        address owner = registry.modelOwner(MODEL);
        vm.prank(owner);
        registry.setModelOpen(MODEL, open);
        ++calls["setModelOpen"];
    }

    function transferModel(uint256 ownerSeed) external {
        address owner = registry.modelOwner(MODEL);
        address to = _owners[ownerSeed % OPERATORS];
        if (to == owner) return;
        vm.prank(owner);
        registry.transferFrom(owner, to, uint256(MODEL));
        ++calls["transferModel"];
    }

    function selectors() external pure returns (bytes4[] memory s) {
        s = new bytes4[](5);
        s[0] = this.registerNode.selector;
        s[1] = this.deregisterNode.selector;
        s[2] = this.setNodeApproval.selector;
        s[3] = this.setModelOpen.selector;
        s[4] = this.transferModel.selector;
    }
}
