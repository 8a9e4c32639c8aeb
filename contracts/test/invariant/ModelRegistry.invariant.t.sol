// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ModelRegistry} from "../../src/ModelRegistry.sol";
import {Console} from "../utils/Console.sol";
import {TestBase} from "../utils/TestBase.sol";
import {ModelRegistryHandler} from "./ModelRegistryHandler.sol";

contract ModelRegistryInvariantTest is TestBase {
    ModelRegistryHandler internal handler;
    ModelRegistry internal registry;

    function setUp() public {
        handler = new ModelRegistryHandler();
        registry = handler.registry();
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: handler.selectors()}));
    }

    /// @dev A key's operator never changes once set: every registration of a key, ever, is by its first operator.
    function invariant_keyOperatorNeverChanges() public view {
        address[] memory nodes = handler.nodes();
        for (uint256 i = 0; i < nodes.length; ++i) {
            address first = handler.ghostFirstOperator(nodes[i]);
            vm.assertEq(registry.nodeKeyOperator(nodes[i]), first, "bound operator");
            address current = registry.nodeOperator(nodes[i]);
            vm.assertTrue(current == address(0) || current == first, "registered by another operator");
        }
    }

    /// @dev Authorised means registered, serving, and approved by the current owner or open.
    function invariant_authorisedOnlyWithOwnersApproval() public view {
        address[] memory nodes = handler.nodes();
        bytes32 model = handler.MODEL();
        for (uint256 i = 0; i < nodes.length; ++i) {
            if (!registry.isNodeAuthorized(nodes[i], model)) continue;
            vm.assertTrue(registry.nodeOperator(nodes[i]) != address(0), "authorised while unregistered");
            vm.assertTrue(
                registry.isNodeApproved(nodes[i], model) || registry.isModelOpen(model), "authorised without approval"
            );
        }
    }

    function afterInvariant() public view {
        Console.log("registrations", handler.calls("registerNode"));
        Console.log("registrations refused", handler.calls("registerNodeRefused"));
        Console.log("model transfers", handler.calls("transferModel"));
    }
}
