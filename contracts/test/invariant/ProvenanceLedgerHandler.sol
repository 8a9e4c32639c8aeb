// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ModelRegistry} from "../../src/ModelRegistry.sol";
import {ProvenanceLedger} from "../../src/ProvenanceLedger.sol";
import {ProvenanceRecord} from "../../src/ProvenanceTypes.sol";
import {RegistrySteps} from "../utils/RegistrySteps.sol";
import {TestBase} from "../utils/TestBase.sol";

/// @notice Drives {ProvenanceLedger} and the node side of {ModelRegistry} for the invariant fuzzer, recording
/// every anchored batch and every attestation attempt as ghosts.
contract ProvenanceLedgerHandler is TestBase {
    uint256 internal constant NODES = 4;

    /// @dev What the handler saw when an attestation succeeded.
    struct Attestation {
        bool succeeded;
        bool nodeWasAuthorized;
        bool signedByNode;
        uint64 blockNumber;
    }

    ModelRegistry public immutable registry;
    ProvenanceLedger public immutable ledger;

    address public immutable anchorer;
    /// @dev A second anchorer the owner allowed too: its batches must never move {anchorer}'s sequence.
    address public immutable otherAnchorer;
    address public immutable operator;
    address[] internal _nodes;
    uint256[] internal _nodeKeys;
    bytes32[] internal _models;

    ProvenanceLedger.AnchoredBatch[] internal _ghostBatches;
    uint64 public ghostNextSequence;
    uint64 public ghostOtherNextSequence;
    mapping(address anchorer => uint32 count) public ghostBatchCountOf;
    bytes32[] internal _attemptedDigests;
    mapping(bytes32 recordDigest => Attestation seen) internal _attestations;
    mapping(string action => uint256 count) public calls;

    constructor() {
        registry = new ModelRegistry();
        ledger = new ProvenanceLedger(registry, address(this));
        anchorer = makeAddr("inv-anchorer");
        operator = makeAddr("inv-operator");
        ledger.setAnchorer(anchorer, true);
        otherAnchorer = makeAddr("inv-other-anchorer");
        ledger.setAnchorer(otherAnchorer, true);

        _models.push(keccak256("inv-model0"));
        _models.push(keccak256("inv-model1"));
        RegistrySteps.registerModel(registry, address(this), _models[0], bytes32(0), "ipfs://0", 1, 100);
        RegistrySteps.registerModel(registry, address(this), _models[1], bytes32(0), "ipfs://1", 1, 100);
        // Open to any node: serving, which the actions toggle, is what decides authorisation here.
        registry.setModelOpen(_models[0], true);
        registry.setModelOpen(_models[1], true);

        for (uint256 i = 0; i < NODES; ++i) {
            (address node, uint256 key) = makeAddrAndKey(string(abi.encodePacked("inv-node", vm.toString(i))));
            _nodes.push(node);
            _nodeKeys.push(key);
        }
        // Nodes 0 and 1 serve model 0, node 2 serves model 1, node 3 starts unregistered.
        bytes32[] memory models = new bytes32[](1);
        models[0] = _models[0];
        RegistrySteps.registerNode(registry, operator, _nodeKeys[0], models);
        RegistrySteps.registerNode(registry, operator, _nodeKeys[1], models);
        models[0] = _models[1];
        RegistrySteps.registerNode(registry, operator, _nodeKeys[2], models);
    }

    // ------------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------------

    /// @dev Anchors a batch; one time in eight from a stranger or at a wrong sequence, which must fail;
    /// two times in eight from the other anchorer, in its own sequence space.
    function anchorBatch(uint256 rootSeed, uint256 count, uint256 mode) external {
        bytes32 root = keccak256(abi.encode("root", rootSeed % 512)); // collisions exercise RootAlreadyAnchored
        uint32 recordCount = uint32(bound(count, 1, ledger.MAX_BATCH_SIZE()));
        bool other = mode % 8 >= 6;
        uint64 first = other ? ghostOtherNextSequence : ghostNextSequence;
        address caller = other ? otherAnchorer : anchorer;
        if (mode % 8 == 0) caller = operator;
        else if (mode % 8 == 1) first += 1;

        vm.prank(caller);
        try ledger.anchorBatch(root, first, recordCount) returns (uint256 batchId) {
            uint32 number = ++ghostBatchCountOf[caller];
            require(batchId == number, "unexpected batch number");
            require(
                (caller == anchorer && first == ghostNextSequence) || (caller == otherAnchorer && first == ghostOtherNextSequence),
                "bad batch accepted"
            );
            _ghostBatches.push(
                ProvenanceLedger.AnchoredBatch({
                    root: root,
                    batchId: number,
                    firstSequence: first,
                    recordCount: recordCount,
                    anchoredAt: uint64(block.timestamp),
                    blockNumber: uint64(block.number),
                    anchorer: caller
                })
            );
            if (other) ghostOtherNextSequence = first + recordCount;
            else ghostNextSequence = first + recordCount;
            ++calls["anchorBatch"];
        } catch {
            ++calls["anchorBatchRejected"];
        }
    }

    /// @dev Attests a record of any node for any model; one time in four signed by the wrong key.
    function attest(uint256 nodeSeed, uint256 modelSeed, uint256 contentSeed, uint256 signerSeed) external {
        uint256 nodeIndex = nodeSeed % NODES;
        address node = _nodes[nodeIndex];
        bytes32 model = _models[modelSeed % 2];
        ProvenanceRecord memory record = ProvenanceRecord({
            version: 1,
            contentHash: keccak256(abi.encode("content", contentSeed % 64)),
            perceptualHash: bytes32(contentSeed),
            modelHash: model,
            node: node,
            creator: address(0),
            creatorCommitment: keccak256(abi.encode(contentSeed)),
            promptCommitment: bytes32(0),
            parametersHash: bytes32(0),
            timestamp: uint64(block.timestamp),
            watermarkId: bytes32(contentSeed % 64),
            sequence: uint64(contentSeed % 64),
            extensions: bytes32(0)
        });
        bytes32 digest = ledger.hashRecord(record);
        uint256 signerIndex = signerSeed % 4 == 0 ? (nodeIndex + 1) % NODES : nodeIndex;
        bytes memory signature = signDigest(_nodeKeys[signerIndex], digest);
        bool authorized = registry.isNodeAuthorized(node, model);

        _attemptedDigests.push(digest);
        try ledger.attest(record, signature) returns (bytes32 returned) {
            require(returned == digest, "digest mismatch");
            _attestations[digest] = Attestation({
                succeeded: true,
                nodeWasAuthorized: authorized,
                signedByNode: signerIndex == nodeIndex,
                blockNumber: uint64(block.number)
            });
            ++calls["attest"];
        } catch {
            ++calls["attestRejected"];
        }
    }

    function setNodeModel(uint256 nodeSeed, uint256 modelSeed, bool serves) external {
        address node = _nodes[nodeSeed % NODES];
        if (registry.nodeOperator(node) == address(0)) return;
        vm.prank(operator);
        registry.setNodeModel(node, _models[modelSeed % 2], serves);
        ++calls["setNodeModel"];
    }

    function toggleNodeRegistration(uint256 nodeSeed, uint256 modelSeed) external {
        uint256 index = nodeSeed % NODES;
        address node = _nodes[index];
        if (registry.nodeOperator(node) != address(0)) {
            vm.prank(operator);
            registry.deregisterNode(node);
        } else {
            bytes32[] memory models = new bytes32[](1);
            models[0] = _models[modelSeed % 2];
            RegistrySteps.registerNode(registry, operator, _nodeKeys[index], models);
        }
        ++calls["toggleNodeRegistration"];
    }

    function setAnchorer(bool allowed) external {
        // Mostly allowed, so that batches keep flowing.
        ledger.setAnchorer(anchorer, allowed || block.number % 2 == 0);
        ++calls["setAnchorer"];
    }

    function advance(uint256 blocks) external {
        blocks = bound(blocks, 1, 1_000);
        vm.roll(block.number + blocks);
        vm.warp(block.timestamp + blocks * 12);
    }

    // ------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------

    function ghostBatchCount() external view returns (uint256) {
        return _ghostBatches.length;
    }

    function ghostBatch(uint256 index) external view returns (ProvenanceLedger.AnchoredBatch memory) {
        return _ghostBatches[index];
    }

    function attemptedDigests() external view returns (bytes32[] memory) {
        return _attemptedDigests;
    }

    function attestation(bytes32 digest) external view returns (Attestation memory) {
        return _attestations[digest];
    }

    function selectors() external pure returns (bytes4[] memory s) {
        s = new bytes4[](6);
        s[0] = this.anchorBatch.selector;
        s[1] = this.attest.selector;
        s[2] = this.setNodeModel.selector;
        s[3] = this.toggleNodeRegistration.selector;
        s[4] = this.setAnchorer.selector;
        s[5] = this.advance.selector;
    }
}
