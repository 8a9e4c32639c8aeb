// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ModelRegistry} from "../src/ModelRegistry.sol";
import {RegistrySteps} from "./utils/RegistrySteps.sol";
import {TestBase} from "./utils/TestBase.sol";

contract ModelRegistryTest is TestBase {
    event ModelRegistered(
        bytes32 indexed modelHash, address indexed owner, string metadataURI, uint128 pricePerGeneration, uint16 royaltyBps
    );
    event ModelTermsUpdated(bytes32 indexed modelHash, uint128 pricePerGeneration, uint16 royaltyBps, bool active);
    event ModelMetadataUpdated(bytes32 indexed modelHash, string metadataURI);
    event NodeRegistered(address indexed node, address indexed operator);
    event NodeModelSet(address indexed node, bytes32 indexed modelHash, bool serves);
    event NodeDeregistered(address indexed node, address indexed operator);
    event NodeEndpointSet(address indexed node, string endpoint);
    event ModelDerived(bytes32 indexed modelHash, bytes32 indexed parentHash);
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event ModelCommitted(address indexed committer, bytes32 indexed commitment);
    event NodeApprovalSet(bytes32 indexed modelHash, address indexed node, bool approved);
    event ModelOpenSet(bytes32 indexed modelHash, bool open);

    ModelRegistry internal registry;

    address internal modelOwner = makeAddr("modelOwner");
    address internal operator = makeAddr("operator");
    address internal stranger = makeAddr("stranger");
    address internal node;
    uint256 internal nodeKey;

    bytes32 internal constant MODEL = keccak256("model.onnx");
    bytes32 internal constant OTHER_MODEL = keccak256("other.onnx");
    string internal constant URI = "ipfs://model";
    bytes32 internal constant SALT = RegistrySteps.SALT;

    function setUp() public {
        vm.warp(1_750_000_000);
        vm.roll(100);
        (node, nodeKey) = makeAddrAndKey("node");
        registry = new ModelRegistry();
        RegistrySteps.registerModel(registry, modelOwner, MODEL, bytes32(0), URI, 1e12, 500);
    }

    /// @dev Commits a registration from `owner` and lets it age until it may be revealed.
    function _aged(address owner, bytes32 modelHash, bytes32 parentHash, uint16 royaltyBps) internal {
        RegistrySteps.commit(registry, owner, modelHash, parentHash, URI, 1, royaltyBps);
        vm.roll(block.number + registry.MIN_COMMITMENT_AGE());
    }

    /// @dev Commits, ages and reveals a registration from `owner`.
    function _register(address owner, bytes32 modelHash, bytes32 parentHash, uint16 royaltyBps)
        internal
        returns (uint256)
    {
        return RegistrySteps.registerModel(registry, owner, modelHash, parentHash, URI, 1, royaltyBps);
    }

    // ------------------------------------------------------------------------------------------------
    // Deployment
    // ------------------------------------------------------------------------------------------------

    function test_constructor_setsNameSymbolAndOwner() public view {
        vm.assertEq(registry.name(), "MobileAIGC Model");
        vm.assertEq(registry.symbol(), "AIGCM");
        vm.assertEq(registry.owner(), address(this));
        vm.assertEq(uint256(registry.MAX_ROYALTY_BPS()), 2_000);
        vm.assertEq(registry.MAX_LINEAGE_LENGTH(), 4);
        vm.assertEq(registry.MAX_ENDPOINT_LENGTH(), 256);
        vm.assertEq(uint256(registry.MIN_COMMITMENT_AGE()), 5);
        vm.assertEq(uint256(registry.MAX_COMMITMENT_AGE()), 50_400);
    }

    function test_royaltyBound_leavesProviderAShareOfAFullLineage() public view {
        // The hard maximum is what makes "the provider always keeps a share" hold for every lineage.
        vm.assertLt(registry.MAX_LINEAGE_LENGTH() * registry.MAX_ROYALTY_BPS(), 10_000);
    }

    // ------------------------------------------------------------------------------------------------
    // commitModel / registerModel (commit-reveal)
    // ------------------------------------------------------------------------------------------------

    function test_registerModel_mintsTokenAndStoresTerms() public {
        bytes32 commitment = registry.modelCommitment(OTHER_MODEL, bytes32(0), "ipfs://other", 7, 2_000, stranger, SALT);
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelCommitted(stranger, commitment);
        vm.prank(stranger);
        registry.commitModel(commitment);
        vm.assertEq(registry.commitmentBlock(stranger, commitment), block.number);
        vm.roll(block.number + 5);

        vm.expectEmit(true, true, true, true, address(registry));
        emit Transfer(address(0), stranger, uint256(OTHER_MODEL));
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelRegistered(OTHER_MODEL, stranger, "ipfs://other", 7, 2_000);
        vm.prank(stranger);
        uint256 tokenId = registry.registerModel(OTHER_MODEL, bytes32(0), "ipfs://other", 7, 2_000, SALT);

        vm.assertEq(tokenId, uint256(OTHER_MODEL));
        vm.assertEq(registry.ownerOf(tokenId), stranger);
        vm.assertEq(registry.modelOwner(OTHER_MODEL), stranger);
        vm.assertTrue(registry.isModelRegistered(OTHER_MODEL));
        vm.assertEq(registry.tokenURI(tokenId), "ipfs://other");
        ModelRegistry.ModelTerms memory terms = registry.modelTerms(OTHER_MODEL);
        vm.assertEq(uint256(terms.pricePerGeneration), 7);
        vm.assertEq(uint256(terms.royaltyBps), 2_000);
        vm.assertTrue(terms.active);
        // The commitment is used up.
        vm.assertEq(registry.commitmentBlock(stranger, commitment), 0);
        vm.assertFalse(registry.isModelOpen(OTHER_MODEL));
    }

    function test_modelCommitment_isKeccakOfEncodedClaim() public view {
        bytes32 expected = keccak256(
            abi.encode(OTHER_MODEL, MODEL, keccak256(bytes(URI)), uint128(3), uint16(250), stranger, SALT)
        );
        vm.assertEq(registry.modelCommitment(OTHER_MODEL, MODEL, URI, 3, 250, stranger, SALT), expected);
    }

    /// @dev The attack of issue 12: a mempool watcher copies the owner's pending reveal (model hash, terms and
    /// salt) and sends it first with its own account. It holds no commitment for it, and by the time a commitment
    /// of its own has aged the genuine reveal is mined.
    function test_registerModel_frontRunnerCopyingRevealFails() public {
        _aged(modelOwner, OTHER_MODEL, bytes32(0), 100);
        address frontRunner = makeAddr("frontRunner");
        bytes32 theirs = registry.modelCommitment(OTHER_MODEL, bytes32(0), URI, 1, 100, frontRunner, SALT);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentNotFound.selector, frontRunner, theirs));
        vm.prank(frontRunner);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);

        // Committing now does not help: the commitment is too fresh to reveal before the owner's reveal lands.
        vm.prank(frontRunner);
        registry.commitModel(theirs);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentTooFresh.selector, theirs, block.number + 5));
        vm.prank(frontRunner);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);

        vm.prank(modelOwner);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);
        vm.assertEq(registry.modelOwner(OTHER_MODEL), modelOwner);
    }

    /// @dev A front-runner who copies the commitment itself gains nothing: commitments are per committer.
    function test_commitModel_copiedCommitmentIsWorthless() public {
        bytes32 commitment = RegistrySteps.commit(registry, modelOwner, OTHER_MODEL, bytes32(0), URI, 1, 100);
        vm.prank(stranger);
        registry.commitModel(commitment);
        vm.roll(block.number + 5);
        // Its reveal hashes to another commitment (its own address in it), which it never made.
        bytes32 theirs = registry.modelCommitment(OTHER_MODEL, bytes32(0), URI, 1, 100, stranger, SALT);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentNotFound.selector, stranger, theirs));
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);
        vm.prank(modelOwner);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);
        vm.assertEq(registry.modelOwner(OTHER_MODEL), modelOwner);
    }

    function testFuzz_registerModel_revealedOnlyByCommitterWithinAgeWindow(address caller, uint256 age) public {
        vm.assume(caller != address(0));
        age = bound(age, 0, 2 * 50_400);
        bytes32 commitment = RegistrySteps.commit(registry, modelOwner, OTHER_MODEL, bytes32(0), URI, 1, 100);
        uint256 madeAt = block.number;
        vm.roll(madeAt + age);
        if (caller != modelOwner) {
            bytes32 theirs = registry.modelCommitment(OTHER_MODEL, bytes32(0), URI, 1, 100, caller, SALT);
            vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentNotFound.selector, caller, theirs));
        } else if (age < 5) {
            vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentTooFresh.selector, commitment, madeAt + 5));
        } else if (age > 50_400) {
            vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentExpired.selector, commitment, madeAt + 50_400));
        }
        vm.prank(caller);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);
        if (caller == modelOwner && age >= 5 && age <= 50_400) vm.assertEq(registry.modelOwner(OTHER_MODEL), caller);
    }

    function test_registerModel_revertsWhenTermsDifferFromCommitment() public {
        _aged(modelOwner, OTHER_MODEL, bytes32(0), 100);
        bytes32 other = registry.modelCommitment(OTHER_MODEL, bytes32(0), URI, 1, 2_000, modelOwner, SALT);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentNotFound.selector, modelOwner, other));
        vm.prank(modelOwner);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 2_000, SALT);
    }

    function test_registerModel_commitmentIsSingleUse() public {
        _register(stranger, OTHER_MODEL, bytes32(0), 100);
        bytes32 commitment = registry.modelCommitment(OTHER_MODEL, bytes32(0), URI, 1, 100, stranger, SALT);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentNotFound.selector, stranger, commitment));
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 100, SALT);
    }

    function test_commitModel_revertsOnZeroCommitment() public {
        vm.expectRevert(ModelRegistry.ZeroCommitment.selector);
        registry.commitModel(bytes32(0));
    }

    function test_commitModel_revertsWhileUnexpiredAndRenewsAfterExpiry() public {
        bytes32 commitment = RegistrySteps.commit(registry, stranger, OTHER_MODEL, bytes32(0), URI, 1, 100);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.CommitmentAlreadyMade.selector, stranger, commitment));
        vm.prank(stranger);
        registry.commitModel(commitment);
        vm.roll(block.number + 50_401);
        vm.prank(stranger);
        registry.commitModel(commitment);
        vm.assertEq(registry.commitmentBlock(stranger, commitment), block.number);
    }

    function test_registerModel_revertsOnZeroHash() public {
        _aged(stranger, bytes32(0), bytes32(0), 1);
        vm.expectRevert(ModelRegistry.ZeroModelHash.selector);
        vm.prank(stranger);
        registry.registerModel(bytes32(0), bytes32(0), URI, 1, 1, SALT);
    }

    function test_registerModel_revertsWhenAlreadyRegistered() public {
        _aged(stranger, MODEL, bytes32(0), 1);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelAlreadyRegistered.selector, MODEL, modelOwner));
        vm.prank(stranger);
        registry.registerModel(MODEL, bytes32(0), URI, 1, 1, SALT);
    }

    function test_registerModel_revertsOnRoyaltyTooHigh() public {
        _aged(stranger, OTHER_MODEL, bytes32(0), 2_001);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, uint16(2_001), uint16(2_000)));
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 2_001, SALT);
    }

    function testFuzz_registerModel_acceptsAnyRoyaltyUpToMax(bytes32 modelHash, uint16 royaltyBps, uint128 price)
        public
    {
        vm.assume(modelHash != bytes32(0) && modelHash != MODEL);
        RegistrySteps.commit(registry, stranger, modelHash, bytes32(0), URI, price, royaltyBps);
        vm.roll(block.number + 5);
        if (royaltyBps > 2_000) {
            vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, royaltyBps, uint16(2_000)));
        }
        vm.prank(stranger);
        registry.registerModel(modelHash, bytes32(0), URI, price, royaltyBps, SALT);
        if (royaltyBps > 2_000) return;
        ModelRegistry.ModelTerms memory terms = registry.modelTerms(modelHash);
        vm.assertEq(uint256(terms.royaltyBps), royaltyBps);
        vm.assertEq(uint256(terms.pricePerGeneration), price);
    }

    // ------------------------------------------------------------------------------------------------
    // Derived models / lineage
    // ------------------------------------------------------------------------------------------------

    /// @dev Registers a chain of `count` derivatives under MODEL, each by `stranger`, and returns them, parent first.
    function _deriveChain(uint256 count) internal returns (bytes32[] memory models) {
        models = new bytes32[](count);
        bytes32 parent = MODEL;
        for (uint256 i = 0; i < count; ++i) {
            models[i] = keccak256(abi.encode("derived", i));
            _register(stranger, models[i], parent, uint16(100 * (i + 1)));
            parent = models[i];
        }
    }

    function test_registerDerivedModel_storesParentAndEmits() public {
        _aged(stranger, OTHER_MODEL, MODEL, 250);
        vm.expectEmit(true, true, true, true, address(registry));
        emit Transfer(address(0), stranger, uint256(OTHER_MODEL));
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelRegistered(OTHER_MODEL, stranger, URI, 1, 250);
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelDerived(OTHER_MODEL, MODEL);
        vm.prank(stranger);
        uint256 tokenId = registry.registerModel(OTHER_MODEL, MODEL, URI, 1, 250, SALT);

        vm.assertEq(tokenId, uint256(OTHER_MODEL));
        vm.assertEq(registry.modelOwner(OTHER_MODEL), stranger);
        vm.assertEq(registry.parentModel(OTHER_MODEL), MODEL);
        vm.assertEq(registry.parentModel(MODEL), bytes32(0));
        bytes32[] memory models = registry.lineage(OTHER_MODEL);
        vm.assertEq(models.length, 2);
        vm.assertEq(models[0], MODEL);
        vm.assertEq(models[1], OTHER_MODEL);
    }

    function test_registerModel_withZeroParentRegistersRoot() public {
        _aged(stranger, OTHER_MODEL, bytes32(0), 1);
        vm.recordLogs();
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, bytes32(0), URI, 1, 1, SALT);
        // Transfer and ModelRegistered only: no ModelDerived.
        vm.assertEq(vm.getRecordedLogs().length, 2);
        vm.assertEq(registry.parentModel(OTHER_MODEL), bytes32(0));
        vm.assertEq(registry.lineage(OTHER_MODEL).length, 1);
    }

    function test_registerDerivedModel_revertsForUnregisteredParent() public {
        bytes32 missing = keccak256("missing.onnx");
        _aged(stranger, OTHER_MODEL, missing, 1);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ParentModelNotRegistered.selector, OTHER_MODEL, missing)
        );
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, missing, URI, 1, 1, SALT);
    }

    function test_registerDerivedModel_acceptsLineageOfMaxLength() public {
        bytes32[] memory chain = _deriveChain(3);
        bytes32[] memory models = registry.lineage(chain[2]);
        vm.assertEq(models.length, registry.MAX_LINEAGE_LENGTH());
        vm.assertEq(models[0], MODEL);
        vm.assertEq(models[1], chain[0]);
        vm.assertEq(models[2], chain[1]);
        vm.assertEq(models[3], chain[2]);
    }

    function test_registerDerivedModel_revertsWhenLineageTooDeep() public {
        bytes32[] memory chain = _deriveChain(3);
        _aged(stranger, OTHER_MODEL, chain[2], 1);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.LineageTooDeep.selector, OTHER_MODEL, chain[2], 5, 4)
        );
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, chain[2], URI, 1, 1, SALT);
        // A sibling higher up still fits.
        _register(stranger, OTHER_MODEL, chain[1], 1);
        vm.assertEq(registry.lineage(OTHER_MODEL).length, 4);
    }

    function test_lineage_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.lineage(OTHER_MODEL);
    }

    function test_parentModel_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.parentModel(OTHER_MODEL);
    }

    function test_royaltyLineage_readsCurrentOwnersAndRates() public {
        bytes32[] memory chain = _deriveChain(2);
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, operator, uint256(MODEL));
        vm.prank(stranger);
        registry.updateTerms(chain[0], 1, 1_234, false);

        ModelRegistry.RoyaltyShare[] memory shares = registry.royaltyLineage(chain[1]);
        vm.assertEq(shares.length, 3);
        vm.assertEq(shares[0].modelHash, MODEL);
        vm.assertEq(shares[0].owner, operator);
        vm.assertEq(uint256(shares[0].royaltyBps), 500);
        vm.assertEq(shares[1].modelHash, chain[0]);
        vm.assertEq(shares[1].owner, stranger);
        vm.assertEq(uint256(shares[1].royaltyBps), 1_234);
        vm.assertEq(shares[2].modelHash, chain[1]);
        vm.assertEq(uint256(shares[2].royaltyBps), 200);

        ModelRegistry.RoyaltyShare[] memory root = registry.royaltyLineage(MODEL);
        vm.assertEq(root.length, 1);
        vm.assertEq(root[0].owner, operator);
    }

    function test_royaltyLineage_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.royaltyLineage(OTHER_MODEL);
    }

    function testFuzz_registerModel_boundsEveryLineage(uint8[8] calldata parentSeeds) public {
        // Each new model picks any earlier model as parent; the registry accepts it exactly when the lineage
        // stays within MAX_LINEAGE_LENGTH, and the lineage it reports always ends at MODEL.
        bytes32[] memory models = new bytes32[](parentSeeds.length + 1);
        uint256[] memory lengths = new uint256[](parentSeeds.length + 1);
        models[0] = MODEL;
        lengths[0] = 1;
        uint256 count = 1;
        for (uint256 i = 0; i < parentSeeds.length; ++i) {
            uint256 parent = parentSeeds[i] % count;
            bytes32 model = keccak256(abi.encode("fuzz", i));
            if (lengths[parent] == 4) {
                _aged(stranger, model, models[parent], 1);
                vm.expectRevert(
                    abi.encodeWithSelector(ModelRegistry.LineageTooDeep.selector, model, models[parent], 5, 4)
                );
                vm.prank(stranger);
                registry.registerModel(model, models[parent], URI, 1, 1, SALT);
                continue;
            }
            _register(stranger, model, models[parent], 1);
            models[count] = model;
            lengths[count] = lengths[parent] + 1;
            bytes32[] memory lineage = registry.lineage(model);
            vm.assertEq(lineage.length, lengths[count]);
            vm.assertEq(lineage[0], MODEL);
            vm.assertEq(lineage[lineage.length - 1], model);
            ++count;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // updateTerms / setMetadataURI
    // ------------------------------------------------------------------------------------------------

    function test_updateTerms_replacesTerms() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelTermsUpdated(MODEL, 9, 1234, false);
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 9, 1234, false);
        ModelRegistry.ModelTerms memory terms = registry.modelTerms(MODEL);
        vm.assertEq(uint256(terms.pricePerGeneration), 9);
        vm.assertEq(uint256(terms.royaltyBps), 1234);
        vm.assertFalse(terms.active);
    }

    function test_updateTerms_revertsForNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, MODEL, stranger, modelOwner));
        vm.prank(stranger);
        registry.updateTerms(MODEL, 9, 1234, false);
    }

    function test_updateTerms_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.updateTerms(OTHER_MODEL, 9, 1234, false);
    }

    function test_updateTerms_revertsOnRoyaltyTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, uint16(2_001), uint16(2_000)));
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 9, 2_001, true);
    }

    function test_updateTerms_followsTokenTransfer() public {
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, stranger, uint256(MODEL));
        vm.assertEq(registry.modelOwner(MODEL), stranger);

        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, MODEL, modelOwner, stranger));
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, 1, true);

        vm.prank(stranger);
        registry.updateTerms(MODEL, 1, 1, true);
    }

    function test_setMetadataURI_replacesUri() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelMetadataUpdated(MODEL, "ar://new");
        vm.prank(modelOwner);
        registry.setMetadataURI(MODEL, "ar://new");
        vm.assertEq(registry.tokenURI(uint256(MODEL)), "ar://new");
    }

    function test_setMetadataURI_revertsForNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, MODEL, stranger, modelOwner));
        vm.prank(stranger);
        registry.setMetadataURI(MODEL, "ar://new");
    }

    function test_setMetadataURI_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.setMetadataURI(OTHER_MODEL, "ar://new");
    }

    // ------------------------------------------------------------------------------------------------
    // Model views
    // ------------------------------------------------------------------------------------------------

    function test_modelTerms_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.modelTerms(OTHER_MODEL);
    }

    function test_modelOwner_revertsForUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        registry.modelOwner(OTHER_MODEL);
    }

    function test_isModelRegistered_falseForUnknownModel() public view {
        vm.assertFalse(registry.isModelRegistered(OTHER_MODEL));
        vm.assertTrue(registry.isModelRegistered(MODEL));
    }

    function test_tokenURI_revertsForUnknownToken() public {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, uint256(OTHER_MODEL)));
        registry.tokenURI(uint256(OTHER_MODEL));
    }

    // ------------------------------------------------------------------------------------------------
    // Nodes
    // ------------------------------------------------------------------------------------------------

    function _registerNode() internal {
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        RegistrySteps.registerNode(registry, operator, nodeKey, models);
        RegistrySteps.approve(registry, MODEL, node);
    }

    function _none() internal pure returns (bytes32[] memory) {
        return new bytes32[](0);
    }

    function test_registerNode_setsOperatorModelsAndBinding() public {
        _register(stranger, OTHER_MODEL, bytes32(0), 1);
        bytes32[] memory models = new bytes32[](2);
        models[0] = MODEL;
        models[1] = OTHER_MODEL;
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, operator, deadline);

        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeRegistered(node, operator);
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeModelSet(node, MODEL, true);
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeModelSet(node, OTHER_MODEL, true);
        vm.prank(operator);
        registry.registerNode(node, models, deadline, consent);

        vm.assertEq(registry.nodeOperator(node), operator);
        vm.assertEq(registry.nodeKeyOperator(node), operator);
        vm.assertEq(registry.nodeConsentNonce(node), 1);
        // Serving is not enough: neither owner approved the node yet.
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
        vm.assertFalse(registry.isNodeAuthorized(node, OTHER_MODEL));
        RegistrySteps.approve(registry, MODEL, node);
        vm.prank(stranger);
        registry.setModelOpen(OTHER_MODEL, true);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));
        vm.assertTrue(registry.isNodeAuthorized(node, OTHER_MODEL));
        vm.assertFalse(registry.isNodeAuthorized(node, keccak256("unknown")));
        vm.assertFalse(registry.isNodeAuthorized(stranger, MODEL));
    }

    function test_hashNodeConsent_isEip712OfTheDomain() public view {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("MobileAigcModelRegistry"),
                keccak256("1"),
                block.chainid,
                address(registry)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("NodeConsent(address node,address operator,uint256 nonce,uint256 deadline)"),
                node,
                operator,
                uint256(7),
                uint256(99)
            )
        );
        vm.assertEq(
            registry.hashNodeConsent(node, operator, 7, 99),
            keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash))
        );
    }

    function test_registerNode_withoutModels() public {
        RegistrySteps.registerNode(registry, operator, nodeKey, _none());
        vm.assertEq(registry.nodeOperator(node), operator);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
    }

    function test_registerNode_revertsOnZeroAddress() public {
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        registry.registerNode(address(0), _none(), block.timestamp, new bytes(65));
    }

    /// @dev The attack of issue 12: a squatter registers someone else's key before its operator does. Without the
    /// key's consent naming the squatter, it cannot; the consent the key gave its operator does not work for it.
    function test_registerNode_squatBeforeOperatorFails() public {
        address squatter = makeAddr("squatter");
        bytes memory consentForOperator = RegistrySteps.consent(registry, nodeKey, operator, block.timestamp);
        bytes32 digest = registry.hashNodeConsent(node, squatter, 0, block.timestamp);
        address recovered = ecrecover(digest, uint8(consentForOperator[64]), _word(consentForOperator, 0), _word(consentForOperator, 32));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidNodeConsent.selector, node, recovered));
        vm.prank(squatter);
        registry.registerNode(node, _none(), block.timestamp, consentForOperator);

        // Nor with a consent signed by its own key.
        (, uint256 squatterKey) = makeAddrAndKey("squatter");
        bytes memory own = signDigest(squatterKey, digest);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidNodeConsent.selector, node, squatter));
        vm.prank(squatter);
        registry.registerNode(node, _none(), block.timestamp, own);

        // The genuine operator still registers the key.
        vm.prank(operator);
        registry.registerNode(node, _none(), block.timestamp, consentForOperator);
        vm.assertEq(registry.nodeOperator(node), operator);
    }

    function testFuzz_registerNode_refusesConsentForAnotherOperator(address squatter, uint256 deadline) public {
        vm.assume(squatter != operator && squatter != address(0));
        deadline = bound(deadline, block.timestamp, type(uint64).max);
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, operator, deadline);
        vm.prank(squatter);
        vm.expectRevert();
        registry.registerNode(node, _none(), deadline, consent);
        vm.assertEq(registry.nodeOperator(node), address(0));
        vm.assertEq(registry.nodeKeyOperator(node), address(0));
    }

    /// @dev The attack of issue 12: once the operator deregisters the key, another account takes it, even with a
    /// fresh consent from the key (stolen, or signed by mistake).
    function test_registerNode_reRegistrationByAnotherAccountFails() public {
        _registerNode();
        vm.prank(operator);
        registry.deregisterNode(node);
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, stranger, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeKeyBoundToOtherOperator.selector, node, operator));
        vm.prank(stranger);
        registry.registerNode(node, _none(), block.timestamp, consent);
        vm.assertEq(registry.nodeKeyOperator(node), operator);
    }

    function test_registerNode_sameOperatorReRegistersWithFreshConsent() public {
        bytes memory first = RegistrySteps.consent(registry, nodeKey, operator, block.timestamp);
        vm.prank(operator);
        registry.registerNode(node, _none(), block.timestamp, first);
        vm.prank(operator);
        registry.deregisterNode(node);

        // The used consent is spent (the nonce moved on): a replay recovers another signer.
        vm.prank(operator);
        vm.expectRevert();
        registry.registerNode(node, _none(), block.timestamp, first);

        RegistrySteps.registerNode(registry, operator, nodeKey, _none());
        vm.assertEq(registry.nodeOperator(node), operator);
        vm.assertEq(registry.nodeConsentNonce(node), 2);
    }

    function test_registerNode_revertsOnReplayedConsent() public {
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, operator, block.timestamp);
        vm.prank(operator);
        registry.registerNode(node, _none(), block.timestamp, consent);
        vm.prank(operator);
        registry.deregisterNode(node);
        bytes32 replayDigest = registry.hashNodeConsent(node, operator, 1, block.timestamp);
        address recovered = ecrecover(replayDigest, uint8(consent[64]), _word(consent, 0), _word(consent, 32));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidNodeConsent.selector, node, recovered));
        vm.prank(operator);
        registry.registerNode(node, _none(), block.timestamp, consent);
    }

    function test_registerNode_revertsOnExpiredConsent() public {
        uint256 deadline = block.timestamp + 10;
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, operator, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeConsentExpired.selector, node, deadline));
        vm.prank(operator);
        registry.registerNode(node, _none(), deadline, consent);
    }

    function test_registerNode_revertsOnConsentWithTamperedDeadline() public {
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, operator, block.timestamp);
        vm.prank(operator);
        vm.expectRevert();
        registry.registerNode(node, _none(), block.timestamp + 1 days, consent);
        vm.assertEq(registry.nodeOperator(node), address(0));
    }

    function test_registerNode_revertsOnConsentForAnotherChain() public {
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        bytes memory foreign = RegistrySteps.consent(registry, nodeKey, operator, block.timestamp);
        vm.chainId(chainId);
        bytes32 here = registry.hashNodeConsent(node, operator, 0, block.timestamp);
        address recovered = ecrecover(here, uint8(foreign[64]), _word(foreign, 0), _word(foreign, 32));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.InvalidNodeConsent.selector, node, recovered));
        vm.prank(operator);
        registry.registerNode(node, _none(), block.timestamp, foreign);
    }

    function test_registerNode_revertsOnConsentForAnotherContract() public {
        ModelRegistry elsewhere = new ModelRegistry();
        bytes memory foreign = RegistrySteps.consent(elsewhere, nodeKey, operator, block.timestamp);
        vm.prank(operator);
        vm.expectRevert();
        registry.registerNode(node, _none(), block.timestamp, foreign);
        vm.assertEq(registry.nodeOperator(node), address(0));
    }

    function test_registerNode_revertsWhenAlreadyRegistered() public {
        _registerNode();
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, stranger, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeAlreadyRegistered.selector, node, operator));
        vm.prank(stranger);
        registry.registerNode(node, _none(), block.timestamp, consent);
    }

    function test_registerNode_revertsForUnregisteredModel() public {
        bytes32[] memory models = new bytes32[](2);
        models[0] = MODEL;
        models[1] = OTHER_MODEL;
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, operator, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        vm.prank(operator);
        registry.registerNode(node, models, block.timestamp, consent);
    }

    // ------------------------------------------------------------------------------------------------
    // Model owner's approval
    // ------------------------------------------------------------------------------------------------

    /// @dev The attack of issue 12: an operator has its registered node serve someone's model without the model
    /// owner's approval; the node is not authorised, so its records are refused.
    function test_isNodeAuthorized_servingWithoutApprovalIsNotAuthorized() public {
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        RegistrySteps.registerNode(registry, operator, nodeKey, models);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
        vm.assertFalse(registry.isNodeApproved(node, MODEL));
    }

    function test_setNodeApproval_approvesAndRevokes() public {
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        RegistrySteps.registerNode(registry, operator, nodeKey, models);
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeApprovalSet(MODEL, node, true);
        vm.prank(modelOwner);
        registry.setNodeApproval(MODEL, node, true);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));

        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeApprovalSet(MODEL, node, false);
        vm.prank(modelOwner);
        registry.setNodeApproval(MODEL, node, false);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
    }

    function test_setNodeApproval_revertsForNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, MODEL, operator, modelOwner));
        vm.prank(operator);
        registry.setNodeApproval(MODEL, node, true);
    }

    function test_setNodeApproval_revertsOnZeroNode() public {
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        vm.prank(modelOwner);
        registry.setNodeApproval(MODEL, address(0), true);
    }

    function test_setModelOpen_authorisesAnyServingNode() public {
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        RegistrySteps.registerNode(registry, operator, nodeKey, models);
        vm.assertFalse(registry.isModelOpen(MODEL));
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelOpenSet(MODEL, true);
        vm.prank(modelOwner);
        registry.setModelOpen(MODEL, true);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));
        // Open does not mean served: the operator still chooses.
        vm.prank(operator);
        registry.setNodeModel(node, MODEL, false);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
        vm.prank(operator);
        registry.setNodeModel(node, MODEL, true);
        vm.prank(modelOwner);
        registry.setModelOpen(MODEL, false);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
    }

    function test_setModelOpen_revertsForNonOwner() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, MODEL, stranger, modelOwner));
        vm.prank(stranger);
        registry.setModelOpen(MODEL, true);
    }

    function test_transfer_clearsApprovalsAndOpenFlag() public {
        _registerNode();
        vm.prank(modelOwner);
        registry.setModelOpen(MODEL, true);
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, stranger, uint256(MODEL));
        vm.assertFalse(registry.isNodeApproved(node, MODEL));
        vm.assertFalse(registry.isModelOpen(MODEL));
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
        // The new owner approves afresh.
        vm.prank(stranger);
        registry.setNodeApproval(MODEL, node, true);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));
    }

    function testFuzz_isNodeAuthorized_isRegisteredServingAndApprovedOrOpen(
        bool registered,
        bool serves,
        bool approved,
        bool open
    ) public {
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        RegistrySteps.registerNode(registry, operator, nodeKey, models);
        vm.startPrank(operator);
        registry.setNodeModel(node, MODEL, serves);
        if (!registered) registry.deregisterNode(node);
        vm.stopPrank();
        vm.startPrank(modelOwner);
        registry.setNodeApproval(MODEL, node, approved);
        registry.setModelOpen(MODEL, open);
        vm.stopPrank();
        vm.assertEq(registry.isNodeAuthorized(node, MODEL), registered && serves && (approved || open));
    }

    function _word(bytes memory data, uint256 offset) internal pure returns (bytes32 word) {
        assembly {
            word := mload(add(add(data, 32), offset))
        }
    }

    function test_setNodeModel_togglesModel() public {
        _registerNode();
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeModelSet(node, MODEL, false);
        vm.prank(operator);
        registry.setNodeModel(node, MODEL, false);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));

        vm.prank(operator);
        registry.setNodeModel(node, MODEL, true);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));
    }

    function test_setNodeModel_revertsForUnregisteredNode() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeNotRegistered.selector, node));
        vm.prank(operator);
        registry.setNodeModel(node, MODEL, true);
    }

    function test_setNodeModel_revertsForNonOperator() public {
        _registerNode();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotNodeOperator.selector, node, stranger, operator));
        vm.prank(stranger);
        registry.setNodeModel(node, MODEL, false);
    }

    function test_setNodeModel_revertsForUnregisteredModel() public {
        _registerNode();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        vm.prank(operator);
        registry.setNodeModel(node, OTHER_MODEL, true);
    }

    function test_deregisterNode_clearsNodeAndModels() public {
        _registerNode();
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeDeregistered(node, operator);
        vm.prank(operator);
        registry.deregisterNode(node);

        vm.assertEq(registry.nodeOperator(node), address(0));
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));

        // Re-registration (by the bound operator) starts from an empty model set.
        RegistrySteps.registerNode(registry, operator, nodeKey, _none());
        vm.assertEq(registry.nodeOperator(node), operator);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
    }

    function test_deregisterNode_revertsForUnregisteredNode() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeNotRegistered.selector, node));
        registry.deregisterNode(node);
    }

    function test_deregisterNode_revertsForNonOperator() public {
        _registerNode();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotNodeOperator.selector, node, stranger, operator));
        vm.prank(stranger);
        registry.deregisterNode(node);
    }

    function test_setNodeEndpoint_setsAndEmits() public {
        _registerNode();
        vm.assertEq(registry.nodeEndpoint(node), "");
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeEndpointSet(node, "https://node.example:8443");
        vm.prank(operator);
        registry.setNodeEndpoint(node, "https://node.example:8443");
        vm.assertEq(registry.nodeEndpoint(node), "https://node.example:8443");

        // An empty endpoint withdraws the advertisement.
        vm.prank(operator);
        registry.setNodeEndpoint(node, "");
        vm.assertEq(registry.nodeEndpoint(node), "");
    }

    function test_setNodeEndpoint_acceptsMaxLength() public {
        _registerNode();
        string memory endpoint = string(new bytes(256));
        vm.prank(operator);
        registry.setNodeEndpoint(node, endpoint);
        vm.assertEq(bytes(registry.nodeEndpoint(node)).length, 256);
    }

    function test_setNodeEndpoint_revertsWhenTooLong() public {
        _registerNode();
        string memory endpoint = string(new bytes(257));
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.EndpointTooLong.selector, node, 257, 256));
        vm.prank(operator);
        registry.setNodeEndpoint(node, endpoint);
    }

    function test_setNodeEndpoint_revertsForNonOperator() public {
        _registerNode();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotNodeOperator.selector, node, stranger, operator));
        vm.prank(stranger);
        registry.setNodeEndpoint(node, "https://evil.example");
    }

    function test_setNodeEndpoint_revertsForUnregisteredNode() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeNotRegistered.selector, node));
        vm.prank(operator);
        registry.setNodeEndpoint(node, "https://node.example");
    }

    function test_deregisterNode_forgetsEndpoint() public {
        _registerNode();
        vm.prank(operator);
        registry.setNodeEndpoint(node, "https://node.example");
        vm.prank(operator);
        registry.deregisterNode(node);
        vm.assertEq(registry.nodeEndpoint(node), "");

        // A new registration of the same key does not inherit the old endpoint.
        RegistrySteps.registerNode(registry, operator, nodeKey, _none());
        vm.assertEq(registry.nodeEndpoint(node), "");
    }

    function test_isNodeAuthorized_ignoresModelDeactivation() public {
        _registerNode();
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, 1, false);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));
    }

    function testFuzz_nodeModelSet_tracksLastWrite(bool[8] calldata serves) public {
        _registerNode();
        for (uint256 i = 0; i < serves.length; ++i) {
            vm.prank(operator);
            registry.setNodeModel(node, MODEL, serves[i]);
            vm.assertEq(registry.isNodeAuthorized(node, MODEL), serves[i]);
        }
    }
}
