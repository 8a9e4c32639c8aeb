// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ProvenanceLedger} from "../../src/ProvenanceLedger.sol";
import {Console} from "../utils/Console.sol";
import {TestBase} from "../utils/TestBase.sol";
import {ProvenanceLedgerHandler} from "./ProvenanceLedgerHandler.sol";

contract ProvenanceLedgerInvariantTest is TestBase {
    ProvenanceLedgerHandler internal handler;
    ProvenanceLedger internal ledger;

    function setUp() public {
        handler = new ProvenanceLedgerHandler();
        ledger = handler.ledger();
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: handler.selectors()}));
    }

    /// @dev Every batch still reads exactly as it was anchored, with its anchorer, and each anchorer's
    /// sequence ranges stay contiguous whatever the other anchorer does.
    function invariant_anchoredBatchesNeverChange() public view {
        uint256 count = handler.ghostBatchCount();
        vm.assertEq(ledger.batchCount(handler.anchorer()), handler.ghostBatchCountOf(handler.anchorer()), "batch count");
        vm.assertEq(
            ledger.batchCount(handler.otherAnchorer()), handler.ghostBatchCountOf(handler.otherAnchorer()), "other's batch count"
        );
        vm.assertEq(uint256(ledger.nextSequence(handler.anchorer())), uint256(handler.ghostNextSequence()), "next sequence");
        vm.assertEq(uint256(ledger.nextSequence(handler.otherAnchorer())), uint256(handler.ghostOtherNextSequence()), "other's next sequence");
        uint64 expectedFirst = 0;
        uint64 otherExpectedFirst = 0;
        for (uint256 i = 0; i < count; ++i) {
            ProvenanceLedger.AnchoredBatch memory expected = handler.ghostBatch(i);
            ProvenanceLedger.AnchoredBatch memory actual = ledger.batchOfRoot(expected.root);
            vm.assertEq(actual.root, expected.root, "root");
            vm.assertEq(uint256(actual.batchId), uint256(expected.batchId), "batchId");
            vm.assertEq(uint256(actual.firstSequence), uint256(expected.firstSequence), "firstSequence");
            vm.assertEq(uint256(actual.recordCount), uint256(expected.recordCount), "recordCount");
            vm.assertEq(uint256(actual.anchoredAt), uint256(expected.anchoredAt), "anchoredAt");
            vm.assertEq(uint256(actual.blockNumber), uint256(expected.blockNumber), "blockNumber");
            vm.assertEq(ledger.batchIdOfRoot(expected.root), expected.batchId, "batchIdOfRoot");
            vm.assertEq(actual.anchorer, expected.anchorer, "anchorer");
            vm.assertEq(ledger.anchorerOfRoot(expected.root), expected.anchorer, "anchorerOfRoot");
            if (expected.anchorer == handler.anchorer()) {
                vm.assertEq(uint256(expected.firstSequence), uint256(expectedFirst), "contiguous");
                expectedFirst += expected.recordCount;
            } else {
                vm.assertEq(uint256(expected.firstSequence), uint256(otherExpectedFirst), "other contiguous");
                otherExpectedFirst += expected.recordCount;
            }
        }
    }

    /// @dev A record is attested only if its node signed it and was registered and serving the model then.
    function invariant_onlyAuthorisedNodesAttest() public view {
        bytes32[] memory digests = handler.attemptedDigests();
        for (uint256 i = 0; i < digests.length; ++i) {
            uint64 attestedAt = ledger.attestedAt(digests[i]);
            if (attestedAt == 0) continue;
            ProvenanceLedgerHandler.Attestation memory seen = handler.attestation(digests[i]);
            vm.assertTrue(seen.succeeded, "attested without a successful attest call");
            vm.assertTrue(seen.nodeWasAuthorized, "attested for an unauthorised node");
            vm.assertTrue(seen.signedByNode, "attested with a foreign signature");
            vm.assertEq(uint256(attestedAt), uint256(seen.blockNumber), "attestation block changed");
        }
    }

    function afterInvariant() public view {
        Console.log("batches anchored", handler.calls("anchorBatch"));
        Console.log("batches rejected", handler.calls("anchorBatchRejected"));
        Console.log("records attested", handler.calls("attest"));
        Console.log("attestations rejected", handler.calls("attestRejected"));
    }
}
