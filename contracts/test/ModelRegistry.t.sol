// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ModelRegistry} from "../src/ModelRegistry.sol";
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

    ModelRegistry internal registry;

    address internal modelOwner = makeAddr("modelOwner");
    address internal operator = makeAddr("operator");
    address internal stranger = makeAddr("stranger");
    address internal node = makeAddr("node");

    bytes32 internal constant MODEL = keccak256("model.onnx");
    bytes32 internal constant OTHER_MODEL = keccak256("other.onnx");
    string internal constant URI = "ipfs://model";

    function setUp() public {
        registry = new ModelRegistry();
        vm.prank(modelOwner);
        registry.registerModel(MODEL, URI, 1e12, 500);
    }

    // ------------------------------------------------------------------------------------------------
    // Deployment
    // ------------------------------------------------------------------------------------------------

    function test_constructor_setsNameSymbolAndOwner() public view {
        vm.assertEq(registry.name(), "MobileAIGC Model");
        vm.assertEq(registry.symbol(), "AIGCM");
        vm.assertEq(registry.owner(), address(this));
        vm.assertEq(uint256(registry.MAX_ROYALTY_BPS()), 10_000);
        vm.assertEq(registry.MAX_LINEAGE_LENGTH(), 4);
        vm.assertEq(registry.MAX_ENDPOINT_LENGTH(), 256);
    }

    // ------------------------------------------------------------------------------------------------
    // registerModel
    // ------------------------------------------------------------------------------------------------

    function test_registerModel_mintsTokenAndStoresTerms() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Transfer(address(0), stranger, uint256(OTHER_MODEL));
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelRegistered(OTHER_MODEL, stranger, "ipfs://other", 7, 10_000);
        vm.prank(stranger);
        uint256 tokenId = registry.registerModel(OTHER_MODEL, "ipfs://other", 7, 10_000);

        vm.assertEq(tokenId, uint256(OTHER_MODEL));
        vm.assertEq(registry.ownerOf(tokenId), stranger);
        vm.assertEq(registry.modelOwner(OTHER_MODEL), stranger);
        vm.assertTrue(registry.isModelRegistered(OTHER_MODEL));
        vm.assertEq(registry.tokenURI(tokenId), "ipfs://other");
        ModelRegistry.ModelTerms memory terms = registry.modelTerms(OTHER_MODEL);
        vm.assertEq(uint256(terms.pricePerGeneration), 7);
        vm.assertEq(uint256(terms.royaltyBps), 10_000);
        vm.assertTrue(terms.active);
    }

    function test_registerModel_revertsOnZeroHash() public {
        vm.expectRevert(ModelRegistry.ZeroModelHash.selector);
        registry.registerModel(bytes32(0), URI, 1, 1);
    }

    function test_registerModel_revertsWhenAlreadyRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelAlreadyRegistered.selector, MODEL, modelOwner));
        vm.prank(stranger);
        registry.registerModel(MODEL, URI, 1, 1);
    }

    function test_registerModel_revertsOnRoyaltyTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, uint16(10_001), uint16(10_000)));
        registry.registerModel(OTHER_MODEL, URI, 1, 10_001);
    }

    function testFuzz_registerModel_acceptsAnyRoyaltyUpToMax(bytes32 modelHash, uint16 royaltyBps, uint128 price)
        public
    {
        vm.assume(modelHash != bytes32(0) && modelHash != MODEL);
        if (royaltyBps > 10_000) {
            vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, royaltyBps, uint16(10_000)));
            registry.registerModel(modelHash, URI, price, royaltyBps);
            return;
        }
        registry.registerModel(modelHash, URI, price, royaltyBps);
        ModelRegistry.ModelTerms memory terms = registry.modelTerms(modelHash);
        vm.assertEq(uint256(terms.royaltyBps), royaltyBps);
        vm.assertEq(uint256(terms.pricePerGeneration), price);
    }

    // ------------------------------------------------------------------------------------------------
    // registerDerivedModel / lineage
    // ------------------------------------------------------------------------------------------------

    /// @dev Registers a chain of `count` derivatives under MODEL, each by `stranger`, and returns them, parent first.
    function _deriveChain(uint256 count) internal returns (bytes32[] memory models) {
        models = new bytes32[](count);
        bytes32 parent = MODEL;
        for (uint256 i = 0; i < count; ++i) {
            models[i] = keccak256(abi.encode("derived", i));
            vm.prank(stranger);
            registry.registerDerivedModel(models[i], parent, URI, 1, uint16(100 * (i + 1)));
            parent = models[i];
        }
    }

    function test_registerDerivedModel_storesParentAndEmits() public {
        vm.expectEmit(true, true, true, true, address(registry));
        emit Transfer(address(0), stranger, uint256(OTHER_MODEL));
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelRegistered(OTHER_MODEL, stranger, "ipfs://tuned", 3, 250);
        vm.expectEmit(true, true, true, true, address(registry));
        emit ModelDerived(OTHER_MODEL, MODEL);
        vm.prank(stranger);
        uint256 tokenId = registry.registerDerivedModel(OTHER_MODEL, MODEL, "ipfs://tuned", 3, 250);

        vm.assertEq(tokenId, uint256(OTHER_MODEL));
        vm.assertEq(registry.modelOwner(OTHER_MODEL), stranger);
        vm.assertEq(registry.parentModel(OTHER_MODEL), MODEL);
        vm.assertEq(registry.parentModel(MODEL), bytes32(0));
        bytes32[] memory models = registry.lineage(OTHER_MODEL);
        vm.assertEq(models.length, 2);
        vm.assertEq(models[0], MODEL);
        vm.assertEq(models[1], OTHER_MODEL);
    }

    function test_registerDerivedModel_withZeroParentRegistersRoot() public {
        vm.recordLogs();
        vm.prank(stranger);
        registry.registerDerivedModel(OTHER_MODEL, bytes32(0), URI, 1, 1);
        // Transfer and ModelRegistered only: no ModelDerived.
        vm.assertEq(vm.getRecordedLogs().length, 2);
        vm.assertEq(registry.parentModel(OTHER_MODEL), bytes32(0));
        vm.assertEq(registry.lineage(OTHER_MODEL).length, 1);
    }

    function test_registerDerivedModel_revertsForUnregisteredParent() public {
        bytes32 missing = keccak256("missing.onnx");
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.ParentModelNotRegistered.selector, OTHER_MODEL, missing)
        );
        registry.registerDerivedModel(OTHER_MODEL, missing, URI, 1, 1);
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
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.LineageTooDeep.selector, OTHER_MODEL, chain[2], 5, 4)
        );
        registry.registerDerivedModel(OTHER_MODEL, chain[2], URI, 1, 1);
        // A sibling higher up still fits.
        registry.registerDerivedModel(OTHER_MODEL, chain[1], URI, 1, 1);
        vm.assertEq(registry.lineage(OTHER_MODEL).length, 4);
    }

    function test_registerDerivedModel_revertsWhenAlreadyRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelAlreadyRegistered.selector, MODEL, modelOwner));
        registry.registerDerivedModel(MODEL, MODEL, URI, 1, 1);
    }

    function test_registerDerivedModel_revertsOnZeroHash() public {
        vm.expectRevert(ModelRegistry.ZeroModelHash.selector);
        registry.registerDerivedModel(bytes32(0), MODEL, URI, 1, 1);
    }

    function test_registerDerivedModel_revertsOnRoyaltyTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, uint16(10_001), uint16(10_000)));
        registry.registerDerivedModel(OTHER_MODEL, MODEL, URI, 1, 10_001);
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
        registry.updateTerms(chain[0], 1, 4_321, false);

        ModelRegistry.RoyaltyShare[] memory shares = registry.royaltyLineage(chain[1]);
        vm.assertEq(shares.length, 3);
        vm.assertEq(shares[0].modelHash, MODEL);
        vm.assertEq(shares[0].owner, operator);
        vm.assertEq(uint256(shares[0].royaltyBps), 500);
        vm.assertEq(shares[1].modelHash, chain[0]);
        vm.assertEq(shares[1].owner, stranger);
        vm.assertEq(uint256(shares[1].royaltyBps), 4_321);
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

    function testFuzz_registerDerivedModel_boundsEveryLineage(uint8[8] calldata parentSeeds) public {
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
                vm.expectRevert(
                    abi.encodeWithSelector(ModelRegistry.LineageTooDeep.selector, model, models[parent], 5, 4)
                );
                registry.registerDerivedModel(model, models[parent], URI, 1, 1);
                continue;
            }
            registry.registerDerivedModel(model, models[parent], URI, 1, 1);
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
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.RoyaltyTooHigh.selector, uint16(65_535), uint16(10_000)));
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 9, 65_535, true);
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
        vm.prank(operator);
        registry.registerNode(node, models);
    }

    function test_registerNode_setsOperatorAndModels() public {
        vm.prank(stranger);
        registry.registerModel(OTHER_MODEL, URI, 1, 1);
        bytes32[] memory models = new bytes32[](2);
        models[0] = MODEL;
        models[1] = OTHER_MODEL;

        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeRegistered(node, operator);
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeModelSet(node, MODEL, true);
        vm.expectEmit(true, true, true, true, address(registry));
        emit NodeModelSet(node, OTHER_MODEL, true);
        vm.prank(operator);
        registry.registerNode(node, models);

        vm.assertEq(registry.nodeOperator(node), operator);
        vm.assertTrue(registry.isNodeAuthorized(node, MODEL));
        vm.assertTrue(registry.isNodeAuthorized(node, OTHER_MODEL));
        vm.assertFalse(registry.isNodeAuthorized(node, keccak256("unknown")));
        vm.assertFalse(registry.isNodeAuthorized(stranger, MODEL));
    }

    function test_registerNode_withoutModels() public {
        vm.prank(operator);
        registry.registerNode(node, new bytes32[](0));
        vm.assertEq(registry.nodeOperator(node), operator);
        vm.assertFalse(registry.isNodeAuthorized(node, MODEL));
    }

    function test_registerNode_revertsOnZeroAddress() public {
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        registry.registerNode(address(0), new bytes32[](0));
    }

    function test_registerNode_revertsWhenAlreadyRegistered() public {
        _registerNode();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NodeAlreadyRegistered.selector, node, operator));
        vm.prank(stranger);
        registry.registerNode(node, new bytes32[](0));
    }

    function test_registerNode_revertsForUnregisteredModel() public {
        bytes32[] memory models = new bytes32[](2);
        models[0] = MODEL;
        models[1] = OTHER_MODEL;
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelNotRegistered.selector, OTHER_MODEL));
        vm.prank(operator);
        registry.registerNode(node, models);
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

        // Re-registration starts from an empty model set, whoever the new operator is.
        vm.prank(stranger);
        registry.registerNode(node, new bytes32[](0));
        vm.assertEq(registry.nodeOperator(node), stranger);
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

        // A new operator of the same key does not inherit the old endpoint.
        vm.prank(stranger);
        registry.registerNode(node, new bytes32[](0));
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
