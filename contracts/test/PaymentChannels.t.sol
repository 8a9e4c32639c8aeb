// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {ModelRegistry} from "../src/ModelRegistry.sol";
import {PaymentChannels} from "../src/PaymentChannels.sol";
import {MockERC20, FeeOnTransferERC20} from "./mocks/MockERC20.sol";
import {RegistrySteps} from "./utils/RegistrySteps.sol";
import {RoyaltySplit} from "./utils/RoyaltySplit.sol";
import {TestBase} from "./utils/TestBase.sol";
import {Vm} from "./utils/Vm.sol";

/// @dev Refuses ETH, to show that credits of a reverting recipient stay withdrawable later.
contract EthRefuser {
    bool public accept;

    function setAccept(bool value) external {
        accept = value;
    }

    function withdrawFrom(PaymentChannels channels) external returns (uint256) {
        return channels.withdraw(address(0));
    }

    receive() external payable {
        require(accept, "no ETH");
    }
}

/// @dev Tries to withdraw again while receiving ETH.
contract ReentrantWithdrawer {
    PaymentChannels public channels;

    constructor(PaymentChannels channels_) {
        channels = channels_;
    }

    function withdraw() external {
        channels.withdraw(address(0));
    }

    receive() external payable {
        channels.withdraw(address(0));
    }
}

contract PaymentChannelsTest is TestBase {
    event ChannelOpened(
        bytes32 indexed channelId,
        address indexed creator,
        address indexed provider,
        address node,
        bytes32 modelHash,
        address token,
        uint128 deposit,
        uint64 expiresAt,
        uint128 pricePerGeneration,
        uint16[] royaltyBps
    );
    event VoucherSkipped(
        bytes32 indexed channelId, address indexed settler, uint64 nonce, PaymentChannels.SkipReason reason
    );
    event ChannelToppedUp(bytes32 indexed channelId, address indexed funder, uint128 amount, uint128 deposit);
    event ChannelExtended(bytes32 indexed channelId, uint64 expiresAt);
    event ChannelSettled(
        bytes32 indexed channelId,
        address indexed provider,
        bytes32 indexed modelHash,
        uint64 nonce,
        uint256 cumulativeAmount,
        uint256 payment,
        uint256 royalty,
        address royaltyRecipient
    );
    event LineageRoyaltiesPaid(bytes32 indexed channelId, PaymentChannels.LineagePayout[] payouts);
    event ChannelClosed(bytes32 indexed channelId, address indexed creator, uint256 refund);
    event Withdrawn(address indexed token, address indexed account, uint256 amount);

    bytes32 internal constant MODEL = keccak256("model.onnx");
    bytes32 internal constant OTHER_MODEL = keccak256("other.onnx");
    bytes32 internal constant CHILD_MODEL = keccak256("child.onnx"); // derived from MODEL
    bytes32 internal constant GRANDCHILD_MODEL = keccak256("grandchild.onnx"); // derived from CHILD_MODEL
    uint16 internal constant ROYALTY_BPS = 1_000; // 10 %
    uint64 internal constant START = 1_750_000_000;
    uint64 internal constant EXPIRY = START + 1 days;

    ModelRegistry internal registry;
    PaymentChannels internal channels;
    MockERC20 internal token;

    address internal modelOwner = makeAddr("modelOwner");
    address internal provider = makeAddr("provider");
    /// @dev The node every channel of these tests is bound to, operated by `provider`.
    address internal node;
    uint256 internal nodeKey;
    address internal stranger = makeAddr("stranger");
    address internal childOwner = makeAddr("childOwner");
    address internal grandchildOwner = makeAddr("grandchildOwner");
    address internal creator;
    uint256 internal creatorKey;

    function setUp() public {
        vm.warp(START);
        (creator, creatorKey) = makeAddrAndKey("creator");
        (node, nodeKey) = makeAddrAndKey("node");
        registry = new ModelRegistry();
        channels = new PaymentChannels(registry);
        token = new MockERC20("Test Token", "TT");
        RegistrySteps.registerModel(registry, modelOwner, MODEL, bytes32(0), "ipfs://model", 1e12, ROYALTY_BPS);
        _serve(MODEL);
        vm.deal(creator, 1_000 ether);
        vm.deal(stranger, 1_000 ether);
        token.mint(creator, 1_000_000e18);
        vm.prank(creator);
        token.approve(address(channels), type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    /// @dev Makes `node` (operated by `provider`) serve `model` with its owner's approval, registering the node with
    /// its key's consent on first use.
    function _serve(bytes32 model) internal {
        if (registry.nodeOperator(node) == address(0)) {
            RegistrySteps.registerNode(registry, provider, nodeKey, new bytes32[](0));
        }
        vm.prank(provider);
        registry.setNodeModel(node, model, true);
        RegistrySteps.approve(registry, model, node);
    }

    /// @dev Expects `settle` to skip the voucher `(channelId, nonce)` for `reason`.
    function _expectSkip(bytes32 channelId, uint64 nonce, PaymentChannels.SkipReason reason) internal {
        vm.expectEmit(true, true, true, true, address(channels));
        emit VoucherSkipped(channelId, provider, nonce, reason);
    }

    function _openEth(uint128 amount) internal returns (bytes32 channelId) {
        vm.prank(creator);
        channelId = channels.openChannel{value: amount}(node, MODEL, address(0), amount, EXPIRY);
    }

    function _openToken(uint128 amount) internal returns (bytes32 channelId) {
        vm.prank(creator);
        channelId = channels.openChannel(node, MODEL, address(token), amount, EXPIRY);
    }

    function _voucher(bytes32 channelId, uint256 cumulativeAmount, uint64 nonce)
        internal
        view
        returns (PaymentChannels.SignedVoucher memory)
    {
        return _voucherBy(creatorKey, channelId, cumulativeAmount, nonce);
    }

    function _voucherBy(uint256 key, bytes32 channelId, uint256 cumulativeAmount, uint64 nonce)
        internal
        view
        returns (PaymentChannels.SignedVoucher memory)
    {
        bytes memory signature = signDigest(key, channels.hashVoucher(channelId, cumulativeAmount, nonce));
        return PaymentChannels.SignedVoucher(channelId, cumulativeAmount, nonce, signature);
    }

    function _one(PaymentChannels.SignedVoucher memory voucher)
        internal
        pure
        returns (PaymentChannels.SignedVoucher[] memory vouchers)
    {
        vouchers = new PaymentChannels.SignedVoucher[](1);
        vouchers[0] = voucher;
    }

    function _settle(PaymentChannels.SignedVoucher memory voucher) internal returns (uint256) {
        vm.prank(provider);
        return channels.settle(_one(voucher));
    }

    /// @dev MODEL (10 %) <- CHILD_MODEL (`childBps`) <- GRANDCHILD_MODEL (`grandchildBps`), each with its own owner.
    function _registerLineage(uint16 childBps, uint16 grandchildBps) internal {
        RegistrySteps.registerModel(registry, childOwner, CHILD_MODEL, MODEL, "ipfs://child", 1, childBps);
        RegistrySteps.registerModel(registry, grandchildOwner, GRANDCHILD_MODEL, CHILD_MODEL, "ipfs://grandchild", 1, grandchildBps);
        _serve(CHILD_MODEL);
        _serve(GRANDCHILD_MODEL);
    }

    function _openEthFor(bytes32 model, uint128 amount) internal returns (bytes32 channelId) {
        vm.prank(creator);
        channelId = channels.openChannel{value: amount}(node, model, address(0), amount, EXPIRY);
    }

    function _payouts(bytes32[3] memory models, address[3] memory recipients, uint256[3] memory amounts)
        internal
        pure
        returns (PaymentChannels.LineagePayout[] memory payouts)
    {
        payouts = new PaymentChannels.LineagePayout[](3);
        for (uint256 i = 0; i < 3; ++i) {
            payouts[i] = PaymentChannels.LineagePayout(models[i], recipients[i], amounts[i]);
        }
    }

    /// @dev How many logs of `topic0` were recorded (after {Vm-recordLogs}).
    function _countLogs(bytes32 topic0) internal returns (uint256 count) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == topic0) ++count;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Deployment and hashing
    // ------------------------------------------------------------------------------------------------

    function test_constructor_revertsOnZeroRegistry() public {
        vm.expectRevert(PaymentChannels.ZeroAddress.selector);
        new PaymentChannels(ModelRegistry(address(0)));
    }

    function test_domainSeparator_andVoucherHash() public view {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("MobileAigcPaymentChannels"),
                keccak256("1"),
                block.chainid,
                address(channels)
            )
        );
        vm.assertEq(channels.domainSeparator(), domain);
        bytes32 typeHash = keccak256("PaymentVoucher(bytes32 channelId,uint256 cumulativeAmount,uint64 nonce)");
        vm.assertEq(channels.PAYMENT_VOUCHER_TYPEHASH(), typeHash);
        bytes32 structHash = keccak256(abi.encode(typeHash, bytes32(uint256(1)), uint256(2), uint64(3)));
        vm.assertEq(
            channels.hashVoucher(bytes32(uint256(1)), 2, 3), keccak256(abi.encodePacked(hex"1901", domain, structHash))
        );
        vm.assertEq(channels.MAX_SETTLEMENT_BATCH(), 512);
    }

    // ------------------------------------------------------------------------------------------------
    // openChannel
    // ------------------------------------------------------------------------------------------------

    function test_openChannel_eth() public {
        bytes32 expectedId = keccak256(abi.encode(block.chainid, address(channels), creator, uint256(0)));
        vm.expectEmit(true, true, true, true, address(channels));
        uint16[] memory rates = new uint16[](1);
        rates[0] = ROYALTY_BPS;
        emit ChannelOpened(expectedId, creator, provider, node, MODEL, address(0), 1 ether, EXPIRY, 1e12, rates);
        bytes32 channelId = _openEth(1 ether);

        vm.assertEq(channelId, expectedId);
        vm.assertEq(address(channels).balance, 1 ether);
        PaymentChannels.Channel memory c = channels.channel(channelId);
        vm.assertEq(c.creator, creator);
        vm.assertEq(c.provider, provider);
        vm.assertEq(c.node, node);
        vm.assertEq(uint256(c.pricePerGeneration), 1e12);
        vm.assertEq(c.royaltyBps.length, 1);
        vm.assertEq(uint256(c.royaltyBps[0]), ROYALTY_BPS);
        vm.assertEq(c.token, address(0));
        vm.assertEq(c.modelHash, MODEL);
        vm.assertEq(uint256(c.deposit), 1 ether);
        vm.assertEq(uint256(c.paid), 0);
        vm.assertEq(uint256(c.expiresAt), EXPIRY);
        vm.assertEq(uint256(c.lastNonce), 0);
        vm.assertFalse(c.closed);

        bytes32 second = _openEth(1 ether);
        vm.assertEq(second, keccak256(abi.encode(block.chainid, address(channels), creator, uint256(1))));
    }

    function test_openChannel_bindsTheNodeAndPaysItsOperator() public {
        // The creator names a node; the provider is whoever operates it, not an address the creator picks.
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.Channel memory c = channels.channel(channelId);
        vm.assertEq(c.node, node);
        vm.assertEq(c.provider, registry.nodeOperator(node));
    }

    function test_openChannel_revertsWhenTheNodeChangedOperator() public {
        _openEth(1 ether);
        vm.prank(provider);
        registry.deregisterNode(node);
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        // The registry binds the node key to its first operator for ever: another operator cannot take it ...
        bytes memory consent = RegistrySteps.consent(registry, nodeKey, stranger, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.NodeKeyBoundToOtherOperator.selector, node, provider)
        );
        vm.prank(stranger);
        registry.registerNode(node, models, block.timestamp, consent);
        // ... and should a registry ever report another operator, the channel contract still refuses it.
        RegistrySteps.registerNode(registry, provider, nodeKey, models);
        vm.mockCall(
            address(registry), abi.encodeCall(ModelRegistry.nodeOperator, (node)), abi.encode(stranger)
        );
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.NodeOperatorChanged.selector, node, provider, stranger));
        vm.prank(creator);
        channels.openChannel{value: 1}(node, MODEL, address(0), 1, EXPIRY);
    }

    function test_settle_byTheNodeCreditsTheProvider() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelSettled(channelId, provider, MODEL, 1, 0.5 ether, 0.5 ether, 0.05 ether, modelOwner);
        PaymentChannels.SignedVoucher[] memory vouchers = _one(_voucher(channelId, 0.5 ether, 1));
        vm.prank(node);
        vm.assertEq(channels.settle(vouchers), 0.5 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.45 ether);
        vm.assertEq(channels.balanceOf(address(0), node), 0);
    }

    function test_settle_creditsEachNodesProviderInOneBatch() public {
        address otherOperator = makeAddr("otherOperator");
        (, uint256 otherNodeKey) = makeAddrAndKey("otherNode");
        bytes32[] memory models = new bytes32[](1);
        models[0] = MODEL;
        address otherNode = RegistrySteps.registerNode(registry, otherOperator, otherNodeKey, models);
        RegistrySteps.approve(registry, MODEL, otherNode);
        bytes32 a = _openEth(1 ether);
        vm.prank(creator);
        bytes32 b = channels.openChannel{value: 1 ether}(otherNode, MODEL, address(0), 1 ether, EXPIRY);
        bytes32 c = _openEth(1 ether);
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](3);
        vouchers[0] = _voucher(a, 0.1 ether, 1);
        vouchers[1] = _voucher(b, 0.2 ether, 1);
        vouchers[2] = _voucher(c, 0.3 ether, 1);
        // The provider of a and c settles all three: b is not its channel and is skipped.
        _expectSkip(b, 1, PaymentChannels.SkipReason.NotChannelProvider);
        vm.prank(provider);
        vm.assertEq(channels.settle(vouchers), 0.4 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.36 ether);
        vouchers = _one(_voucher(b, 0.2 ether, 1));
        vm.prank(otherNode);
        channels.settle(vouchers);
        vm.assertEq(channels.balanceOf(address(0), otherOperator), 0.18 ether);
        vm.assertEq(channels.channel(b).provider, otherOperator);
    }

    function test_openChannel_revertsForNodeNotServingTheModel() public {
        RegistrySteps.registerModel(registry, stranger, OTHER_MODEL, bytes32(0), "ipfs://other", 1, 0);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.NodeNotAuthorized.selector, node, OTHER_MODEL));
        vm.prank(creator);
        channels.openChannel{value: 1}(node, OTHER_MODEL, address(0), 1, EXPIRY);
    }

    function test_openChannel_revertsForUnregisteredNode() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.NodeNotAuthorized.selector, stranger, MODEL));
        vm.prank(creator);
        channels.openChannel{value: 1}(stranger, MODEL, address(0), 1, EXPIRY);
    }

    function test_openChannel_snapshotsPriceAndEveryLineageRate() public {
        _registerLineage(500, 250);
        vm.prank(grandchildOwner);
        registry.updateTerms(GRANDCHILD_MODEL, 7e9, 250, true);
        bytes32 channelId = _openEthFor(GRANDCHILD_MODEL, 1 ether);
        PaymentChannels.Channel memory c = channels.channel(channelId);
        vm.assertEq(uint256(c.pricePerGeneration), 7e9);
        vm.assertEq(c.royaltyBps.length, 3);
        vm.assertEq(uint256(c.royaltyBps[0]), ROYALTY_BPS);
        vm.assertEq(uint256(c.royaltyBps[1]), 500);
        vm.assertEq(uint256(c.royaltyBps[2]), 250);

        // Terms changed afterwards do not reach the open channel's snapshot.
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, 2_000, true);
        vm.prank(grandchildOwner);
        registry.updateTerms(GRANDCHILD_MODEL, 1 ether, 2_000, true);
        c = channels.channel(channelId);
        vm.assertEq(uint256(c.pricePerGeneration), 7e9);
        vm.assertEq(uint256(c.royaltyBps[0]), ROYALTY_BPS);
        vm.assertEq(uint256(c.royaltyBps[2]), 250);
    }

    function test_openChannel_token() public {
        bytes32 channelId = _openToken(500e18);
        vm.assertEq(token.balanceOf(address(channels)), 500e18);
        vm.assertEq(channels.channel(channelId).token, address(token));
    }

    function test_openChannel_revertsOnZeroNode() public {
        vm.expectRevert(PaymentChannels.ZeroAddress.selector);
        vm.prank(creator);
        channels.openChannel{value: 1}(address(0), MODEL, address(0), 1, EXPIRY);
    }

    function test_openChannel_revertsOnZeroAmount() public {
        vm.expectRevert(PaymentChannels.ZeroAmount.selector);
        vm.prank(creator);
        channels.openChannel(node, MODEL, address(0), 0, EXPIRY);
    }

    function test_openChannel_revertsOnPastExpiry() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ExpiryNotInFuture.selector, START, START));
        vm.prank(creator);
        channels.openChannel{value: 1}(node, MODEL, address(0), 1, START);
    }

    function test_openChannel_revertsOnUnregisteredModel() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ModelNotRegistered.selector, OTHER_MODEL));
        vm.prank(creator);
        channels.openChannel{value: 1}(node, OTHER_MODEL, address(0), 1, EXPIRY);
    }

    function test_openChannel_revertsOnInactiveModel() public {
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, ROYALTY_BPS, false);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ModelInactive.selector, MODEL));
        vm.prank(creator);
        channels.openChannel{value: 1}(node, MODEL, address(0), 1, EXPIRY);
    }

    function test_openChannel_revertsOnEthMismatch() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.EthAmountMismatch.selector, 2 ether, 1 ether));
        vm.prank(creator);
        channels.openChannel{value: 1 ether}(node, MODEL, address(0), 2 ether, EXPIRY);
    }

    function test_openChannel_revertsOnEthWithToken() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.UnexpectedEth.selector, 1));
        vm.prank(creator);
        channels.openChannel{value: 1}(node, MODEL, address(token), 100, EXPIRY);
    }

    function test_openChannel_revertsOnFeeOnTransferToken() public {
        FeeOnTransferERC20 feeToken = new FeeOnTransferERC20();
        feeToken.mint(creator, 1_000);
        vm.startPrank(creator);
        feeToken.approve(address(channels), 1_000);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.TokenTransferShortfall.selector, address(feeToken), 1_000, 990)
        );
        channels.openChannel(node, MODEL, address(feeToken), 1_000, EXPIRY);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------------------------------------
    // topUp
    // ------------------------------------------------------------------------------------------------

    function test_topUp_byAnyone() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelToppedUp(channelId, stranger, 0.5 ether, 1.5 ether);
        vm.prank(stranger);
        channels.topUp{value: 0.5 ether}(channelId, 0.5 ether);
        vm.assertEq(uint256(channels.channel(channelId).deposit), 1.5 ether);
        vm.assertEq(address(channels).balance, 1.5 ether);
    }

    function test_topUp_token() public {
        bytes32 channelId = _openToken(100);
        vm.prank(creator);
        channels.topUp(channelId, 50);
        vm.assertEq(uint256(channels.channel(channelId).deposit), 150);
        vm.assertEq(token.balanceOf(address(channels)), 150);
    }

    function test_topUp_revertsOnUnknownChannel() public {
        bytes32 channelId = keccak256("nope");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelNotFound.selector, channelId));
        channels.topUp{value: 1}(channelId, 1);
    }

    function test_topUp_revertsOnZeroAmount() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectRevert(PaymentChannels.ZeroAmount.selector);
        channels.topUp(channelId, 0);
    }

    function test_topUp_revertsOnEthMismatch() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.EthAmountMismatch.selector, 2, 1));
        vm.prank(stranger);
        channels.topUp{value: 1}(channelId, 2);
    }

    function test_topUp_revertsOnEthForTokenChannel() public {
        bytes32 channelId = _openToken(100);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.UnexpectedEth.selector, 5));
        vm.prank(creator);
        channels.topUp{value: 5}(channelId, 50);
    }

    function test_settle_providerOwningTheModelGetsBoth() public {
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, provider, uint256(MODEL));
        // A transfer voids the previous owner's approvals: the new owner approves the node again.
        RegistrySteps.approve(registry, MODEL, node);
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), provider), 1 ether);
    }

    function test_topUp_revertsOnExpiredChannel() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelExpired.selector, channelId, EXPIRY, EXPIRY));
        vm.prank(stranger);
        channels.topUp{value: 1}(channelId, 1);
    }

    function test_topUp_revertsOnClosedChannel() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY);
        vm.prank(creator);
        channels.closeExpired(channelId);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelIsClosed.selector, channelId));
        vm.prank(stranger);
        channels.topUp{value: 1}(channelId, 1);
    }

    // ------------------------------------------------------------------------------------------------
    // extend
    // ------------------------------------------------------------------------------------------------

    function test_extend_movesExpiry() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelExtended(channelId, EXPIRY + 1 days);
        vm.prank(creator);
        channels.extend(channelId, EXPIRY + 1 days);
        vm.assertEq(uint256(channels.channel(channelId).expiresAt), EXPIRY + 1 days);
    }

    function test_extend_reopensExpiredChannelForSettlement() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY + 10);
        vm.prank(creator);
        channels.extend(channelId, EXPIRY + 1 days);
        _settle(_voucher(channelId, 0.1 ether, 1));
        vm.assertEq(uint256(channels.channel(channelId).paid), 0.1 ether);
    }

    function test_extend_revertsForNonCreator() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.NotChannelCreator.selector, channelId, provider, creator)
        );
        vm.prank(provider);
        channels.extend(channelId, EXPIRY + 1);
    }

    function test_extend_revertsWhenNotLater() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ExpiryNotExtended.selector, channelId, EXPIRY, EXPIRY)
        );
        vm.prank(creator);
        channels.extend(channelId, EXPIRY);
    }

    function test_extend_revertsOnClosedChannel() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY);
        vm.startPrank(creator);
        channels.closeExpired(channelId);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelIsClosed.selector, channelId));
        channels.extend(channelId, EXPIRY + 1 days);
        vm.stopPrank();
    }

    function test_extend_revertsOnUnknownChannel() public {
        bytes32 channelId = keccak256("nope");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelNotFound.selector, channelId));
        channels.extend(channelId, EXPIRY);
    }

    // ------------------------------------------------------------------------------------------------
    // settle
    // ------------------------------------------------------------------------------------------------

    function test_settle_creditsProviderAndRoyalty() public {
        bytes32 channelId = _openEth(1 ether);
        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelSettled(channelId, provider, MODEL, 1, 0.3 ether, 0.3 ether, 0.03 ether, modelOwner);
        uint256 total = _settle(_voucher(channelId, 0.3 ether, 1));

        vm.assertEq(total, 0.3 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.27 ether);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.03 ether);
        PaymentChannels.Channel memory c = channels.channel(channelId);
        vm.assertEq(uint256(c.paid), 0.3 ether);
        vm.assertEq(uint256(c.lastNonce), 1);

        // A later voucher pays the difference only.
        total = _settle(_voucher(channelId, 0.5 ether, 5));
        vm.assertEq(total, 0.2 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.45 ether);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.05 ether);
    }

    function test_settle_manyChannelsAndTokens() public {
        RegistrySteps.registerModel(registry, stranger, OTHER_MODEL, bytes32(0), "ipfs://other", 1, 2_000);
        _serve(OTHER_MODEL);
        bytes32 a = _openEth(1 ether);
        bytes32 b = _openToken(1_000);
        vm.prank(creator);
        bytes32 c = channels.openChannel{value: 2 ether}(node, OTHER_MODEL, address(0), 2 ether, EXPIRY);
        bytes32 d = _openEth(1 ether);

        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](5);
        vouchers[0] = _voucher(a, 0.1 ether, 1);
        vouchers[1] = _voucher(b, 400, 1);
        vouchers[2] = _voucher(c, 1 ether, 1);
        vouchers[3] = _voucher(d, 0.2 ether, 1);
        vouchers[4] = _voucher(a, 0.4 ether, 2); // the same channel again, later voucher
        vm.prank(provider);
        uint256 total = channels.settle(vouchers);

        vm.assertEq(total, 0.4 ether + 400 + 1 ether + 0.2 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.54 ether + 0.8 ether);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.06 ether);
        vm.assertEq(channels.balanceOf(address(0), stranger), 0.2 ether);
        vm.assertEq(channels.balanceOf(address(token), provider), 360);
        vm.assertEq(channels.balanceOf(address(token), modelOwner), 40);
        vm.assertEq(uint256(channels.channel(a).paid), 0.4 ether);
        vm.assertEq(uint256(channels.channel(a).lastNonce), 2);
    }

    function test_settle_paysCurrentModelOwner() public {
        bytes32 channelId = _openEth(1 ether);
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, stranger, uint256(MODEL));
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), stranger), 0.1 ether);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0);
    }

    function test_settle_paysOpeningRoyaltyNotTheChangedOne() public {
        bytes32 channelId = _openEth(1 ether);
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, 2_000, true); // raised to the maximum under an open channel
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.1 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.9 ether);
        // A channel opened after the change pays the new terms.
        bytes32 later = _openEth(1 ether);
        vm.assertEq(uint256(channels.channel(later).pricePerGeneration), 1);
        _settle(_voucher(later, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.3 ether);
        vm.assertEq(uint256(channels.channel(channelId).pricePerGeneration), 1e12);
    }

    function test_settle_paysAfterModelDeactivated() public {
        bytes32 channelId = _openEth(1 ether);
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, ROYALTY_BPS, false);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), provider), 0.9 ether);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.1 ether);
    }

    function test_settle_paysLineageRootFirst() public {
        _registerLineage(500, 250);
        bytes32 channelId = _openEthFor(GRANDCHILD_MODEL, 1 ether);

        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelSettled(channelId, provider, GRANDCHILD_MODEL, 1, 1 ether, 1 ether, 0.175 ether, grandchildOwner);
        vm.expectEmit(true, true, true, true, address(channels));
        emit LineageRoyaltiesPaid(
            channelId,
            _payouts(
                [MODEL, CHILD_MODEL, GRANDCHILD_MODEL],
                [modelOwner, childOwner, grandchildOwner],
                [uint256(0.1 ether), 0.05 ether, 0.025 ether]
            )
        );
        vm.assertEq(_settle(_voucher(channelId, 1 ether, 1)), 1 ether);

        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.1 ether);
        vm.assertEq(channels.balanceOf(address(0), childOwner), 0.05 ether);
        vm.assertEq(channels.balanceOf(address(0), grandchildOwner), 0.025 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.825 ether);
    }

    function test_settle_rootModelEmitsNoLineageEvents() public {
        bytes32 channelId = _openEth(1 ether);
        vm.recordLogs();
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(_countLogs(LineageRoyaltiesPaid.selector), 0);
    }

    function test_settle_lineageListsZeroShares() public {
        _registerLineage(0, 300);
        bytes32 channelId = _openEthFor(GRANDCHILD_MODEL, 1 ether);
        // Every lineage model is listed, CHILD_MODEL with its zero share.
        vm.expectEmit(true, true, true, true, address(channels));
        emit LineageRoyaltiesPaid(
            channelId,
            _payouts(
                [MODEL, CHILD_MODEL, GRANDCHILD_MODEL],
                [modelOwner, childOwner, grandchildOwner],
                [uint256(0.1 ether), 0, 0.03 ether]
            )
        );
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), childOwner), 0);
        vm.assertEq(channels.balanceOf(address(0), grandchildOwner), 0.03 ether);
    }

    function test_settle_oneLineageEventPerDerivativeVoucher() public {
        _registerLineage(500, 250);
        bytes32 a = _openEthFor(GRANDCHILD_MODEL, 1 ether);
        bytes32 b = _openEth(1 ether);
        bytes32 c = _openEthFor(CHILD_MODEL, 1 ether);
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](3);
        vouchers[0] = _voucher(a, 1 ether, 1);
        vouchers[1] = _voucher(b, 1 ether, 1);
        vouchers[2] = _voucher(c, 1 ether, 1);
        vm.recordLogs();
        vm.prank(provider);
        channels.settle(vouchers);
        // The root model's voucher has none; each derivative voucher's event follows its ChannelSettled.
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 5);
        bytes32[5] memory expected = [
            ChannelSettled.selector,
            LineageRoyaltiesPaid.selector,
            ChannelSettled.selector,
            ChannelSettled.selector,
            LineageRoyaltiesPaid.selector
        ];
        for (uint256 i = 0; i < 5; ++i) {
            vm.assertEq(logs[i].topics[0], expected[i]);
        }
        PaymentChannels.LineagePayout[] memory payouts = abi.decode(logs[4].data, (PaymentChannels.LineagePayout[]));
        vm.assertEq(payouts.length, 2);
        vm.assertEq(payouts[1].modelHash, CHILD_MODEL);
        vm.assertEq(payouts[1].recipient, childOwner);
        vm.assertEq(payouts[1].amount, 0.05 ether);
        vm.assertEq(logs[4].topics[1], c);
    }

    function test_settle_fullLineageAtMaxRoyaltyLeavesProviderAShare() public {
        // The registry's hard maximum (20 % a model) keeps every lineage under 100 %: nothing is clipped, and the
        // provider keeps at least 20 % even when four models each take the maximum.
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, 2_000, true);
        _registerLineage(2_000, 2_000);
        bytes32 leaf = keccak256("leaf.onnx");
        RegistrySteps.registerModel(registry, stranger, leaf, GRANDCHILD_MODEL, "ipfs://leaf", 1, 2_000);
        _serve(leaf);
        bytes32 channelId = _openEthFor(leaf, 1 ether);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.2 ether);
        vm.assertEq(channels.balanceOf(address(0), childOwner), 0.2 ether);
        vm.assertEq(channels.balanceOf(address(0), grandchildOwner), 0.2 ether);
        vm.assertEq(channels.balanceOf(address(0), stranger), 0.2 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.2 ether);
    }

    function test_settle_paysLineageOfMaxLength() public {
        _registerLineage(500, 250);
        bytes32 leaf = keccak256("leaf.onnx");
        RegistrySteps.registerModel(registry, stranger, leaf, GRANDCHILD_MODEL, "ipfs://leaf", 1, 125);
        _serve(leaf);
        bytes32 channelId = _openEthFor(leaf, 1 ether);
        PaymentChannels.LineagePayout[] memory payouts = new PaymentChannels.LineagePayout[](4);
        payouts[0] = PaymentChannels.LineagePayout(MODEL, modelOwner, 0.1 ether);
        payouts[1] = PaymentChannels.LineagePayout(CHILD_MODEL, childOwner, 0.05 ether);
        payouts[2] = PaymentChannels.LineagePayout(GRANDCHILD_MODEL, grandchildOwner, 0.025 ether);
        payouts[3] = PaymentChannels.LineagePayout(leaf, stranger, 0.0125 ether);
        vm.expectEmit(true, true, true, true, address(channels));
        emit LineageRoyaltiesPaid(channelId, payouts);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.1 ether);
        vm.assertEq(channels.balanceOf(address(0), childOwner), 0.05 ether);
        vm.assertEq(channels.balanceOf(address(0), grandchildOwner), 0.025 ether);
        vm.assertEq(channels.balanceOf(address(0), stranger), 0.0125 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.8125 ether);
    }

    function test_settle_paysCurrentLineageOwnersUnderOpeningTerms() public {
        _registerLineage(500, 250);
        bytes32 channelId = _openEthFor(CHILD_MODEL, 1 ether);
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, stranger, uint256(MODEL));
        vm.prank(stranger);
        registry.updateTerms(MODEL, 1, 2_000, false); // deactivated: still paid, at the opening 10 %
        vm.prank(childOwner);
        registry.updateTerms(CHILD_MODEL, 1, 2_000, true);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), stranger), 0.1 ether);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0);
        vm.assertEq(channels.balanceOf(address(0), childOwner), 0.05 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.85 ether);
    }

    function test_settle_sameOwnerAtTwoLineagePositions() public {
        RegistrySteps.registerModel(registry, modelOwner, CHILD_MODEL, MODEL, "ipfs://own-tune", 1, 500);
        _serve(CHILD_MODEL);
        bytes32 channelId = _openEthFor(CHILD_MODEL, 1 ether);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.15 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.85 ether);
    }

    function test_settle_mixedLineagesAndTokensInOneBatch() public {
        _registerLineage(500, 250);
        bytes32 root = _openEth(1 ether);
        bytes32 child = _openEthFor(CHILD_MODEL, 1 ether);
        bytes32 grandchild = _openEthFor(GRANDCHILD_MODEL, 1 ether);
        vm.prank(creator);
        bytes32 childToken = channels.openChannel(node, CHILD_MODEL, address(token), 10_000, EXPIRY);
        bytes32 child2 = _openEthFor(CHILD_MODEL, 1 ether);

        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](6);
        vouchers[0] = _voucher(grandchild, 1 ether, 1); // lineage of 3
        vouchers[1] = _voucher(root, 1 ether, 1); // lineage of 1: positions 2 and 3 stay pending
        vouchers[2] = _voucher(child, 1 ether, 1); // lineage of 2
        vouchers[3] = _voucher(childToken, 10_000, 1); // token switch flushes everything
        vouchers[4] = _voucher(child2, 0.5 ether, 1); // back to ETH
        vouchers[5] = _voucher(child2, 1 ether, 2); // the same channel again
        vm.prank(provider);
        uint256 total = channels.settle(vouchers);

        vm.assertEq(total, 4 ether + 10_000);
        // MODEL: 10 % of every ETH payment (4 ether) and of the token payment.
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 0.4 ether);
        vm.assertEq(channels.balanceOf(address(token), modelOwner), 1_000);
        // CHILD_MODEL: 5 % of the child and grandchild payments (3 ether) and of the token payment.
        vm.assertEq(channels.balanceOf(address(0), childOwner), 0.15 ether);
        vm.assertEq(channels.balanceOf(address(token), childOwner), 500);
        vm.assertEq(channels.balanceOf(address(0), grandchildOwner), 0.025 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 4 ether - 0.4 ether - 0.15 ether - 0.025 ether);
        vm.assertEq(channels.balanceOf(address(token), provider), 8_500);
    }

    function test_settle_manySmallIncrementsPayTheCumulativeRoyalty() public {
        // 100 vouchers of 9 wei each, in one call, against one voucher of 900 wei on another channel.
        bytes32 split = _openEth(1 ether);
        bytes32 whole = _openEth(1 ether);
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](100);
        for (uint256 i = 0; i < 100; ++i) {
            vouchers[i] = _voucher(split, 9 * (i + 1), uint64(i + 1));
        }
        vm.prank(provider);
        channels.settle(vouchers);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 90, "10 % of 900 wei");
        vm.assertEq(channels.balanceOf(address(0), provider), 810);

        _settle(_voucher(whole, 900, 1));
        vm.assertEq(channels.balanceOf(address(0), modelOwner), 180);
        vm.assertEq(channels.balanceOf(address(0), provider), 1_620);
    }

    function test_settle_skipsEveryKindOfBadVoucherAndSettlesTheRest() public {
        bytes32 good = _openEth(1 ether);
        bytes32 replayed = _openEth(1 ether);
        _settle(_voucher(replayed, 0.1 ether, 5));
        vm.startPrank(creator);
        bytes32 closed = channels.openChannel{value: 1 ether}(node, MODEL, address(0), 1 ether, START + 1 hours);
        bytes32 expired = channels.openChannel{value: 1 ether}(node, MODEL, address(0), 1 ether, START + 2 hours);
        vm.warp(START + 1 hours);
        channels.closeExpired(closed);
        vm.stopPrank();
        vm.warp(START + 2 hours);

        (, uint256 impostorKey) = makeAddrAndKey("impostor");
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](9);
        vouchers[0] = _voucher(keccak256("nope"), 1, 1);
        vouchers[1] = _voucher(closed, 1, 1);
        vouchers[2] = _voucher(expired, 1, 1);
        vouchers[3] = _voucher(replayed, 0.2 ether, 5);
        vouchers[4] = _voucher(good, 0.5 ether, 1);
        vouchers[5] = _voucher(replayed, 0.05 ether, 6);
        vouchers[6] = _voucher(good, 2 ether, 2);
        vouchers[7] = PaymentChannels.SignedVoucher(good, 0.6 ether, 3, hex"00");
        vouchers[8] = _voucherBy(impostorKey, good, 0.7 ether, 4);

        vm.recordLogs();
        vm.prank(provider);
        vm.assertEq(channels.settle(vouchers), 0.5 ether);

        PaymentChannels.SkipReason[8] memory reasons = [
            PaymentChannels.SkipReason.UnknownChannel,
            PaymentChannels.SkipReason.ChannelClosed,
            PaymentChannels.SkipReason.ChannelExpired,
            PaymentChannels.SkipReason.NonceTooLow,
            PaymentChannels.SkipReason.AmountNotIncreasing,
            PaymentChannels.SkipReason.ExceedsDeposit,
            PaymentChannels.SkipReason.MalformedSignature,
            PaymentChannels.SkipReason.InvalidSigner
        ];
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 skipped = 0;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] != VoucherSkipped.selector) continue;
            (, PaymentChannels.SkipReason reason) = abi.decode(logs[i].data, (uint64, PaymentChannels.SkipReason));
            vm.assertEq(uint256(reason), uint256(reasons[skipped]), "skip reason");
            ++skipped;
        }
        vm.assertEq(skipped, 8);
        vm.assertEq(uint256(channels.channel(good).paid), 0.5 ether);
        vm.assertEq(uint256(channels.channel(replayed).paid), 0.1 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.09 ether + 0.45 ether);
    }

    function test_settle_revertsOnEmpty() public {
        vm.expectRevert(PaymentChannels.EmptySettlement.selector);
        vm.prank(provider);
        channels.settle(new PaymentChannels.SignedVoucher[](0));
    }

    function test_settle_revertsOnTooMany() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.SettlementTooLarge.selector, 513, 512));
        vm.prank(provider);
        channels.settle(new PaymentChannels.SignedVoucher[](513));
    }

    function test_settle_skipsUnknownChannel() public {
        bytes32 channelId = keccak256("nope");
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 1, 1);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.UnknownChannel);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsClosedChannel() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 1, 1);
        vm.warp(EXPIRY);
        vm.prank(creator);
        channels.closeExpired(channelId);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.ChannelClosed);
        vm.assertEq(_settle(voucher), 0);
        vm.assertEq(channels.balanceOf(address(0), provider), 0);
    }

    function test_settle_skipsExpiredChannel() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY + 5);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 1, 1);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.ChannelExpired);
        vm.assertEq(_settle(voucher), 0);
        vm.assertEq(uint256(channels.channel(channelId).paid), 0);
    }

    function test_settle_skipsOtherProvidersChannel() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher[] memory vouchers = _one(_voucher(channelId, 1, 1));
        vm.expectEmit(true, true, true, true, address(channels));
        emit VoucherSkipped(channelId, stranger, 1, PaymentChannels.SkipReason.NotChannelProvider);
        vm.prank(stranger);
        vm.assertEq(channels.settle(vouchers), 0);
        vm.assertEq(uint256(channels.channel(channelId).paid), 0);
    }

    function test_settle_skipsReplayedVoucher() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 0.5 ether, 3);
        _settle(voucher);
        _expectSkip(channelId, 3, PaymentChannels.SkipReason.NonceTooLow);
        vm.assertEq(_settle(voucher), 0);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.45 ether);
    }

    function test_settle_skipsOutOfOrderNonce() public {
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 0.5 ether, 10));
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 0.6 ether, 9);
        _expectSkip(channelId, 9, PaymentChannels.SkipReason.NonceTooLow);
        _settle(voucher);
        vm.assertEq(uint256(channels.channel(channelId).paid), 0.5 ether);
    }

    function test_settle_skipsOlderVoucherAfterNewer() public {
        // Reordered: the creator signed (0.1 ether, 1) then (0.2 ether, 2); the newer one settled first.
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory older = _voucher(channelId, 0.1 ether, 1);
        PaymentChannels.SignedVoucher memory newer = _voucher(channelId, 0.2 ether, 2);
        _settle(newer);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.NonceTooLow);
        _settle(older);
        vm.assertEq(uint256(channels.channel(channelId).paid), 0.2 ether);
    }

    function test_settle_skipsOlderVoucherAfterNewerInOneBatch() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](2);
        vouchers[0] = _voucher(channelId, 0.2 ether, 2);
        vouchers[1] = _voucher(channelId, 0.1 ether, 1);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.NonceTooLow);
        vm.prank(provider);
        vm.assertEq(channels.settle(vouchers), 0.2 ether);
    }

    function test_settle_skipsVoucherSignedForOtherChain() public {
        bytes32 channelId = _openEth(1 ether);
        uint256 chainId = block.chainid;
        // The creator's wallet signed on another chain: the domain separator differs, so does the digest.
        vm.chainId(1);
        bytes memory signature = signDigest(creatorKey, channels.hashVoucher(channelId, 1, 1));
        vm.chainId(chainId);
        PaymentChannels.SignedVoucher memory voucher = PaymentChannels.SignedVoucher(channelId, 1, 1, signature);
        address recovered = ECDSA.recover(channels.hashVoucher(channelId, 1, 1), signature);
        vm.assertNotEq(recovered, creator);
        _expectSkip(channelId, voucher.nonce, PaymentChannels.SkipReason.InvalidSigner);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsVoucherSignedForOtherContract() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels elsewhere = new PaymentChannels(registry);
        bytes memory signature = signDigest(creatorKey, elsewhere.hashVoucher(channelId, 1, 1));
        PaymentChannels.SignedVoucher memory voucher = PaymentChannels.SignedVoucher(channelId, 1, 1, signature);
        address recovered = ECDSA.recover(channels.hashVoucher(channelId, 1, 1), signature);
        vm.assertNotEq(recovered, creator);
        _expectSkip(channelId, voucher.nonce, PaymentChannels.SkipReason.InvalidSigner);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsNonIncreasingAmount() public {
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 0.5 ether, 1));
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 0.5 ether, 2);
        _expectSkip(channelId, 2, PaymentChannels.SkipReason.AmountNotIncreasing);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsZeroFirstVoucher() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 0, 1);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.AmountNotIncreasing);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsVoucherExceedingDeposit() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 1 ether + 1, 1);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.ExceedsDeposit);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsWrongSigner() public {
        bytes32 channelId = _openEth(1 ether);
        (, uint256 impostorKey) = makeAddrAndKey("impostor");
        PaymentChannels.SignedVoucher memory voucher = _voucherBy(impostorKey, channelId, 1, 1);
        _expectSkip(channelId, voucher.nonce, PaymentChannels.SkipReason.InvalidSigner);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsTamperedVoucher() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 0.1 ether, 1);
        voucher.cumulativeAmount = 1 ether; // the provider tries to claim more than signed
        _expectSkip(channelId, voucher.nonce, PaymentChannels.SkipReason.InvalidSigner);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_skipsMalformedSignature() public {
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, 1, 1);
        voucher.signature = hex"1234";
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.MalformedSignature);
        vm.assertEq(_settle(voucher), 0);
    }

    function test_settle_oneBadVoucherDoesNotBlockTheOthers() public {
        bytes32 a = _openEth(1 ether);
        bytes32 b = _openEth(1 ether);
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](2);
        vouchers[0] = _voucher(a, 0.5 ether, 1);
        vouchers[1] = _voucher(b, 2 ether, 1);
        _expectSkip(b, 1, PaymentChannels.SkipReason.ExceedsDeposit);
        vm.prank(provider);
        vm.assertEq(channels.settle(vouchers), 0.5 ether);
        vm.assertEq(uint256(channels.channel(a).paid), 0.5 ether);
        vm.assertEq(uint256(channels.channel(b).paid), 0);
        vm.assertEq(channels.balanceOf(address(0), provider), 0.45 ether);
    }

    // ------------------------------------------------------------------------------------------------
    // closeExpired
    // ------------------------------------------------------------------------------------------------

    function test_closeExpired_refundsRemainder() public {
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 0.3 ether, 1));
        vm.warp(EXPIRY);
        uint256 before = creator.balance;
        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelClosed(channelId, creator, 0.7 ether);
        vm.prank(creator);
        channels.closeExpired(channelId);
        vm.assertEq(creator.balance - before, 0.7 ether);
        vm.assertTrue(channels.channel(channelId).closed);
        vm.assertEq(address(channels).balance, 0.3 ether);
    }

    function test_closeExpired_token() public {
        bytes32 channelId = _openToken(1_000);
        vm.warp(EXPIRY + 1);
        uint256 before = token.balanceOf(creator);
        vm.prank(creator);
        channels.closeExpired(channelId);
        vm.assertEq(token.balanceOf(creator) - before, 1_000);
    }

    function test_closeExpired_fullyPaidChannel() public {
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 1 ether, 1));
        vm.warp(EXPIRY);
        vm.expectEmit(true, true, true, true, address(channels));
        emit ChannelClosed(channelId, creator, 0);
        vm.prank(creator);
        channels.closeExpired(channelId);
    }

    function test_closeExpired_revertsBeforeExpiry() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY - 1);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.ChannelNotExpired.selector, channelId, EXPIRY, EXPIRY - 1)
        );
        vm.prank(creator);
        channels.closeExpired(channelId);
    }

    function test_closeExpired_revertsForNonCreator() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY);
        vm.expectRevert(
            abi.encodeWithSelector(PaymentChannels.NotChannelCreator.selector, channelId, stranger, creator)
        );
        vm.prank(stranger);
        channels.closeExpired(channelId);
    }

    function test_closeExpired_revertsWhenClosedTwice() public {
        bytes32 channelId = _openEth(1 ether);
        vm.warp(EXPIRY);
        vm.startPrank(creator);
        channels.closeExpired(channelId);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelIsClosed.selector, channelId));
        channels.closeExpired(channelId);
        vm.stopPrank();
    }

    function test_closeExpired_revertsOnUnknownChannel() public {
        bytes32 channelId = keccak256("nope");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelNotFound.selector, channelId));
        channels.closeExpired(channelId);
    }

    // ------------------------------------------------------------------------------------------------
    // withdraw
    // ------------------------------------------------------------------------------------------------

    function test_withdraw_eth() public {
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 1 ether, 1));
        uint256 before = provider.balance;
        vm.expectEmit(true, true, true, true, address(channels));
        emit Withdrawn(address(0), provider, 0.9 ether);
        vm.prank(provider);
        uint256 amount = channels.withdraw(address(0));
        vm.assertEq(amount, 0.9 ether);
        vm.assertEq(provider.balance - before, 0.9 ether);
        vm.assertEq(channels.balanceOf(address(0), provider), 0);

        vm.prank(modelOwner);
        channels.withdraw(address(0));
        vm.assertEq(modelOwner.balance, 0.1 ether);
        vm.assertEq(address(channels).balance, 0);
    }

    function test_withdraw_token() public {
        bytes32 channelId = _openToken(1_000);
        _settle(_voucher(channelId, 1_000, 1));
        vm.prank(provider);
        vm.assertEq(channels.withdraw(address(token)), 900);
        vm.assertEq(token.balanceOf(provider), 900);
    }

    function test_withdraw_revertsWithNothingCredited() public {
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.NothingToWithdraw.selector, address(0), stranger));
        vm.prank(stranger);
        channels.withdraw(address(0));
    }

    function test_withdraw_refusingRecipientKeepsCredit() public {
        EthRefuser refuser = new EthRefuser();
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, address(refuser), uint256(MODEL));
        // A transfer voids the previous owner's approvals: the new owner approves the node again.
        RegistrySteps.approve(registry, MODEL, node);
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 1 ether, 1)); // settlement is not blocked by the refusing owner

        vm.expectRevert(abi.encodeWithSignature("Error(string)", "no ETH"));
        refuser.withdrawFrom(channels);
        vm.assertEq(channels.balanceOf(address(0), address(refuser)), 0.1 ether);

        refuser.setAccept(true);
        vm.assertEq(refuser.withdrawFrom(channels), 0.1 ether);
    }

    function test_withdraw_blocksReentrancy() public {
        ReentrantWithdrawer attacker = new ReentrantWithdrawer(channels);
        vm.deal(address(attacker), 0);
        vm.prank(modelOwner);
        registry.transferFrom(modelOwner, address(attacker), uint256(MODEL));
        // A transfer voids the previous owner's approvals: the new owner approves the node again.
        RegistrySteps.approve(registry, MODEL, node);
        bytes32 channelId = _openEth(1 ether);
        _settle(_voucher(channelId, 1 ether, 1));
        // The nested withdraw hits the guard, whose error the failed ETH transfer bubbles up.
        vm.expectRevert(ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        attacker.withdraw();
        vm.assertEq(channels.balanceOf(address(0), address(attacker)), 0.1 ether);
        vm.assertEq(address(channels).balance, 1 ether);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    function test_channel_revertsOnUnknownChannel() public {
        bytes32 channelId = keccak256("nope");
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ChannelNotFound.selector, channelId));
        channels.channel(channelId);
    }

    // ------------------------------------------------------------------------------------------------
    // Fuzz
    // ------------------------------------------------------------------------------------------------

    function testFuzz_settle_royaltySplit(uint128 deposit, uint128 amount, uint16 royaltyBps) public {
        deposit = uint128(bound(deposit, 1, 1_000 ether));
        amount = uint128(bound(amount, 1, deposit));
        royaltyBps = uint16(bound(royaltyBps, 0, registry.MAX_ROYALTY_BPS()));
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, royaltyBps, true);
        bytes32 channelId = _openEth(deposit);

        uint256 total = _settle(_voucher(channelId, amount, 1));

        uint256 royalty = uint256(amount) * royaltyBps / 10_000;
        vm.assertEq(total, amount);
        vm.assertEq(channels.balanceOf(address(0), modelOwner), royalty);
        vm.assertEq(channels.balanceOf(address(0), provider), amount - royalty);
        vm.assertEq(
            channels.balanceOf(address(0), modelOwner) + channels.balanceOf(address(0), provider), uint256(amount)
        );
    }

    function testFuzz_settle_lineageSplit(uint128 amount, uint16[3] memory rates) public {
        amount = uint128(bound(amount, 1, 1_000 ether));
        for (uint256 i = 0; i < 3; ++i) {
            rates[i] = uint16(bound(rates[i], 0, registry.MAX_ROYALTY_BPS()));
        }
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, rates[0], true);
        _registerLineage(rates[1], rates[2]);
        bytes32 channelId = _openEthFor(GRANDCHILD_MODEL, amount);

        _settle(_voucher(channelId, amount, 1));

        address[3] memory owners = [modelOwner, childOwner, grandchildOwner];
        uint16[] memory opening = new uint16[](3);
        for (uint256 i = 0; i < 3; ++i) {
            opening[i] = rates[i];
        }
        (uint256[] memory shares, uint256 rest) = RoyaltySplit.shares(opening, amount);
        uint256 clippedTotal = 0;
        for (uint256 i = 0; i < 3; ++i) {
            vm.assertEq(channels.balanceOf(address(0), owners[i]), shares[i], "lineage share");
            // Within one wei per split above it of the exact proportion of the clipped rate.
            uint256 rate = rates[i] + clippedTotal > 10_000 ? 10_000 - clippedTotal : rates[i];
            clippedTotal += rate;
            uint256 exact = uint256(amount) * rate / 10_000;
            vm.assertLe(shares[i] > exact ? shares[i] - exact : exact - shares[i], i + 2, "share far from its rate");
        }
        vm.assertEq(channels.balanceOf(address(0), provider), rest, "provider share");
        vm.assertEq(rest + shares[0] + shares[1] + shares[2], amount);
    }

    function testFuzz_settle_voucherSequence(uint256 seed, uint8 steps) public {
        steps = uint8(bound(steps, 1, 20));
        uint128 deposit = 100 ether;
        bytes32 channelId = _openToken(deposit);
        uint256 paid = 0;
        uint64 nonce = 0;
        for (uint256 i = 0; i < steps; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            nonce += uint64(bound(r, 1, 1_000));
            uint256 cumulative = bound(r >> 64, 0, deposit);
            PaymentChannels.SignedVoucher memory voucher = _voucher(channelId, cumulative, nonce);
            if (cumulative <= paid) {
                _expectSkip(channelId, nonce, PaymentChannels.SkipReason.AmountNotIncreasing);
                vm.assertEq(_settle(voucher), 0);
            } else {
                vm.assertEq(_settle(voucher), cumulative - paid);
                paid = cumulative;
            }
            vm.assertEq(uint256(channels.channel(channelId).paid), paid);
        }
        vm.assertEq(
            channels.balanceOf(address(token), provider) + channels.balanceOf(address(token), modelOwner), paid
        );
        vm.warp(EXPIRY);
        uint256 before = token.balanceOf(creator);
        vm.prank(creator);
        channels.closeExpired(channelId);
        vm.assertEq(token.balanceOf(creator) - before, deposit - paid);
        vm.assertEq(token.balanceOf(address(channels)), paid);
    }

    /// @dev A channel pays only its opening terms: whatever the owners change (rates, price, activity) between the
    /// opening and each settlement, every party gets its share of the cumulative amount under the opening rates.
    function testFuzz_channelPaysOnlyItsOpeningTerms(uint16[3] memory opening, uint16[3] memory changed, uint96[4] memory steps)
        public
    {
        address[3] memory owners = [modelOwner, childOwner, grandchildOwner];
        bytes32[3] memory models = [MODEL, CHILD_MODEL, GRANDCHILD_MODEL];
        uint16[] memory rates = new uint16[](3);
        for (uint256 i = 0; i < 3; ++i) {
            rates[i] = uint16(bound(opening[i], 0, registry.MAX_ROYALTY_BPS()));
        }
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, rates[0], true);
        _registerLineage(rates[1], rates[2]);
        bytes32 channelId = _openEthFor(GRANDCHILD_MODEL, 100 ether);

        uint256 cumulative = 0;
        for (uint256 s = 0; s < 4; ++s) {
            // Every owner changes its terms before each settlement.
            uint256 i = s % 3;
            uint16 changedRate = uint16(bound(changed[i], 0, registry.MAX_ROYALTY_BPS()));
            vm.prank(owners[i]);
            registry.updateTerms(models[i], uint128(steps[s]) + 1, changedRate, s % 2 == 0);
            cumulative += bound(steps[s], 1, 25 ether);
            _settle(_voucher(channelId, cumulative, uint64(s + 1)));

            (uint256[] memory shares, uint256 rest) = RoyaltySplit.shares(rates, cumulative);
            for (uint256 k = 0; k < 3; ++k) {
                vm.assertEq(channels.balanceOf(address(0), owners[k]), shares[k], "lineage share under opening terms");
            }
            vm.assertEq(channels.balanceOf(address(0), provider), rest, "provider share under opening terms");
        }
        vm.assertEq(uint256(channels.channel(channelId).pricePerGeneration), 1);
    }

    /// @dev Splitting the same payments into different vouchers and settle calls changes no party's credit: one
    /// contract settles the total at once, another in random increments over random calls.
    function testFuzz_settle_splittingPaymentsChangesNoCredit(uint128 total, uint16[3] memory rates, uint256 seed)
        public
    {
        total = uint128(bound(total, 1, 100 ether));
        for (uint256 i = 0; i < 3; ++i) {
            rates[i] = uint16(bound(rates[i], 0, registry.MAX_ROYALTY_BPS()));
        }
        vm.prank(modelOwner);
        registry.updateTerms(MODEL, 1, rates[0], true);
        _registerLineage(rates[1], rates[2]);
        PaymentChannels split = new PaymentChannels(registry);
        bytes32 wholeId = _openEthFor(GRANDCHILD_MODEL, total);
        vm.prank(creator);
        bytes32 splitId = split.openChannel{value: total}(node, GRANDCHILD_MODEL, address(0), total, EXPIRY);

        _settle(_voucher(wholeId, total, 1));

        uint256 cumulative = 0;
        uint64 nonce = 0;
        while (cumulative < total) {
            seed = uint256(keccak256(abi.encode(seed)));
            uint256 calls = bound(seed, 1, 4);
            PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](calls);
            for (uint256 c = 0; c < calls; ++c) {
                seed = uint256(keccak256(abi.encode(seed)));
                // Mostly tiny steps (where rounding per voucher used to lose royalties), sometimes large ones.
                uint256 step = seed % 3 == 0 ? bound(seed >> 8, 1, total) : bound(seed >> 8, 1, 50);
                cumulative = cumulative + step > total ? total : cumulative + step;
                ++nonce;
                bytes memory signature = signDigest(creatorKey, split.hashVoucher(splitId, cumulative, nonce));
                vouchers[c] = PaymentChannels.SignedVoucher(splitId, cumulative, nonce, signature);
            }
            vm.prank(provider);
            split.settle(vouchers); // the repeated final amount, if any, is skipped
        }

        address[4] memory parties = [modelOwner, childOwner, grandchildOwner, provider];
        for (uint256 i = 0; i < 4; ++i) {
            uint256 whole = channels.balanceOf(address(0), parties[i]);
            uint256 pieces = split.balanceOf(address(0), parties[i]);
            vm.assertLe(whole > pieces ? whole - pieces : pieces - whole, 1, "a split changed a credit");
        }
        vm.assertEq(uint256(split.channel(splitId).paid), total);
    }

    function testFuzz_settle_rejectsForeignSigners(uint256 signerKey) public {
        signerKey = bound(signerKey, 1, SECP256K1_ORDER - 1);
        vm.assume(signerKey != creatorKey);
        bytes32 channelId = _openEth(1 ether);
        PaymentChannels.SignedVoucher memory voucher = _voucherBy(signerKey, channelId, 1, 1);
        _expectSkip(channelId, 1, PaymentChannels.SkipReason.InvalidSigner);
        vm.assertEq(_settle(voucher), 0);
        vm.assertEq(uint256(channels.channel(channelId).paid), 0);
    }
}
