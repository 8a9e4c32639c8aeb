// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {ModelRegistry} from "../src/ModelRegistry.sol";
import {ProvenanceLedger} from "../src/ProvenanceLedger.sol";
import {ProvenanceRecord} from "../src/ProvenanceTypes.sol";
import {MerkleBuilder} from "./utils/MerkleBuilder.sol";
import {RegistrySteps} from "./utils/RegistrySteps.sol";
import {TestBase} from "./utils/TestBase.sol";

contract ProvenanceLedgerTest is TestBase {
    event RecordAttested(
        bytes32 indexed recordDigest, address indexed node, bytes32 indexed modelHash, bytes32 contentHash, uint64 sequence
    );
    event BatchAnchored(
        uint256 indexed batchId, bytes32 indexed root, uint64 firstSequence, uint32 recordCount, address indexed anchorer
    );
    event RecordRevoked(bytes32 indexed recordDigest, address indexed node, address indexed operator, string reason);
    event AnchorerSet(address indexed anchorer, bool allowed);

    bytes32 internal constant TYPE_STRING_HASH = keccak256(
        "ProvenanceRecord(uint16 version,bytes32 contentHash,bytes32 perceptualHash,bytes32 modelHash,address node,address creator,bytes32 creatorCommitment,bytes32 promptCommitment,bytes32 parametersHash,uint64 timestamp,bytes32 watermarkId,uint64 sequence,bytes32 extensions)"
    );
    bytes32 internal constant MODEL = keccak256("model.onnx");
    /// @dev Secp256k1 group order minus 1 over 2: signatures with a larger `s` are malleable.
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    ModelRegistry internal registry;
    ProvenanceLedger internal ledger;

    address internal admin = makeAddr("admin");
    address internal operator = makeAddr("operator");
    address internal anchorer = makeAddr("anchorer");
    address internal stranger = makeAddr("stranger");
    address internal node;
    uint256 internal nodeKey;

    function setUp() public {
        (node, nodeKey) = makeAddrAndKey("node");
        registry = new ModelRegistry();
        ledger = new ProvenanceLedger(registry, admin);
        RegistrySteps.registerModel(registry, address(this), MODEL, bytes32(0), "ipfs://model", 1, 100);
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        RegistrySteps.registerNode(registry, operator, nodeKey, models);
        RegistrySteps.approve(registry, MODEL, node);
        vm.prank(admin);
        ledger.setAnchorer(anchorer, true);
    }

    function _record(uint64 sequence) internal view returns (ProvenanceRecord memory) {
        return ProvenanceRecord({
            version: 1,
            contentHash: keccak256(abi.encode("content", sequence)),
            perceptualHash: bytes32(uint256(0xabcdef)),
            modelHash: MODEL,
            node: node,
            creator: address(0),
            creatorCommitment: keccak256(abi.encode(stranger, bytes32("salt"))),
            promptCommitment: keccak256("prompt"),
            parametersHash: keccak256("params"),
            timestamp: 1_700_000_000,
            watermarkId: bytes32(uint256(sequence) + 1),
            sequence: sequence,
            extensions: bytes32(0)
        });
    }

    function _sign(uint256 key, ProvenanceRecord memory record) internal view returns (bytes memory) {
        return signDigest(key, ledger.hashRecord(record));
    }

    // ------------------------------------------------------------------------------------------------
    // Deployment and hashing
    // ------------------------------------------------------------------------------------------------

    function test_constructor_setsOwnerAndDomain() public view {
        vm.assertEq(ledger.owner(), admin);
        vm.assertEq(ledger.PROVENANCE_RECORD_TYPEHASH(), TYPE_STRING_HASH);
        vm.assertEq(uint256(ledger.MAX_BATCH_SIZE()), 65_536);
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("MobileAigcProvenanceLedger"),
                keccak256("1"),
                block.chainid,
                address(ledger)
            )
        );
        vm.assertEq(ledger.domainSeparator(), expected);
    }

    function test_constructor_revertsOnZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new ProvenanceLedger(registry, address(0));
    }

    function test_hashRecord_matchesEip712() public view {
        ProvenanceRecord memory r = _record(7);
        bytes32 structHash = keccak256(
            abi.encode(
                TYPE_STRING_HASH,
                r.version,
                r.contentHash,
                r.perceptualHash,
                r.modelHash,
                r.node,
                r.creator,
                r.creatorCommitment,
                r.promptCommitment,
                r.parametersHash,
                r.timestamp,
                r.watermarkId,
                r.sequence,
                r.extensions
            )
        );
        bytes32 expected = keccak256(abi.encodePacked(hex"1901", ledger.domainSeparator(), structHash));
        vm.assertEq(ledger.hashRecord(r), expected);
    }

    /// @dev A later version changes only the version and the extensions commitment, never the type: both are signed.
    function testFuzz_hashRecord_bindsVersionAndExtensions(uint16 version, bytes32 extensions) public view {
        ProvenanceRecord memory r = _record(1);
        bytes32 base = ledger.hashRecord(r);
        r.version = version;
        r.extensions = extensions;
        if (version == 1 && extensions == bytes32(0)) {
            vm.assertEq(ledger.hashRecord(r), base);
        } else {
            vm.assertNotEq(ledger.hashRecord(r), base);
        }
    }

    function test_hashRecord_dependsOnEveryField() public view {
        ProvenanceRecord memory r = _record(1);
        bytes32 base = ledger.hashRecord(r);
        r.creator = stranger;
        vm.assertNotEq(ledger.hashRecord(r), base);
        r = _record(1);
        r.timestamp += 1;
        vm.assertNotEq(ledger.hashRecord(r), base);
        r = _record(1);
        r.sequence += 1;
        vm.assertNotEq(ledger.hashRecord(r), base);
    }

    function test_recordLeaf_isStandardMerkleTreeLeaf() public view {
        bytes32 digest = keccak256("digest");
        vm.assertEq(ledger.recordLeaf(digest), keccak256(bytes.concat(keccak256(abi.encode(digest)))));
        vm.assertEq(ledger.recordLeaf(digest), MerkleBuilder.leaf(digest));
    }

    // ------------------------------------------------------------------------------------------------
    // attest
    // ------------------------------------------------------------------------------------------------

    function test_attest_storesBlockAndEmits() public {
        ProvenanceRecord memory r = _record(3);
        bytes32 digest = ledger.hashRecord(r);
        bytes memory signature = _sign(nodeKey, r);
        vm.roll(1234);

        vm.expectEmit(true, true, true, true, address(ledger));
        emit RecordAttested(digest, node, MODEL, r.contentHash, 3);
        vm.prank(stranger); // anyone may relay
        bytes32 returned = ledger.attest(r, signature);

        vm.assertEq(returned, digest);
        vm.assertEq(uint256(ledger.attestedAt(digest)), 1234);
        vm.assertFalse(ledger.isRevoked(digest));
    }

    function test_attest_revertsOnWrongSigner() public {
        ProvenanceRecord memory r = _record(3);
        (address impostor, uint256 impostorKey) = makeAddrAndKey("impostor");
        bytes32 digest = ledger.hashRecord(r);
        bytes memory signature = _sign(impostorKey, r);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.InvalidRecordSigner.selector, digest, impostor, node));
        ledger.attest(r, signature);
    }

    function test_attest_revertsWhenRecordTampered() public {
        ProvenanceRecord memory r = _record(3);
        bytes memory signature = _sign(nodeKey, r);
        r.contentHash = keccak256("other content");
        bytes32 digest = ledger.hashRecord(r);
        vm.expectRevert(); // recovers some other address
        ledger.attest(r, signature);
        vm.assertEq(uint256(ledger.attestedAt(digest)), 0);
    }

    function test_attest_revertsOnUnregisteredNode() public {
        (address rogue, uint256 rogueKey) = makeAddrAndKey("rogue");
        ProvenanceRecord memory r = _record(3);
        r.node = rogue;
        bytes memory signature = _sign(rogueKey, r);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NodeNotAuthorized.selector, rogue, MODEL));
        ledger.attest(r, signature);
    }

    function test_attest_revertsWhenNodeDoesNotServeModel() public {
        vm.prank(operator);
        registry.setNodeModel(node, MODEL, false);
        ProvenanceRecord memory r = _record(3);
        bytes memory signature = _sign(nodeKey, r);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NodeNotAuthorized.selector, node, MODEL));
        ledger.attest(r, signature);
    }

    function test_attest_revertsWhenModelOwnerWithdrawsApproval() public {
        vm.prank(address(this));
        registry.setNodeApproval(MODEL, node, false);
        ProvenanceRecord memory r = _record(3);
        bytes memory signature = _sign(nodeKey, r);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NodeNotAuthorized.selector, node, MODEL));
        ledger.attest(r, signature);
    }

    function test_attest_revertsAfterNodeDeregistered() public {
        vm.prank(operator);
        registry.deregisterNode(node);
        ProvenanceRecord memory r = _record(3);
        bytes memory signature = _sign(nodeKey, r);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NodeNotAuthorized.selector, node, MODEL));
        ledger.attest(r, signature);
    }

    function test_attest_revertsOnReplay() public {
        ProvenanceRecord memory r = _record(3);
        bytes memory signature = _sign(nodeKey, r);
        vm.roll(50);
        bytes32 digest = ledger.attest(r, signature);
        vm.roll(51);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.RecordAlreadyAttested.selector, digest, uint64(50)));
        ledger.attest(r, signature);
    }

    function test_attest_revertsOnMalformedSignatureLength() public {
        ProvenanceRecord memory r = _record(3);
        bytes memory signature = _sign(nodeKey, r);
        bytes memory shortSignature = new bytes(64);
        for (uint256 i = 0; i < 64; ++i) {
            shortSignature[i] = signature[i];
        }
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureLength.selector, uint256(64)));
        ledger.attest(r, shortSignature);
    }

    function test_attest_revertsOnMalleableSignature() public {
        ProvenanceRecord memory r = _record(3);
        (uint8 v, bytes32 rr, bytes32 s) = vm.sign(nodeKey, ledger.hashRecord(r));
        // The mirror signature (n - s, flipped v) recovers the same key but is rejected by OpenZeppelin.
        bytes32 highS = bytes32(SECP256K1_ORDER - uint256(s));
        uint8 flippedV = v == 27 ? 28 : 27;
        vm.assertGt(uint256(highS), HALF_ORDER);
        vm.expectRevert(abi.encodeWithSelector(ECDSA.ECDSAInvalidSignatureS.selector, highS));
        ledger.attest(r, abi.encodePacked(rr, highS, flippedV));
    }

    function test_attest_revertsOnInvalidSignature() public {
        ProvenanceRecord memory r = _record(3);
        (, bytes32 rr, bytes32 s) = vm.sign(nodeKey, ledger.hashRecord(r));
        vm.expectRevert(ECDSA.ECDSAInvalidSignature.selector);
        ledger.attest(r, abi.encodePacked(rr, s, uint8(29)));
    }

    // ------------------------------------------------------------------------------------------------
    // revoke
    // ------------------------------------------------------------------------------------------------

    function test_revoke_flagsRecord() public {
        ProvenanceRecord memory r = _record(3);
        bytes32 digest = ledger.attest(r, _sign(nodeKey, r));
        vm.expectEmit(true, true, true, true, address(ledger));
        emit RecordRevoked(digest, node, operator, "key leaked");
        vm.prank(operator);
        ledger.revoke(r, "key leaked");
        vm.assertTrue(ledger.isRevoked(digest));
        vm.assertGt(uint256(ledger.attestedAt(digest)), 0);
    }

    function test_revoke_worksForAnchoredOnlyRecord() public {
        ProvenanceRecord memory r = _record(9);
        vm.prank(operator);
        ledger.revoke(r, "withdrawn");
        vm.assertTrue(ledger.isRevoked(ledger.hashRecord(r)));
    }

    function test_revoke_revertsForNonOperator() public {
        ProvenanceRecord memory r = _record(3);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NotNodeOperator.selector, node, stranger, operator));
        vm.prank(stranger);
        ledger.revoke(r, "nope");
    }

    function test_revoke_byBoundOperatorAfterDeregistration() public {
        ProvenanceRecord memory r = _record(3);
        bytes32 digest = ledger.attest(r, _sign(nodeKey, r));
        vm.prank(operator);
        registry.deregisterNode(node);
        vm.prank(operator);
        ledger.revoke(r, "key leaked after retirement");
        vm.assertTrue(ledger.isRevoked(digest));
    }

    /// @dev The attack of issue 12: once the genuine operator deregistered the key, another account cannot take
    /// it over (the key is bound) and so cannot revoke the genuine records either.
    function test_revoke_revertsForOtherOperatorAfterDeregistration() public {
        ProvenanceRecord memory r = _record(3);
        ledger.attest(r, _sign(nodeKey, r));
        vm.prank(operator);
        registry.deregisterNode(node);
        bytes32[] memory none = new bytes32[](0);
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, stranger, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeKeyBoundToOtherOperator.selector, node, operator));
        vm.prank(stranger);
        registry.registerNode(node, none, block.timestamp, consent);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NotNodeOperator.selector, node, stranger, operator));
        vm.prank(stranger);
        ledger.revoke(r, "hostile");
    }

    function test_revoke_revertsForNeverRegisteredNode() public {
        (address rogue,) = makeAddrAndKey("rogue");
        ProvenanceRecord memory r = _record(3);
        r.node = rogue;
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NotNodeOperator.selector, rogue, operator, address(0)));
        vm.prank(operator);
        ledger.revoke(r, "not mine");
    }

    function testFuzz_revoke_onlyByBoundOperator(address caller) public {
        vm.assume(caller != operator);
        ProvenanceRecord memory r = _record(3);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NotNodeOperator.selector, node, caller, operator));
        vm.prank(caller);
        ledger.revoke(r, "nope");
    }

    function test_revoke_revertsWhenAlreadyRevoked() public {
        ProvenanceRecord memory r = _record(3);
        vm.startPrank(operator);
        ledger.revoke(r, "once");
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.RecordAlreadyRevoked.selector, ledger.hashRecord(r)));
        ledger.revoke(r, "twice");
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------------
    // setAnchorer
    // ------------------------------------------------------------------------------------------------

    function test_setAnchorer_togglesAndEmits() public {
        vm.expectEmit(true, true, true, true, address(ledger));
        emit AnchorerSet(stranger, true);
        vm.prank(admin);
        ledger.setAnchorer(stranger, true);
        vm.assertTrue(ledger.isAnchorer(stranger));

        vm.prank(admin);
        ledger.setAnchorer(stranger, false);
        vm.assertFalse(ledger.isAnchorer(stranger));
    }

    function test_setAnchorer_revertsForNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        vm.prank(stranger);
        ledger.setAnchorer(stranger, true);
    }

    // ------------------------------------------------------------------------------------------------
    // anchorBatch
    // ------------------------------------------------------------------------------------------------

    function test_anchorBatch_storesBatch() public {
        bytes32 root = keccak256("root1");
        vm.warp(1_800_000_000);
        vm.roll(777);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit BatchAnchored(1, root, 0, 1024, anchorer);
        vm.prank(anchorer);
        uint256 batchId = ledger.anchorBatch(root, 0, 1024);

        vm.assertEq(batchId, 1);
        vm.assertEq(ledger.batchCount(anchorer), 1);
        vm.assertEq(ledger.batchIdOfRoot(root), 1);
        vm.assertEq(uint256(ledger.nextSequence(anchorer)), 1024);
        ProvenanceLedger.AnchoredBatch memory b = ledger.batchOfRoot(root);
        vm.assertEq(b.root, root);
        vm.assertEq(uint256(b.batchId), 1);
        vm.assertEq(uint256(b.firstSequence), 0);
        vm.assertEq(uint256(b.recordCount), 1024);
        vm.assertEq(uint256(b.anchoredAt), 1_800_000_000);
        vm.assertEq(uint256(b.blockNumber), 777);
        vm.assertEq(b.anchorer, anchorer);
        vm.assertEq(ledger.anchorerOfRoot(root), anchorer);

        vm.prank(anchorer);
        vm.assertEq(ledger.anchorBatch(keccak256("root2"), 1024, 65_536), 2);
        vm.assertEq(uint256(ledger.nextSequence(anchorer)), 1024 + 65_536);
        vm.assertEq(ledger.batchOfRoot(keccak256("root2")).root, keccak256("root2"));
        vm.assertEq(uint256(ledger.batchOfRoot(keccak256("root2")).batchId), 2);
        vm.assertEq(ledger.batchCount(anchorer), 2);
    }

    function test_anchorBatch_secondAnchorer_neitherMovesTheOthersSequence() public {
        address second = makeAddr("second anchorer");
        vm.prank(admin);
        ledger.setAnchorer(second, true);

        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("mine 1"), 0, 10);
        // Before per-anchorer sequences, this batch moved the shared next sequence and halted the first anchorer for good.
        vm.prank(second);
        ledger.anchorBatch(keccak256("theirs 1"), 0, 7);
        vm.prank(anchorer);
        // Batches are numbered per anchorer: the other's batch did not take number 2.
        vm.assertEq(ledger.anchorBatch(keccak256("mine 2"), 10, 5), 2);

        vm.assertEq(uint256(ledger.nextSequence(anchorer)), 15);
        vm.assertEq(uint256(ledger.nextSequence(second)), 7);
        vm.assertEq(ledger.anchorerOfRoot(keccak256("mine 2")), anchorer);
        vm.assertEq(ledger.anchorerOfRoot(keccak256("theirs 1")), second);
        vm.assertEq(ledger.batchOfRoot(keccak256("theirs 1")).anchorer, second);
        vm.assertEq(uint256(ledger.batchOfRoot(keccak256("theirs 1")).batchId), 1);
        vm.assertEq(ledger.batchCount(anchorer), 2);
        vm.assertEq(ledger.batchCount(second), 1);
        vm.assertEq(ledger.anchorerOfRoot(keccak256("never anchored")), address(0));
        // Another anchorer cannot write into this one's sequence space, nor reuse its roots.
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.BatchSequenceMismatch.selector, uint64(15), uint64(7)));
        vm.prank(second);
        ledger.anchorBatch(keccak256("theirs 2"), 15, 1);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.RootAlreadyAnchored.selector, keccak256("mine 1"), uint256(1)));
        vm.prank(second);
        ledger.anchorBatch(keccak256("mine 1"), 7, 1);
    }

    function test_setAnchorer_disallowedAndAllowedAgain_resumesItsSequence() public {
        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("root1"), 0, 10);
        vm.startPrank(admin);
        ledger.setAnchorer(anchorer, false);
        ledger.setAnchorer(anchorer, true);
        vm.stopPrank();

        vm.assertEq(uint256(ledger.nextSequence(anchorer)), 10);
        vm.assertEq(ledger.batchOfRoot(keccak256("root1")).anchorer, anchorer);
        // Its batch numbers resume too.
        vm.prank(anchorer);
        vm.assertEq(ledger.anchorBatch(keccak256("root2"), 10, 1), 2);
    }

    function testFuzz_anchorBatch_otherAnchorersNeverMoveMySequence(uint32[8] calldata counts, uint8 othersMask) public {
        address second = makeAddr("second anchorer");
        vm.prank(admin);
        ledger.setAnchorer(second, true);
        uint64 mine = 0;
        uint64 theirs = 0;
        for (uint256 i = 0; i < counts.length; ++i) {
            uint32 count = uint32(bound(counts[i], 1, 65_536));
            bool byOther = (othersMask >> i) & 1 == 1;
            uint256 expectedId = (byOther ? ledger.batchCount(second) : ledger.batchCount(anchorer)) + 1;
            vm.prank(byOther ? second : anchorer);
            uint256 id = ledger.anchorBatch(keccak256(abi.encode("fuzz", i)), byOther ? theirs : mine, count);
            vm.assertEq(id, expectedId);
            if (byOther) theirs += count;
            else mine += count;
            vm.assertEq(uint256(ledger.nextSequence(anchorer)), mine);
            vm.assertEq(uint256(ledger.nextSequence(second)), theirs);
        }
    }

    function test_anchorBatch_revertsForNonAnchorer() public {
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NotAnchorer.selector, stranger));
        vm.prank(stranger);
        ledger.anchorBatch(keccak256("root"), 0, 1);
    }

    function test_anchorBatch_revertsAfterAnchorerRemoved() public {
        vm.prank(admin);
        ledger.setAnchorer(anchorer, false);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.NotAnchorer.selector, anchorer));
        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("root"), 0, 1);
    }

    function test_anchorBatch_revertsOnZeroRoot() public {
        vm.expectRevert(ProvenanceLedger.ZeroRoot.selector);
        vm.prank(anchorer);
        ledger.anchorBatch(bytes32(0), 0, 1);
    }

    function test_anchorBatch_revertsOnEmptyBatch() public {
        vm.expectRevert(ProvenanceLedger.EmptyBatch.selector);
        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("root"), 0, 0);
    }

    function test_anchorBatch_revertsOnOversizeBatch() public {
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.BatchTooLarge.selector, uint32(65_537), uint32(65_536)));
        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("root"), 0, 65_537);
    }

    function test_anchorBatch_revertsOnSequenceGap() public {
        vm.startPrank(anchorer);
        ledger.anchorBatch(keccak256("root1"), 0, 10);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.BatchSequenceMismatch.selector, uint64(11), uint64(10)));
        ledger.anchorBatch(keccak256("root2"), 11, 10);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.BatchSequenceMismatch.selector, uint64(0), uint64(10)));
        ledger.anchorBatch(keccak256("root2"), 0, 10);
        vm.stopPrank();
    }

    function test_anchorBatch_revertsOnDuplicateRoot() public {
        bytes32 root = keccak256("root1");
        vm.startPrank(anchorer);
        ledger.anchorBatch(root, 0, 10);
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.RootAlreadyAnchored.selector, root, uint256(1)));
        ledger.anchorBatch(root, 10, 10);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------------
    // Batch views
    // ------------------------------------------------------------------------------------------------

    function test_batchOfRoot_unknownRoot_readsAllZero() public {
        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("root1"), 0, 10);

        ProvenanceLedger.AnchoredBatch memory b = ledger.batchOfRoot(keccak256("root2"));
        vm.assertEq(uint256(b.batchId), 0);
        vm.assertEq(b.root, bytes32(0));
        vm.assertEq(uint256(b.firstSequence), 0);
        vm.assertEq(uint256(b.recordCount), 0);
        vm.assertEq(uint256(b.anchoredAt), 0);
        vm.assertEq(uint256(b.blockNumber), 0);
        vm.assertEq(b.anchorer, address(0));
        vm.assertEq(ledger.batchOfRoot(bytes32(0)).batchId, 0);
    }

    function test_batchViews_emptyLedger() public view {
        vm.assertEq(ledger.batchCount(anchorer), 0);
        vm.assertEq(uint256(ledger.nextSequence(anchorer)), 0);
        vm.assertEq(ledger.batchIdOfRoot(keccak256("root")), 0);
        vm.assertFalse(ledger.isAnchorer(stranger));
        vm.assertEq(uint256(ledger.attestedAt(keccak256("x"))), 0);
        vm.assertFalse(ledger.isRevoked(keccak256("x")));
    }

    // ------------------------------------------------------------------------------------------------
    // verifyInclusion
    // ------------------------------------------------------------------------------------------------

    function test_verifyInclusion_revertsForUnanchoredRoot() public {
        bytes32 root = keccak256("root");
        vm.expectRevert(abi.encodeWithSelector(ProvenanceLedger.RootNotAnchored.selector, root));
        ledger.verifyInclusion(root, keccak256("digest"), new bytes32[](0));
    }

    /// @dev Root and proofs computed by `@openzeppelin/merkle-tree` 1.x
    /// (`StandardMerkleTree.of(values, ["bytes32"], { sortLeaves: false })`) over
    /// `values[i] = keccak256(abi.encode(uint256(i)))` for i in 0..4.
    function test_verifyInclusion_matchesOpenZeppelinMerkleTreeVector() public {
        bytes32[] memory values = new bytes32[](5);
        for (uint256 i = 0; i < 5; ++i) {
            values[i] = keccak256(abi.encode(i));
        }
        bytes32 expectedRoot = 0x018232133f7d37fbc0c6d3d383aaa8f220fb5dd94213744200f97b5922bac22d;
        bytes32[] memory tree = MerkleBuilder.build(values);
        vm.assertEq(MerkleBuilder.root(tree), expectedRoot);

        vm.prank(anchorer);
        ledger.anchorBatch(expectedRoot, 0, 5);

        bytes32[] memory proof0 = new bytes32[](3);
        proof0[0] = 0x73139abbd176cf7f94893453632c00afefb2776f9805a21d03d176c885cd0d63;
        proof0[1] = 0xfeb2129c292482133a2427f53697381c25db27e97b58bc306404674de5a7deab;
        proof0[2] = 0xc86bbb62ba29fe7a5d8193e84111f446ee81cc6f39cc0d885e6305f0d3b84d13;
        vm.assertTrue(ledger.verifyInclusion(expectedRoot, values[0], proof0));
        bytes32[] memory built0 = MerkleBuilder.proof(tree, 0);
        vm.assertEq(built0.length, 3);
        for (uint256 j = 0; j < 3; ++j) {
            vm.assertEq(built0[j], proof0[j]);
        }

        bytes32[] memory proof4 = new bytes32[](2);
        proof4[0] = 0x8f390c511e75331a65baeb2d17b4b1af4dbc977650c8ed2774dfa6e0575dc0c8;
        proof4[1] = 0xc86bbb62ba29fe7a5d8193e84111f446ee81cc6f39cc0d885e6305f0d3b84d13;
        vm.assertTrue(ledger.verifyInclusion(expectedRoot, values[4], proof4));
        vm.assertFalse(ledger.verifyInclusion(expectedRoot, values[3], proof4));
    }

    function test_verifyInclusion_ofSignedRecords() public {
        bytes32[] memory digests = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            digests[i] = ledger.hashRecord(_record(uint64(i)));
        }
        bytes32[] memory tree = MerkleBuilder.build(digests);
        vm.prank(anchorer);
        ledger.anchorBatch(MerkleBuilder.root(tree), 0, 3);
        for (uint256 i = 0; i < 3; ++i) {
            vm.assertTrue(ledger.verifyInclusion(MerkleBuilder.root(tree), digests[i], MerkleBuilder.proof(tree, i)));
        }
        vm.assertFalse(
            ledger.verifyInclusion(MerkleBuilder.root(tree), ledger.hashRecord(_record(3)), MerkleBuilder.proof(tree, 0))
        );
    }

    function testFuzz_verifyInclusion_randomTrees(uint256 seed, uint256 leafCount, uint256 pick) public {
        leafCount = bound(leafCount, 1, 300);
        pick = bound(pick, 0, leafCount - 1);
        bytes32[] memory digests = new bytes32[](leafCount);
        for (uint256 i = 0; i < leafCount; ++i) {
            digests[i] = keccak256(abi.encode(seed, i));
        }
        bytes32[] memory tree = MerkleBuilder.build(digests);
        bytes32 root = MerkleBuilder.root(tree);
        vm.prank(anchorer);
        ledger.anchorBatch(root, 0, uint32(leafCount));

        bytes32[] memory proof = MerkleBuilder.proof(tree, pick);
        vm.assertTrue(ledger.verifyInclusion(root, digests[pick], proof));
        // A digest that is not in the tree, or the right digest with a corrupted proof, fails.
        vm.assertFalse(ledger.verifyInclusion(root, keccak256(abi.encode(seed, leafCount)), proof));
        if (proof.length > 0) {
            proof[proof.length - 1] = bytes32(uint256(proof[proof.length - 1]) ^ 1);
            vm.assertFalse(ledger.verifyInclusion(root, digests[pick], proof));
        }
    }

    function testFuzz_anchorBatch_sequencesStayContiguous(uint32[6] calldata counts) public {
        uint64 expected = 0;
        vm.startPrank(anchorer);
        for (uint256 i = 0; i < counts.length; ++i) {
            uint32 count = uint32(bound(counts[i], 1, 65_536));
            uint256 id = ledger.anchorBatch(keccak256(abi.encode(i)), expected, count);
            vm.assertEq(id, i + 1);
            expected += count;
            vm.assertEq(uint256(ledger.nextSequence(anchorer)), expected);
        }
        vm.stopPrank();
        vm.assertEq(ledger.batchCount(anchorer), counts.length);
    }

    function testFuzz_attest_acceptsOnlyNodeSignatures(uint256 signerKey, uint64 sequence) public {
        signerKey = bound(signerKey, 1, SECP256K1_ORDER - 1);
        ProvenanceRecord memory r = _record(sequence);
        bytes memory signature = _sign(signerKey, r);
        if (signerKey != nodeKey) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ProvenanceLedger.InvalidRecordSigner.selector, ledger.hashRecord(r), vm.addr(signerKey), node
                )
            );
        }
        ledger.attest(r, signature);
    }
}
