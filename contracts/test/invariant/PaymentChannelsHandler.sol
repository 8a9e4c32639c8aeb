// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ModelRegistry} from "../../src/ModelRegistry.sol";
import {PaymentChannels} from "../../src/PaymentChannels.sol";
import {MockERC20} from "../mocks/MockERC20.sol";
import {RegistrySteps} from "../utils/RegistrySteps.sol";
import {RoyaltySplit} from "../utils/RoyaltySplit.sol";
import {TestBase} from "../utils/TestBase.sol";

/// @notice Drives {PaymentChannels} through valid-looking sequences (with some invalid vouchers, which settle
/// skips) for the invariant fuzzer and keeps ghost totals of what went in and out, per token, and of what every
/// account must have been credited under each channel's opening terms.
contract PaymentChannelsHandler is TestBase {
    uint256 internal constant ACTORS = 3;

    ModelRegistry public immutable registry;
    PaymentChannels public immutable channels;
    MockERC20 public immutable token;

    address[] internal _tokens;
    address[] internal _creators;
    uint256[] internal _creatorKeys;
    address[] internal _providers;
    /// @dev `_nodes[i]` is operated by `_providers[i]` and serves every model.
    address[] internal _nodes;
    address[] internal _modelOwners;
    bytes32[] internal _models;
    bytes32[] internal _channelIds;
    mapping(bytes32 channelId => uint256 creatorIndex) internal _creatorIndexOf;
    /// @dev The lineage's royalty rates when the channel opened, read from the registry by the handler itself.
    mapping(bytes32 channelId => uint16[] rates) internal _openingRates;

    mapping(address token => uint256 amount) public ghostDeposited;
    mapping(address token => uint256 amount) public ghostPaid;
    mapping(address token => uint256 amount) public ghostRefunded;
    mapping(address token => uint256 amount) public ghostWithdrawn;
    /// @dev What `account` must have been credited in total: its shares under the channels' opening terms.
    mapping(address token => mapping(address account => uint256 amount)) public ghostCredited;
    mapping(address token => mapping(address account => uint256 amount)) public ghostWithdrawnBy;
    mapping(string action => uint256 count) public calls;

    constructor() {
        registry = new ModelRegistry();
        channels = new PaymentChannels(registry);
        token = new MockERC20("Invariant Token", "INV");
        _tokens.push(address(0));
        _tokens.push(address(token));

        for (uint256 i = 0; i < ACTORS; ++i) {
            (address creator, uint256 key) = makeAddrAndKey(string(abi.encodePacked("inv-creator", vm.toString(i))));
            _creators.push(creator);
            _creatorKeys.push(key);
            token.mint(creator, type(uint128).max);
            vm.prank(creator);
            token.approve(address(channels), type(uint256).max);
            _providers.push(makeAddr(string(abi.encodePacked("inv-provider", vm.toString(i)))));
        }
        _modelOwners.push(makeAddr("inv-owner0"));
        _modelOwners.push(makeAddr("inv-owner1"));
        _models.push(keccak256("inv-model0"));
        _models.push(keccak256("inv-model1"));
        RegistrySteps.registerModel(registry, _modelOwners[0], _models[0], bytes32(0), "ipfs://0", 1, 1_000);
        RegistrySteps.registerModel(registry, _modelOwners[1], _models[1], bytes32(0), "ipfs://1", 1, 1_999);
        // Derivatives: model2 derives from model0, model3 from model2, so settlements pay lineages of 1 to 3.
        _models.push(keccak256("inv-model2"));
        _models.push(keccak256("inv-model3"));
        RegistrySteps.registerModel(registry, _modelOwners[1], _models[2], _models[0], "ipfs://2", 1, 1_500);
        RegistrySteps.registerModel(registry, _modelOwners[0], _models[3], _models[2], "ipfs://3", 1, 2_000);
        for (uint256 i = 0; i < ACTORS; ++i) {
            (, uint256 nodeKey) = makeAddrAndKey(string(abi.encodePacked("inv-node", vm.toString(i))));
            address node = RegistrySteps.registerNode(registry, _providers[i], nodeKey, _models);
            _nodes.push(node);
        }
        _approveNodes();
    }

    // ------------------------------------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------------------------------------

    function openChannel(uint256 creatorSeed, uint256 providerSeed, uint256 tokenSeed, uint256 modelSeed, uint256 amount, uint256 duration)
        external
    {
        uint256 creatorIndex = creatorSeed % ACTORS;
        address creator = _creators[creatorIndex];
        address node = _nodes[providerSeed % ACTORS];
        address channelToken = _tokens[tokenSeed % 2];
        bytes32 model = _models[modelSeed % _models.length];
        if (!registry.modelTerms(model).active) return;
        uint128 deposit = uint128(bound(amount, 1, 100 ether));
        uint64 expiresAt = uint64(block.timestamp + bound(duration, 1, 30 days));

        bytes32 channelId;
        if (channelToken == address(0)) {
            vm.deal(creator, creator.balance + deposit);
            vm.prank(creator);
            channelId = channels.openChannel{value: deposit}(node, model, channelToken, deposit, expiresAt);
        } else {
            vm.prank(creator);
            channelId = channels.openChannel(node, model, channelToken, deposit, expiresAt);
        }
        _channelIds.push(channelId);
        _creatorIndexOf[channelId] = creatorIndex;
        ModelRegistry.RoyaltyShare[] memory lineage = registry.royaltyLineage(model);
        for (uint256 i = 0; i < lineage.length; ++i) {
            _openingRates[channelId].push(lineage[i].royaltyBps);
        }
        ghostDeposited[channelToken] += deposit;
        ++calls["openChannel"];
    }

    function topUp(uint256 channelSeed, uint256 amount) external {
        if (_channelIds.length == 0) return;
        bytes32 channelId = _channelIds[channelSeed % _channelIds.length];
        PaymentChannels.Channel memory c = channels.channel(channelId);
        if (c.closed || block.timestamp >= c.expiresAt) return;
        uint128 added = uint128(bound(amount, 1, 10 ether));
        if (c.token == address(0)) {
            // Anyone may top up an ETH channel.
            address funder = _providers[channelSeed % ACTORS];
            vm.deal(funder, funder.balance + added);
            vm.prank(funder);
            channels.topUp{value: added}(channelId, added);
        } else {
            vm.prank(c.creator);
            channels.topUp(channelId, added);
        }
        ghostDeposited[c.token] += added;
        ++calls["topUp"];
    }

    function extend(uint256 channelSeed, uint256 delta) external {
        if (_channelIds.length == 0) return;
        bytes32 channelId = _channelIds[channelSeed % _channelIds.length];
        PaymentChannels.Channel memory c = channels.channel(channelId);
        if (c.closed) return;
        vm.prank(c.creator);
        channels.extend(channelId, c.expiresAt + uint64(bound(delta, 1, 10 days)));
        ++calls["extend"];
    }

    /// @dev Settles up to three channels of one provider in one call, one time in five with a replayed voucher too
    /// (which settle skips).
    function settle(uint256 channelSeed, uint256 count, uint256 amountSeed, uint256 nonceSeed) external {
        uint256 length = _channelIds.length;
        if (length == 0) return;
        count = bound(count, 1, 3);
        uint256 start = channelSeed % length;
        address provider = channels.channel(_channelIds[start]).provider;

        PaymentChannels.SignedVoucher[] memory buffer = new PaymentChannels.SignedVoucher[](count);
        address[] memory voucherTokens = new address[](count);
        uint256[] memory payments = new uint256[](count);
        uint256 used = 0;
        for (uint256 k = 0; k < length && used < count; ++k) {
            bytes32 channelId = _channelIds[(start + k) % length];
            PaymentChannels.Channel memory c = channels.channel(channelId);
            if (c.provider != provider || c.closed || block.timestamp >= c.expiresAt || c.paid >= c.deposit) continue;
            uint256 seed = uint256(keccak256(abi.encode(amountSeed, k)));
            // Mostly small steps, as real vouchers are, sometimes the whole remainder.
            uint256 cumulative = seed % 4 == 0 ? c.deposit : bound(seed, uint256(c.paid) + 1, c.deposit);
            uint64 nonce = c.lastNonce + uint64(bound(uint256(keccak256(abi.encode(nonceSeed, k))), 1, 1_000));
            bytes memory signature =
                signDigest(_creatorKeys[_creatorIndexOf[channelId]], channels.hashVoucher(channelId, cumulative, nonce));
            buffer[used] = PaymentChannels.SignedVoucher(channelId, cumulative, nonce, signature);
            voucherTokens[used] = c.token;
            payments[used] = cumulative - c.paid;
            ++used;
        }
        if (used == 0) return;
        bool replay = amountSeed % 5 == 0;
        PaymentChannels.SignedVoucher[] memory vouchers = new PaymentChannels.SignedVoucher[](replay ? used + 1 : used);
        for (uint256 k = 0; k < used; ++k) {
            vouchers[k] = buffer[k];
            _expectCredits(buffer[k].channelId, buffer[k].cumulativeAmount);
        }
        // The first voucher again, after itself: its nonce is spent.
        if (replay) vouchers[used] = buffer[0];

        vm.prank(provider);
        channels.settle(vouchers);
        for (uint256 k = 0; k < used; ++k) {
            ghostPaid[voucherTokens[k]] += payments[k];
        }
        ++calls["settle"];
    }

    /// @dev Adds to the ghost credits what settling `channelId` up to `cumulative` must credit each party: the growth
    /// of its share under the channel's opening rates, paid to the lineage's current owners and the provider.
    function _expectCredits(bytes32 channelId, uint256 cumulative) internal {
        PaymentChannels.Channel memory c = channels.channel(channelId);
        uint16[] memory rates = _openingRates[channelId];
        (uint256[] memory before, uint256 providerBefore) = RoyaltySplit.shares(rates, c.paid);
        (uint256[] memory afterwards, uint256 providerAfter) = RoyaltySplit.shares(rates, cumulative);
        ModelRegistry.RoyaltyShare[] memory lineage = registry.royaltyLineage(c.modelHash);
        for (uint256 i = 0; i < rates.length; ++i) {
            ghostCredited[c.token][lineage[i].owner] += afterwards[i] - before[i];
        }
        ghostCredited[c.token][c.provider] += providerAfter - providerBefore;
    }

    function closeExpired(uint256 channelSeed) external {
        if (_channelIds.length == 0) return;
        bytes32 channelId = _channelIds[channelSeed % _channelIds.length];
        PaymentChannels.Channel memory c = channels.channel(channelId);
        if (c.closed) return;
        // Jump to the expiry only when it is near, so that other channels stay alive.
        if (block.timestamp < c.expiresAt) {
            if (c.expiresAt - block.timestamp > 3 days) return;
            vm.warp(c.expiresAt);
        }
        vm.prank(c.creator);
        channels.closeExpired(channelId);
        ghostRefunded[c.token] += c.deposit - c.paid;
        ++calls["closeExpired"];
    }

    function withdraw(uint256 accountSeed, uint256 tokenSeed) external {
        address[] memory accounts = creditAccounts();
        address withdrawnToken = _tokens[tokenSeed % 2];
        address account = address(0);
        // The first account with a credit, from a random start.
        for (uint256 k = 0; k < accounts.length; ++k) {
            address candidate = accounts[(accountSeed % accounts.length + k) % accounts.length];
            if (channels.balanceOf(withdrawnToken, candidate) != 0) {
                account = candidate;
                break;
            }
        }
        if (account == address(0)) return;
        vm.prank(account);
        uint256 amount = channels.withdraw(withdrawnToken);
        ghostWithdrawn[withdrawnToken] += amount;
        ghostWithdrawnBy[withdrawnToken][account] += amount;
        ++calls["withdraw"];
    }

    function transferModel(uint256 modelSeed, uint256 ownerSeed) external {
        bytes32 model = _models[modelSeed % _models.length];
        address from = registry.modelOwner(model);
        address to = _modelOwners[ownerSeed % _modelOwners.length];
        vm.prank(from);
        registry.transferFrom(from, to, uint256(model));
        // A transfer voids the previous owner's approvals; the new owner approves the nodes again so that new
        // channels can keep opening (the open ones keep their opening terms either way).
        for (uint256 i = 0; i < _nodes.length; ++i) {
            RegistrySteps.approve(registry, model, _nodes[i]);
        }
        ++calls["transferModel"];
    }

    /// @dev Every model's owner approves every node.
    function _approveNodes() private {
        for (uint256 m = 0; m < _models.length; ++m) {
            for (uint256 i = 0; i < _nodes.length; ++i) {
                RegistrySteps.approve(registry, _models[m], _nodes[i]);
            }
        }
    }

    function updateTerms(uint256 modelSeed, uint256 royaltyBps, uint256 activeSeed) external {
        bytes32 model = _models[modelSeed % _models.length];
        address owner = registry.modelOwner(model);
        uint16 rate = uint16(bound(royaltyBps, 0, registry.MAX_ROYALTY_BPS()));
        vm.prank(owner);
        // Deactivation (one time in four) only blocks new channels.
        registry.updateTerms(model, 1, rate, activeSeed % 4 != 0);
        ++calls["updateTerms"];
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
        ++calls["warp"];
    }

    // ------------------------------------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------------------------------------

    function tokens() external view returns (address[] memory) {
        return _tokens;
    }

    function channelIds() external view returns (bytes32[] memory) {
        return _channelIds;
    }

    /// @dev Every account that can ever hold a credit: the providers and the model owners.
    function creditAccounts() public view returns (address[] memory accounts) {
        accounts = new address[](_providers.length + _modelOwners.length);
        for (uint256 i = 0; i < _providers.length; ++i) {
            accounts[i] = _providers[i];
        }
        for (uint256 i = 0; i < _modelOwners.length; ++i) {
            accounts[_providers.length + i] = _modelOwners[i];
        }
    }

    function selectors() external pure returns (bytes4[] memory s) {
        s = new bytes4[](9);
        s[0] = this.openChannel.selector;
        s[1] = this.topUp.selector;
        s[2] = this.extend.selector;
        s[3] = this.settle.selector;
        s[4] = this.closeExpired.selector;
        s[5] = this.withdraw.selector;
        s[6] = this.transferModel.selector;
        s[7] = this.updateTerms.selector;
        s[8] = this.warp.selector;
    }
}
