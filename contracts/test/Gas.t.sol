// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ModelRegistry} from "../src/ModelRegistry.sol";
import {PaymentChannels} from "../src/PaymentChannels.sol";
import {ProvenanceLedger} from "../src/ProvenanceLedger.sol";
import {Console} from "./utils/Console.sol";
import {RegistrySteps} from "./utils/RegistrySteps.sol";
import {TestBase} from "./utils/TestBase.sol";

/// @dev Target of a call that tells whether forge runs each top-level call as its own transaction.
contract GasProbe {
    function ping() external {}
}

/// @notice Gas of the two hot paths, checked against the project's budgets.
/// @dev Each figure is what a transaction pays: `21,000 (base) + calldata cost + execution gas`. Normally forge
/// runs the whole test as one transaction, so the `gasleft()` delta around the call is the execution gas only
/// (plus the CALL's cold account access, 2,600, which a real transaction does not pay: a slight over-estimate)
/// and the base and calldata costs are added here. With `--gas-report` (or `--isolate`) forge runs each
/// top-level call as a transaction of its own and the delta already is the transaction's gas; a probe call
/// tells the two modes apart.
contract GasTest is TestBase {
    event GasMeasured(string name, uint256 totalGas, uint256 perItemGas);

    uint256 internal constant TX_BASE_GAS = 21_000;
    uint256 internal constant RECORDS_PER_BATCH = 1_024;
    /// @dev Issue 16: <= 60 gas per record for the whole transaction (the floor, one fresh slot and the event, is 45.5).
    uint256 internal constant ANCHOR_BUDGET = 60 * RECORDS_PER_BATCH;
    uint256 internal constant CHANNELS = 100;
    uint256 internal constant SETTLE_BUDGET_PER_CHANNEL = 40_000;
    bytes32 internal constant MODEL = keccak256("model.onnx");
    /// @dev A fine-tune of MODEL: its vouchers pay both models' owners.
    bytes32 internal constant DERIVED_MODEL = keccak256("derived.onnx");
    /// @dev The end of the longest lineage the registry accepts: MODEL <- DERIVED_MODEL <- TUNED_MODEL <- DEEPEST_MODEL.
    bytes32 internal constant TUNED_MODEL = keccak256("tuned.onnx");
    bytes32 internal constant DEEPEST_MODEL = keccak256("deepest.onnx");

    ModelRegistry internal registry;
    ProvenanceLedger internal ledger;
    PaymentChannels internal channels;

    address internal anchorer = makeAddr("anchorer");
    address internal provider = makeAddr("provider");
    address internal node;
    uint256 internal nodeKey;
    address internal modelOwner = makeAddr("modelOwner");
    address internal derivedModelOwner = makeAddr("derivedModelOwner");
    address internal tunedModelOwner = makeAddr("tunedModelOwner");
    address internal deepestModelOwner = makeAddr("deepestModelOwner");

    function setUp() public {
        vm.warp(1_750_000_000);
        registry = new ModelRegistry();
        ledger = new ProvenanceLedger(registry, address(this));
        channels = new PaymentChannels(registry);
        ledger.setAnchorer(anchorer, true);
        RegistrySteps.registerModel(registry, modelOwner, MODEL, bytes32(0), "ipfs://model", 1e12, 1_000);
        RegistrySteps.registerModel(registry, derivedModelOwner, DERIVED_MODEL, MODEL, "ipfs://derived", 2e12, 500);
        RegistrySteps.registerModel(registry, tunedModelOwner, TUNED_MODEL, DERIVED_MODEL, "ipfs://tuned", 3e12, 250);
        RegistrySteps.registerModel(registry, deepestModelOwner, DEEPEST_MODEL, TUNED_MODEL, "ipfs://deepest", 4e12, 125);
        // Channels are bound to a node serving the model, with its owner's approval; its operator is the provider
        // who settles.
        bytes32[] memory served = new bytes32[](3);
        served[0] = MODEL;
        served[1] = DERIVED_MODEL;
        served[2] = DEEPEST_MODEL;
        (node, nodeKey) = makeAddrAndKey("node");
        RegistrySteps.registerNode(registry, provider, nodeKey, served);
        for (uint256 i = 0; i < served.length; i++) {
            RegistrySteps.approve(registry, served[i], node);
        }

        // State is prepared here, in its own transaction, so that the measured calls find every storage slot
        // and account cold, as a real transaction would.
        // Steady state of the ledger: it already holds a batch, as it will in production.
        vm.prank(anchorer);
        ledger.anchorBatch(keccak256("previous root"), 0, uint32(RECORDS_PER_BATCH));
        bytes32[3] memory models = [MODEL, DERIVED_MODEL, DEEPEST_MODEL];
        for (uint256 i = 0; i < 3 * CHANNELS; ++i) {
            (address creator,) = _creator(i);
            vm.deal(creator, 1 ether);
            vm.prank(creator);
            channelIds.push(
                channels.openChannel{value: 1 ether}(
                    node, models[i / CHANNELS], address(0), 1 ether, uint64(block.timestamp + 1 days)
                )
            );
        }
    }

    /// @dev CHANNELS channels for MODEL, then CHANNELS for DERIVED_MODEL, then CHANNELS for DEEPEST_MODEL.
    bytes32[] internal channelIds;

    function _creator(uint256 i) internal returns (address creator, uint256 key) {
        // A distinct creator per channel, as in production.
        (creator, key) = makeAddrAndKey(string(abi.encodePacked("creator", vm.toString(i))));
    }

    /// @dev Gas a transaction sending `data` and executing for `delta` (the measured `gasleft()` delta) pays.
    function _transactionGas(bytes memory data, uint256 delta) internal returns (uint256) {
        GasProbe probe = new GasProbe();
        uint256 before = gasleft();
        probe.ping();
        bool isolated = before - gasleft() >= TX_BASE_GAS;
        return isolated ? delta : TX_BASE_GAS + _calldataGas(data) + delta;
    }

    /// @dev Calldata cost under EIP-2028: 4 gas per zero byte, 16 per non-zero byte.
    function _calldataGas(bytes memory data) internal pure returns (uint256 gas) {
        for (uint256 i = 0; i < data.length; ++i) {
            gas += data[i] == 0 ? 4 : 16;
        }
    }

    function test_gas_anchorBatch() public {
        bytes32 root = keccak256("root of 1024 records");
        uint64 first = uint64(RECORDS_PER_BATCH);
        bytes memory data = abi.encodeCall(ProvenanceLedger.anchorBatch, (root, first, uint32(RECORDS_PER_BATCH)));

        vm.prank(anchorer);
        uint256 before = gasleft();
        ledger.anchorBatch(root, first, uint32(RECORDS_PER_BATCH));
        uint256 execution = before - gasleft();

        uint256 total = _transactionGas(data, execution);
        Console.log("anchorBatch measured gas delta", execution);
        Console.log("anchorBatch total gas (incl. 21000 base + calldata)", total);
        Console.log("anchorBatch gas per record (1024 records)", total / RECORDS_PER_BATCH);
        emit GasMeasured("anchorBatch", total, total / RECORDS_PER_BATCH);
        vm.assertLe(total, ANCHOR_BUDGET, "anchorBatch over 60 gas per record");
    }

    function test_gas_settle100EthChannels() public {
        uint256 totalPaid = _measureSettle(0, "settle(100 ETH channels)", "settle100EthChannels");
        vm.assertEq(
            channels.balanceOf(address(0), provider) + channels.balanceOf(address(0), modelOwner), totalPaid
        );
    }

    /// @dev The same batch for a derivative model: every voucher also credits the parent model's owner and emits
    /// the lineage royalty events.
    function test_gas_settle100EthChannelsOfDerivedModel() public {
        uint256 totalPaid =
            _measureSettle(CHANNELS, "settle(100 ETH channels, derived model)", "settle100EthChannelsDerivedModel");
        uint256 parentRoyalty = channels.balanceOf(address(0), modelOwner);
        uint256 ownRoyalty = channels.balanceOf(address(0), derivedModelOwner);
        vm.assertEq(parentRoyalty, totalPaid / 10);
        vm.assertEq(ownRoyalty, totalPaid / 20);
        vm.assertEq(channels.balanceOf(address(0), provider) + parentRoyalty + ownRoyalty, totalPaid);
    }

    /// @dev The longest lineage (four models, four royalty credits and events per voucher): measured and logged, held
    /// to the same budget.
    function test_gas_settle100EthChannelsOfDeepestLineage() public {
        uint256 totalPaid = _measureSettle(
            2 * CHANNELS, "settle(100 ETH channels, lineage of 4 models)", "settle100EthChannelsLineageOf4"
        );
        vm.assertEq(channels.balanceOf(address(0), modelOwner), totalPaid / 10);
        vm.assertEq(channels.balanceOf(address(0), deepestModelOwner), totalPaid / 80);
    }

    /// @dev Settles channels `first` to `first + CHANNELS - 1` in one call, logs and checks its gas per channel.
    function _measureSettle(uint256 first, string memory label, string memory name) internal returns (uint256 totalPaid) {
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](CHANNELS);
        for (uint256 i = 0; i < CHANNELS; ++i) {
            (, uint256 key) = _creator(first + i);
            bytes32 channelId = channelIds[first + i];
            uint256 amount = 0.01 ether + i * 1e12;
            vouchers[i] = PaymentChannels.SignedVoucher(
                channelId, amount, 7, signDigest(key, channels.hashVoucher(channelId, amount, 7))
            );
        }
        bytes memory data = abi.encodeCall(PaymentChannels.settle, (vouchers));

        vm.prank(provider);
        uint256 before = gasleft();
        totalPaid = channels.settle(vouchers);
        uint256 execution = before - gasleft();

        uint256 total = _transactionGas(data, execution);
        uint256 perChannel = total / CHANNELS;
        Console.log(string.concat(label, " measured gas delta"), execution);
        Console.log(string.concat(label, " calldata gas"), _calldataGas(data));
        Console.log(string.concat(label, " total gas (incl. 21000 base + calldata)"), total);
        Console.log(string.concat(label, " gas per channel"), perChannel);
        emit GasMeasured(name, total, perChannel);
        vm.assertLe(perChannel, SETTLE_BUDGET_PER_CHANNEL, "settle over 40000 gas per channel");
    }
}
