// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

import {MAX_MODEL_LINEAGE_LENGTH, ModelRegistry} from "./ModelRegistry.sol";

/**
 * @title PaymentChannels
 * @notice Unidirectional payment channels from creators to inference providers, with model royalties.
 * @dev A creator opens a channel to one node for one model, in ETH (`token == address(0)`) or an ERC-20,
 * and signs EIP-712 vouchers for the cumulative amount owed. The channel is bound to that node: the node must
 * serve the model when the channel opens ({ModelRegistry-isNodeAuthorized}) and its operator then
 * ({ModelRegistry-nodeOperator}) is the channel's provider, who settles. A node accepts only vouchers of
 * channels bound to itself, so one voucher increment buys one generation even when a provider runs many nodes.
 *
 * The terms a channel pays are fixed when it opens: the model's price per generation and the royalty rate of
 * every model of its lineage (root first) are copied into the channel; later changes to the registry's terms
 * apply only to channels opened after them. The royalty recipients are the lineage models' owners at
 * settlement: transferring a model's token moves the royalties of every later settlement, of old channels too.
 *
 * Royalties are computed on cumulative amounts: what each party (every lineage owner and the provider) is
 * credited from a channel in total is a function of the channel's cumulative paid amount only (see
 * {_settleShares}), so splitting the same payments into more vouchers or settle calls changes nobody's credit.
 *
 * The provider, or the channel's node on its behalf, settles the latest voucher of one or many channels in one
 * transaction; an invalid voucher is skipped with a {VoucherSkipped} event naming the reason and the others
 * settle. Settlement pays by credit (pull payments): the provider and the current owners of the model's lineage are credited and withdraw with
 * {withdraw}, so a reverting recipient cannot block a settlement. Credits of one settlement are aggregated in
 * memory and written once per (token, account) run.
 *
 * A channel is expired from `expiresAt` on (`block.timestamp >= expiresAt`): it can no longer be settled or
 * topped up, and its creator can close it and take back what was not paid. Providers must therefore settle
 * before the expiry.
 *
 * Only ERC-20 tokens that transfer exactly the requested amount are supported (fee-on-transfer tokens are
 * rejected with {TokenTransferShortfall}); rebasing tokens would break the accounting and must not be used.
 */
contract PaymentChannels is EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice A payment channel, as returned by {channel}.
    /// @param creator The payer, who signs the vouchers.
    /// @param provider The payee, who settles the vouchers: the node's operator when the channel opened.
    /// @param node The only node the channel pays for generations at.
    /// @param token The ERC-20 token, or `address(0)` for ETH.
    /// @param modelHash The model the channel pays for.
    /// @param deposit Total amount funded into the channel.
    /// @param paid Cumulative amount settled so far.
    /// @param expiresAt Timestamp from which the channel is expired.
    /// @param lastNonce Nonce of the last settled voucher.
    /// @param closed Whether the creator closed the channel after its expiry.
    /// @param pricePerGeneration The model's price per generation when the channel opened.
    /// @param royaltyBps The royalty rate of every model of the lineage when the channel opened, root first.
    struct Channel {
        address creator;
        address provider;
        address node;
        address token;
        bytes32 modelHash;
        uint128 deposit;
        uint128 paid;
        uint64 expiresAt;
        uint64 lastNonce;
        bool closed;
        uint128 pricePerGeneration;
        uint16[] royaltyBps;
    }

    /// @notice Why {settle} skipped a voucher, as given by {VoucherSkipped}.
    /// @dev UnknownChannel: no channel has the id. ChannelClosed: the creator closed it. ChannelExpired: it is
    /// expired. NotChannelProvider: the caller is neither its provider nor its node. NonceTooLow: the nonce is not above the last
    /// settled one. AmountNotIncreasing: the amount is not above what was paid. ExceedsDeposit: the amount is
    /// above the deposit. MalformedSignature: the signature is not a well-formed 65-byte ECDSA signature.
    /// InvalidSigner: the signature is not the channel creator's.
    enum SkipReason {
        UnknownChannel,
        ChannelClosed,
        ChannelExpired,
        NotChannelProvider,
        NonceTooLow,
        AmountNotIncreasing,
        ExceedsDeposit,
        MalformedSignature,
        InvalidSigner
    }

    /// @notice A voucher signed by a channel's creator, as submitted to {settle}.
    /// @param channelId The channel.
    /// @param cumulativeAmount Total amount owed on the channel so far (not the increment).
    /// @param nonce Strictly increasing per channel.
    /// @param signature The creator's 65-byte EIP-712 signature of the `PaymentVoucher`.
    struct SignedVoucher {
        bytes32 channelId;
        uint256 cumulativeAmount;
        uint64 nonce;
        bytes signature;
    }

    /// @notice One royalty a voucher of a derivative model paid, as listed by {LineageRoyaltiesPaid}.
    /// @param modelHash The lineage model whose terms granted the royalty.
    /// @param recipient The model's owner at settlement, who was credited.
    /// @param amount The amount credited (zero when the model's rate is zero or nothing was left for it).
    struct LineagePayout {
        bytes32 modelHash;
        address recipient;
        uint256 amount;
    }

    /// @dev Storage layout of a channel: the fields {settle} reads sit in five slots (creator|expiresAt|closed,
    /// node|lastNonce, token|lineageLength|royaltyBps, modelHash, deposit|paid); the price, which only the views
    /// read, in one more. `royaltyBps` packs the opening royalty rates, 16 bits per lineage model, root in the
    /// lowest bits. The provider is the node's, in {_nodeProviders}, read once per run of one node's vouchers.
    struct ChannelState {
        address creator;
        uint64 expiresAt;
        bool closed;
        address node;
        uint64 lastNonce;
        address token;
        uint8 lineageLength;
        uint64 royaltyBps;
        bytes32 modelHash;
        uint128 deposit;
        uint128 paid;
        uint128 pricePerGeneration;
    }

    /// @dev Running state of one {settle} call: the node of the last voucher's channel and its provider, who is
    /// credited `providerCredit`; the lineage of the last voucher's model, the royalty rates of the last voucher's
    /// channel and the credits not yet written, all in `token`. `terms` is the channel's packed
    /// `lineageLength << 64 | royaltyBps` the `rates` were derived from (never zero for a loaded channel, whose
    /// lineage has at least one model); `rates` are those rates clipped root first so that they add up to at most
    /// 100 %, and `totalRate` their sum. Royalty credits are kept per lineage position (root first):
    /// `royaltyAccounts` holds the loaded lineage's owners in its first `lineageLength` entries (later entries may
    /// still hold an earlier, longer lineage's pending credits), so vouchers for one model, or for models with the
    /// same ancestors, add up in memory. `shares` is the split of the last voucher, kept here rather than
    /// allocated per voucher because memory is never freed within a call.
    struct Settlement {
        bytes32 modelHash;
        uint256 lineageLength;
        bytes32[MAX_MODEL_LINEAGE_LENGTH] lineageModels;
        uint256 terms;
        uint256[MAX_MODEL_LINEAGE_LENGTH] rates;
        uint256 totalRate;
        address token;
        address node;
        address provider;
        uint256 providerCredit;
        address[MAX_MODEL_LINEAGE_LENGTH] royaltyAccounts;
        uint256[MAX_MODEL_LINEAGE_LENGTH] royaltyCredits;
        uint256[MAX_MODEL_LINEAGE_LENGTH] shares;
        uint256 totalPaid;
    }

    /// @notice EIP-712 type hash of a payment voucher.
    bytes32 public constant PAYMENT_VOUCHER_TYPEHASH =
        keccak256("PaymentVoucher(bytes32 channelId,uint256 cumulativeAmount,uint64 nonce)");

    /// @notice Largest number of vouchers one {settle} call accepts.
    uint256 public constant MAX_SETTLEMENT_BATCH = 512;

    uint256 private constant _BPS_DENOMINATOR = 10_000;

    /// @dev The registry the model terms and owners are read from.
    ModelRegistry private immutable _registry;

    mapping(bytes32 channelId => ChannelState state) private _channels;
    /// @dev The provider of every channel of a node: its operator when its first channel opened. The registry never
    /// lets another operator take a node key, and {openChannel} refuses a node whose operator is no longer this one.
    mapping(address node => address provider) private _nodeProviders;
    mapping(address creator => uint256 channelCount) private _creatorNonces;
    mapping(address token => mapping(address account => uint256 amount)) private _balances;

    /// @notice Emitted when `creator` opens the channel `channelId` to `provider` for generations at `node`, under
    /// the terms `pricePerGeneration` and `royaltyBps` (the lineage's rates, root first).
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
    /// @notice Emitted when `funder` adds `amount` to the channel, whose deposit becomes `deposit`.
    event ChannelToppedUp(bytes32 indexed channelId, address indexed funder, uint128 amount, uint128 deposit);
    /// @notice Emitted when the creator moves the channel's expiry to `expiresAt`.
    event ChannelExtended(bytes32 indexed channelId, uint64 expiresAt);
    /// @notice Emitted for every voucher {settle} skipped, with the reason; the voucher paid nothing.
    event VoucherSkipped(bytes32 indexed channelId, address indexed settler, uint64 nonce, SkipReason reason);
    /// @notice Emitted for every voucher settled: `payment` was paid, `royalty` of it to the owners of the model's
    /// lineage and the rest to `provider`.
    /// @dev `royaltyRecipient` is the owner of `modelHash` itself. For a root model `royalty` is all its
    /// owner's; for a derivative model the {LineageRoyaltiesPaid} event that follows splits it.
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
    /// @notice Emitted for a voucher of a derivative model right after its {ChannelSettled}: what each model of
    /// the lineage, root first and the channel's model last, was credited out of the voucher's payment.
    /// @dev The amounts add up to the {ChannelSettled} `royalty`. One event per voucher with the whole lineage
    /// costs less than an event per recipient (a log's base and topic costs are paid once), which keeps a
    /// settlement of the longest lineage within the gas budget. Not emitted for root models, whose
    /// {ChannelSettled} already names the only recipient.
    event LineageRoyaltiesPaid(bytes32 indexed channelId, LineagePayout[] payouts);
    /// @notice Emitted when `creator` closes the channel and gets `refund` back.
    event ChannelClosed(bytes32 indexed channelId, address indexed creator, uint256 refund);
    /// @notice Emitted when `account` withdraws its credited `amount` of `token`.
    event Withdrawn(address indexed token, address indexed account, uint256 amount);

    /// @notice An address argument that must be set is zero.
    error ZeroAddress();
    /// @notice An amount that must be positive is zero.
    error ZeroAmount();
    /// @notice `modelHash` is deactivated: no new channel may be opened for it.
    error ModelInactive(bytes32 modelHash);
    /// @notice `node` is not registered or does not serve `modelHash`: no channel may be bound to it for the model.
    error NodeNotAuthorized(address node, bytes32 modelHash);
    /// @notice `node` is operated by `operator` now, but its channels pay `provider`: a node never changes provider.
    error NodeOperatorChanged(address node, address provider, address operator);
    /// @notice `modelHash` is not registered (raised by the registry, declared here for decoding).
    error ModelNotRegistered(bytes32 modelHash);
    /// @notice `expiresAt` is not after the current block's timestamp `now`.
    error ExpiryNotInFuture(uint64 expiresAt, uint64 now);
    /// @notice An ETH funding sent `sent` wei instead of `expected`.
    error EthAmountMismatch(uint256 expected, uint256 sent);
    /// @notice An ERC-20 funding came with `sent` wei of ETH.
    error UnexpectedEth(uint256 sent);
    /// @notice The contract received `received` of `token` instead of `expected`.
    error TokenTransferShortfall(address token, uint256 expected, uint256 received);
    /// @notice No channel has id `channelId`.
    error ChannelNotFound(bytes32 channelId);
    /// @notice The channel is closed.
    error ChannelIsClosed(bytes32 channelId);
    /// @notice The channel expired at `expiresAt`, which is not after `now`.
    error ChannelExpired(bytes32 channelId, uint64 expiresAt, uint64 now);
    /// @notice The channel expires at `expiresAt`, which is after `now`.
    error ChannelNotExpired(bytes32 channelId, uint64 expiresAt, uint64 now);
    /// @notice `caller` is not `creator`, the channel's creator.
    error NotChannelCreator(bytes32 channelId, address caller, address creator);
    /// @notice `requested` is not after the channel's `current` expiry.
    error ExpiryNotExtended(bytes32 channelId, uint64 current, uint64 requested);
    /// @notice {settle} was called without vouchers.
    error EmptySettlement();
    /// @notice {settle} was called with `count` vouchers, more than `maxCount`.
    error SettlementTooLarge(uint256 count, uint256 maxCount);
    /// @notice `account` has no credited balance of `token`.
    error NothingToWithdraw(address token, address account);

    /**
     * @notice Deploys the channels contract.
     * @dev Requirements:
     *
     * - `registry` is not the zero address.
     *
     * @param registry The model registry that gives model activity, royalty rates and owners.
     */
    constructor(ModelRegistry registry) EIP712("MobileAigcPaymentChannels", "1") {
        if (address(registry) == address(0)) revert ZeroAddress();
        _registry = registry;
    }

    // ------------------------------------------------------------------------------------------------
    // Channel life cycle
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Opens a channel from the caller for generations with `modelHash` at `node`, funded with `amount`.
     * @dev `channelId = keccak256(abi.encode(block.chainid, address(this), creator, creatorNonce))`, where
     * `creatorNonce` counts the channels the caller opened before. For an ERC-20 the caller must have
     * approved `amount` to this contract.
     *
     * The channel's provider is the node's operator now, and its terms are the model's price and the royalty
     * rates of its lineage now ({ModelRegistry-royaltyLineage}): neither changes for this channel afterwards.
     *
     * Requirements:
     *
     * - `node` is not the zero address; `amount` is not zero; `expiresAt` is after the current timestamp.
     * - `modelHash` is registered ({ModelNotRegistered}) and active ({ModelInactive}).
     * - `node` is registered and serves `modelHash` ({NodeNotAuthorized}).
     * - ETH: `msg.value == amount`. ERC-20: `msg.value == 0` and the contract receives exactly `amount`.
     *
     * Emits a {ChannelOpened} event.
     *
     * @param node The node the channel pays for generations at.
     * @param modelHash The model paid for.
     * @param token The ERC-20 token, or `address(0)` for ETH.
     * @param amount The initial deposit.
     * @param expiresAt Timestamp from which the channel is expired.
     * @return channelId The new channel's id.
     */
    function openChannel(address node, bytes32 modelHash, address token, uint128 amount, uint64 expiresAt)
        external
        payable
        nonReentrant
        returns (bytes32 channelId)
    {
        if (node == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        // Expiries are hours to days away: a validator's few seconds of timestamp leeway do not matter.
        // forge-lint: disable-next-line(block-timestamp)
        if (expiresAt <= block.timestamp) revert ExpiryNotInFuture(expiresAt, uint64(block.timestamp));
        ModelRegistry.ModelTerms memory terms = _registry.modelTerms(modelHash);
        if (!terms.active) revert ModelInactive(modelHash);
        if (!_registry.isNodeAuthorized(node, modelHash)) revert NodeNotAuthorized(node, modelHash);
        address provider = _registry.nodeOperator(node);
        address recorded = _nodeProviders[node];
        if (recorded == address(0)) {
            _nodeProviders[node] = provider;
        } else if (recorded != provider) {
            revert NodeOperatorChanged(node, recorded, provider);
        }
        (uint16[] memory royaltyBps, uint64 packedBps) = _snapshotRoyalties(modelHash);

        uint256 creatorNonce = _creatorNonces[msg.sender]++;
        channelId = keccak256(abi.encode(block.chainid, address(this), msg.sender, creatorNonce));
        _channels[channelId] = ChannelState({
            creator: msg.sender,
            expiresAt: expiresAt,
            closed: false,
            node: node,
            lastNonce: 0,
            token: token,
            // casting to 'uint8' is safe because a lineage holds at most MAX_MODEL_LINEAGE_LENGTH models.
            // forge-lint: disable-next-line(unsafe-typecast)
            lineageLength: uint8(royaltyBps.length),
            royaltyBps: packedBps,
            modelHash: modelHash,
            deposit: amount,
            paid: 0,
            pricePerGeneration: terms.pricePerGeneration
        });
        emit ChannelOpened(
            channelId, msg.sender, provider, node, modelHash, token, amount, expiresAt, terms.pricePerGeneration, royaltyBps
        );

        _collect(token, amount);
    }

    /**
     * @notice Adds `amount` to the deposit of `channelId`.
     * @dev Anyone may fund a channel; the funds belong to the channel and any unpaid remainder is refunded to
     * the creator by {closeExpired}.
     *
     * Requirements:
     *
     * - The channel exists, is not closed and is not expired.
     * - `amount` is not zero and the deposit stays within `uint128`.
     * - ETH: `msg.value == amount`. ERC-20: `msg.value == 0` and the contract receives exactly `amount`.
     *
     * Emits a {ChannelToppedUp} event.
     *
     * @param channelId The channel.
     * @param amount The amount added.
     */
    function topUp(bytes32 channelId, uint128 amount) external payable nonReentrant {
        ChannelState storage state = _openChannel(channelId);
        if (amount == 0) revert ZeroAmount();
        uint128 deposit = state.deposit + amount;
        state.deposit = deposit;
        emit ChannelToppedUp(channelId, msg.sender, amount, deposit);

        _collect(state.token, amount);
    }

    /**
     * @notice Moves the expiry of `channelId` to `newExpiresAt`.
     * @dev Also allowed on an expired channel that is not closed yet, which reopens it for settlement.
     *
     * Requirements:
     *
     * - The channel exists and is not closed.
     * - The caller is the channel's creator.
     * - `newExpiresAt` is after the current expiry.
     *
     * Emits a {ChannelExtended} event.
     *
     * @param channelId The channel.
     * @param newExpiresAt The new expiry timestamp.
     */
    function extend(bytes32 channelId, uint64 newExpiresAt) external {
        ChannelState storage state = _creatorChannel(channelId);
        if (state.closed) revert ChannelIsClosed(channelId);
        uint64 current = state.expiresAt;
        if (newExpiresAt <= current) revert ExpiryNotExtended(channelId, current, newExpiresAt);
        state.expiresAt = newExpiresAt;
        emit ChannelExtended(channelId, newExpiresAt);
    }

    /**
     * @notice Settles the latest voucher of one or many channels; invalid vouchers are skipped.
     * @dev A voucher is settled when its channel exists, is not closed and is not expired; the caller is its
     * provider or its node (a node settles on its operator's behalf: the provider is credited either way); `nonce > lastNonce`; `paid < cumulativeAmount <= deposit`; and `signature` is a well-formed
     * signature of {hashVoucher} by the channel's creator. Any other voucher is skipped with a {VoucherSkipped}
     * event naming the first check it failed, and changes nothing; the others settle.
     *
     * A settled voucher pays `p = cumulativeAmount - paid`, split under the channel's opening terms on the
     * cumulative amount (see {_settleShares}): the lineage's total royalty on the cumulative amount `x` is
     * `floor(x * r / 10_000)`, `r` the sum of the opening rates clipped root first to 100 %; it is divided among
     * the lineage root first, each model taking `floor(rest * rate / rateLeft)` of what the models before it
     * left, the last one the rest; the provider gets `x` minus the royalty. Each party is credited the growth of
     * its share from the old to the new cumulative amount, so its total from a channel depends on the channel's
     * paid amount only. The recipients are the lineage owners now. A model deactivated after the channel was
     * opened still settles: deactivation only blocks new channels. Credits are aggregated in memory and stored
     * once per consecutive run of the same (token, account), so grouping the vouchers by token and model keeps
     * the call cheap.
     *
     * Requirements:
     *
     * - Between 1 and {MAX_SETTLEMENT_BATCH} vouchers.
     *
     * Emits a {ChannelSettled} event per settled voucher, followed, for a derivative model, by a
     * {LineageRoyaltiesPaid} event; a {VoucherSkipped} event per skipped voucher.
     *
     * @param vouchers The vouchers, at most one per channel needed (later ones must raise nonce and amount).
     * @return totalPaid Sum of the payments of the settled vouchers, all tokens together.
     */
    function settle(SignedVoucher[] calldata vouchers) external nonReentrant returns (uint256 totalPaid) {
        uint256 count = vouchers.length;
        if (count == 0) revert EmptySettlement();
        if (count > MAX_SETTLEMENT_BATCH) revert SettlementTooLarge(count, MAX_SETTLEMENT_BATCH);

        Settlement memory run;
        for (uint256 i = 0; i < count; ++i) {
            _settleVoucher(vouchers[i], run);
        }
        _flushCredits(run);
        return run.totalPaid;
    }

    /**
     * @notice Closes an expired channel and sends the unpaid remainder, `deposit - paid`, to its creator.
     * @dev The refund is sent directly to the caller, who is the creator.
     *
     * Requirements:
     *
     * - The channel exists and is not closed.
     * - The caller is the channel's creator.
     * - The channel is expired (`block.timestamp >= expiresAt`).
     *
     * Emits a {ChannelClosed} event.
     *
     * @param channelId The channel.
     */
    function closeExpired(bytes32 channelId) external nonReentrant {
        ChannelState storage state = _creatorChannel(channelId);
        if (state.closed) revert ChannelIsClosed(channelId);
        uint64 expiresAt = state.expiresAt;
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp < expiresAt) revert ChannelNotExpired(channelId, expiresAt, uint64(block.timestamp));
        state.closed = true;
        uint256 refund = state.deposit - state.paid;
        emit ChannelClosed(channelId, msg.sender, refund);

        if (refund != 0) _send(state.token, msg.sender, refund);
    }

    /**
     * @notice Withdraws the caller's whole credited balance of `token`.
     *
     * Requirements:
     *
     * - The caller has a credited balance of `token`.
     * - ETH: the caller accepts ETH (otherwise the call reverts with the caller's revert data, or
     *   {Errors-FailedCall} when there is none, and the credit stays).
     *
     * Emits a {Withdrawn} event.
     *
     * @param token The ERC-20 token, or `address(0)` for ETH.
     * @return amount The amount sent.
     */
    function withdraw(address token) external nonReentrant returns (uint256 amount) {
        amount = _balances[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(token, msg.sender);
        _balances[token][msg.sender] = 0;
        emit Withdrawn(token, msg.sender, amount);

        _send(token, msg.sender, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /**
     * @notice Returns the channel `channelId`.
     *
     * Requirements:
     *
     * - The channel exists.
     *
     * @param channelId The channel.
     * @return The channel.
     */
    function channel(bytes32 channelId) external view returns (Channel memory) {
        ChannelState storage state = _existingChannel(channelId);
        uint256 length = state.lineageLength;
        uint64 packedBps = state.royaltyBps;
        uint16[] memory royaltyBps = new uint16[](length);
        for (uint256 i = 0; i < length; ++i) {
            // casting to 'uint16' keeps the 16 bits of position i, as packed by {openChannel}.
            // forge-lint: disable-next-line(unsafe-typecast)
            royaltyBps[i] = uint16(packedBps >> (16 * i));
        }
        return Channel({
            creator: state.creator,
            provider: _nodeProviders[state.node],
            node: state.node,
            token: state.token,
            modelHash: state.modelHash,
            deposit: state.deposit,
            paid: state.paid,
            expiresAt: state.expiresAt,
            lastNonce: state.lastNonce,
            closed: state.closed,
            pricePerGeneration: state.pricePerGeneration,
            royaltyBps: royaltyBps
        });
    }

    /**
     * @notice Returns the credited, not yet withdrawn balance of `account` in `token`.
     * @param token The ERC-20 token, or `address(0)` for ETH.
     * @param account The account.
     * @return The credited balance.
     */
    function balanceOf(address token, address account) external view returns (uint256) {
        return _balances[token][account];
    }

    /**
     * @notice Returns the EIP-712 digest a creator signs for a voucher.
     * @param channelId The channel.
     * @param cumulativeAmount Total amount owed on the channel.
     * @param voucherNonce The voucher's nonce (named so to keep it apart from a transaction nonce in generated clients).
     * @return digest `_hashTypedDataV4(keccak256(abi.encode(PAYMENT_VOUCHER_TYPEHASH, channelId, cumulativeAmount, nonce)))`.
     */
    function hashVoucher(bytes32 channelId, uint256 cumulativeAmount, uint64 voucherNonce) external view returns (bytes32 digest) {
        return _hashVoucher(channelId, cumulativeAmount, voucherNonce);
    }

    /**
     * @notice Returns the EIP-712 domain separator of the channels contract.
     * @return The domain separator of `EIP712Domain(name "MobileAigcPaymentChannels", version "1", chainId, this)`.
     */
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev Settles one voucher into `run`: checks and consumes it (or emits why it is skipped), switches token,
    /// lineage and rates when they change (writing the credits they end), splits the payment and emits.
    function _settleVoucher(SignedVoucher calldata voucher, Settlement memory run) private {
        (ChannelState storage state, uint256 paid, SkipReason reason, bool valid) = _consumeVoucher(voucher, run);
        if (!valid) {
            emit VoucherSkipped(voucher.channelId, msg.sender, voucher.nonce, reason);
            return;
        }
        address token = state.token;
        if (token != run.token) {
            _flushCredits(run);
            run.token = token;
        }
        bytes32 modelHash = state.modelHash;
        // Lineages are read once per run of vouchers for the same model, rates once per run of the same terms.
        if (modelHash != run.modelHash) _loadLineage(run, modelHash);
        uint256 terms = (uint256(state.lineageLength) << 64) | state.royaltyBps;
        if (terms != run.terms) _loadRates(run, terms);

        uint256 cumulativeAmount = voucher.cumulativeAmount;
        _emitSettlement(voucher, run, cumulativeAmount - paid, _settleShares(run, paid, cumulativeAmount));
    }

    /// @dev Emits the {ChannelSettled} of a voucher and, for a derivative model, its {LineageRoyaltiesPaid}.
    function _emitSettlement(
        SignedVoucher calldata voucher,
        Settlement memory run,
        uint256 payment,
        uint256 royalty
    ) private {
        bytes32 channelId = voucher.channelId;
        uint256 length = run.lineageLength;
        emit ChannelSettled(
            channelId,
            run.provider,
            run.modelHash,
            voucher.nonce,
            voucher.cumulativeAmount,
            payment,
            royalty,
            run.royaltyAccounts[length - 1]
        );
        if (length > 1) _emitLineageRoyalties(channelId, run, length);
    }

    /// @dev Emits `LineageRoyaltiesPaid(channelId, payouts)` with the current lineage's models, owners and shares.
    /// The ABI encoding of the `LineagePayout[]` is written straight from the run's fixed arrays into scratch
    /// memory: building a memory array of structs for `emit` cost about 600 gas more per lineage model (its
    /// allocations and the generic encoder), which put a voucher of the longest lineage over the gas budget.
    function _emitLineageRoyalties(bytes32 channelId, Settlement memory run, uint256 length) private {
        bytes32 topic0 = LineageRoyaltiesPaid.selector;
        bytes32[MAX_MODEL_LINEAGE_LENGTH] memory models = run.lineageModels;
        address[MAX_MODEL_LINEAGE_LENGTH] memory recipients = run.royaltyAccounts;
        uint256[MAX_MODEL_LINEAGE_LENGTH] memory amounts = run.shares;
        assembly ("memory-safe") {
            // Scratch past the free memory pointer, which is left where it is: nothing else is allocated here.
            let data := mload(0x40)
            mstore(data, 0x20) // offset of the array in the event's data
            mstore(add(data, 0x20), length)
            let out := add(data, 0x40)
            for { let i := 0 } lt(i, length) { i := add(i, 1) } {
                let at := shl(5, i)
                mstore(out, mload(add(models, at)))
                mstore(add(out, 0x20), mload(add(recipients, at)))
                mstore(add(out, 0x40), mload(add(amounts, at)))
                out := add(out, 0x60)
            }
            log2(data, sub(out, data), topic0, channelId)
        }
    }

    /// @dev Credits the payment of a channel whose cumulative paid amount grows from `before` to `after` under the
    /// current rates: each party gets the growth of its share of the cumulative amount, so what a party is credited
    /// from a channel in total is its share of the channel's paid amount, however the payments were split.
    ///
    /// The shares of a cumulative amount `x` come from nested splits, each of a quantity `q` into `floor(q * a / b)`
    /// and `q - floor(q * a / b)` with `a <= b`, two parts that never shrink as `q` grows: the royalty
    /// `floor(x * totalRate / 10_000)` against the provider's rest, then, root first, each model's
    /// `floor(rest * rate / rateLeft)` against what it leaves to the models after it (the last model with a rate
    /// takes all of it, as its rate is all that is left). So every share is a non-decreasing function of `x`, the
    /// growth of each is never negative and all shares add up to `x` exactly; each differs from the exact
    /// proportion by less than one wei per split above it. Writes the lineage's growths to `run.shares`, adds
    /// them to the pending credits and returns the royalty.
    function _settleShares(Settlement memory run, uint256 before, uint256 after_)
        private
        pure
        returns (uint256 royalty)
    {
        uint256 rateLeft = run.totalRate;
        uint256 length = run.lineageLength;
        uint256[MAX_MODEL_LINEAGE_LENGTH] memory rates = run.rates;
        uint256[MAX_MODEL_LINEAGE_LENGTH] memory shares = run.shares;
        uint256[MAX_MODEL_LINEAGE_LENGTH] memory credits = run.royaltyCredits;
        // x <= deposit, a uint128, and rates <= 10_000: the products cannot overflow.
        uint256 restAfter = after_ * rateLeft / _BPS_DENOMINATOR;
        uint256 restBefore = before * rateLeft / _BPS_DENOMINATOR;
        royalty = restAfter - restBefore;
        // The lineage loop in assembly: with Solidity's bounds and arithmetic checks it cost about 150 gas more per
        // model, which put a voucher of the longest lineage over the gas budget. Why the checks cannot fail:
        // `rateLeft >= rate > 0` where it divides (the rates add up to `totalRate`); `takeAfter >= takeBefore` and
        // the rests stay non-negative because each part is non-decreasing (above); products and credits stay far
        // below 2^256 (amounts are uint128, rates at most 10_000, at most 512 vouchers per call).
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, length) { i := add(i, 1) } {
                let at := shl(5, i)
                let rate := mload(add(rates, at))
                let share := 0
                if rate {
                    let takeAfter := div(mul(restAfter, rate), rateLeft)
                    let takeBefore := div(mul(restBefore, rate), rateLeft)
                    share := sub(takeAfter, takeBefore)
                    restAfter := sub(restAfter, takeAfter)
                    restBefore := sub(restBefore, takeBefore)
                    rateLeft := sub(rateLeft, rate)
                }
                mstore(add(shares, at), share)
                let credit := add(credits, at)
                mstore(credit, add(mload(credit), share))
            }
        }
        uint256 payment = after_ - before;
        run.providerCredit += payment - royalty;
        unchecked {
            // payment <= deposit, a uint128: a total of at most 512 of them cannot overflow.
            run.totalPaid += payment;
        }
    }

    /// @dev Makes `modelHash`'s lineage (its models and their current owners) the current one; a position whose
    /// owner changes has its pending credit written first. A model's ancestors are fixed when it is registered, so
    /// the lineage has as many models as the channel's opening snapshot.
    function _loadLineage(Settlement memory run, bytes32 modelHash) private {
        ModelRegistry.RoyaltyShare[] memory lineage = _registry.royaltyLineage(modelHash);
        uint256 length = lineage.length;
        for (uint256 i = 0; i < length; ++i) {
            ModelRegistry.RoyaltyShare memory share = lineage[i];
            address owner = share.owner;
            if (owner != run.royaltyAccounts[i]) {
                _credit(run.token, run.royaltyAccounts[i], run.royaltyCredits[i]);
                run.royaltyAccounts[i] = owner;
                run.royaltyCredits[i] = 0;
            }
            run.lineageModels[i] = share.modelHash;
        }
        run.lineageLength = length;
        run.modelHash = modelHash;
    }

    /// @dev Makes `node` and its provider the current ones; when the provider changes, the credit pending for the
    /// previous one is written first.
    function _loadProvider(Settlement memory run, address node) private {
        address provider = _nodeProviders[node];
        if (provider != run.provider) {
            _credit(run.token, run.provider, run.providerCredit);
            run.providerCredit = 0;
            run.provider = provider;
        }
        run.node = node;
    }

    /// @dev Makes the channel's packed opening `terms` (`lineageLength << 64 | royaltyBps`) the current rates,
    /// clipped root first so that they add up to at most 100 %: an ancestor's rate counts before any descendant's.
    function _loadRates(Settlement memory run, uint256 terms) private pure {
        uint256 length = terms >> 64;
        uint256 left = _BPS_DENOMINATOR;
        for (uint256 i = 0; i < MAX_MODEL_LINEAGE_LENGTH; ++i) {
            uint256 rate = i < length ? (terms >> (16 * i)) & 0xffff : 0;
            if (rate > left) rate = left;
            unchecked {
                left -= rate;
            }
            run.rates[i] = rate;
        }
        run.totalRate = _BPS_DENOMINATOR - left;
        run.terms = terms;
    }

    /// @dev The royalty rate of every model of `modelHash`'s lineage now, root first, as a list and packed 16 bits
    /// per model (root in the lowest bits).
    function _snapshotRoyalties(bytes32 modelHash) private view returns (uint16[] memory rates, uint64 packed) {
        ModelRegistry.RoyaltyShare[] memory lineage = _registry.royaltyLineage(modelHash);
        uint256 length = lineage.length;
        rates = new uint16[](length);
        for (uint256 i = 0; i < length; ++i) {
            uint16 rate = lineage[i].royaltyBps;
            rates[i] = rate;
            // casting to 'uint64' is safe because 16 * i < 64 for the at most 4 models of a lineage.
            // forge-lint: disable-next-line(unsafe-typecast)
            packed |= uint64(rate) << uint64(16 * i);
        }
    }

    /// @dev Writes every pending credit (provider and every lineage position) and clears them.
    function _flushCredits(Settlement memory run) private {
        address token = run.token;
        _credit(token, run.provider, run.providerCredit);
        run.providerCredit = 0;
        for (uint256 i = 0; i < MAX_MODEL_LINEAGE_LENGTH; ++i) {
            _credit(token, run.royaltyAccounts[i], run.royaltyCredits[i]);
            run.royaltyCredits[i] = 0;
        }
    }

    /// @dev Checks `voucher` against its channel and, when it passes (`valid`), records it as the channel's latest
    /// and returns what the channel had paid before; otherwise returns the first check it failed and changes
    /// nothing.
    function _consumeVoucher(SignedVoucher calldata voucher, Settlement memory run)
        private
        returns (ChannelState storage state, uint256 paid, SkipReason reason, bool valid)
    {
        bytes32 channelId = voucher.channelId;
        state = _channels[channelId];
        address creator = state.creator;
        if (creator == address(0)) return (state, 0, SkipReason.UnknownChannel, false);
        if (state.closed) return (state, 0, SkipReason.ChannelClosed, false);
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp >= state.expiresAt) return (state, 0, SkipReason.ChannelExpired, false);
        address node = state.node;
        if (node != run.node) _loadProvider(run, node);
        if (msg.sender != node && msg.sender != run.provider) return (state, 0, SkipReason.NotChannelProvider, false);

        uint64 nonce = voucher.nonce;
        if (nonce <= state.lastNonce) return (state, 0, SkipReason.NonceTooLow, false);
        uint256 cumulativeAmount = voucher.cumulativeAmount;
        paid = state.paid;
        if (cumulativeAmount <= paid) return (state, 0, SkipReason.AmountNotIncreasing, false);
        if (cumulativeAmount > state.deposit) return (state, 0, SkipReason.ExceedsDeposit, false);

        (address recovered, ECDSA.RecoverError recoverError,) =
            ECDSA.tryRecoverCalldata(_hashVoucher(channelId, cumulativeAmount, nonce), voucher.signature);
        if (recoverError != ECDSA.RecoverError.NoError) return (state, 0, SkipReason.MalformedSignature, false);
        if (recovered != creator) return (state, 0, SkipReason.InvalidSigner, false);

        // casting to 'uint128' is safe because cumulativeAmount <= deposit, a uint128.
        // forge-lint: disable-next-line(unsafe-typecast)
        state.paid = uint128(cumulativeAmount);
        state.lastNonce = nonce;
        return (state, paid, SkipReason.UnknownChannel, true);
    }

    /// @dev Adds `amount` to the withdrawable balance of `account` in `token`; a zero amount writes nothing.
    function _credit(address token, address account, uint256 amount) private {
        if (amount != 0) _balances[token][account] += amount;
    }

    /// @dev Takes `amount` of `token` from the caller: the attached ETH, or an ERC-20 transfer that must arrive in
    /// full ({TokenTransferShortfall} otherwise).
    function _collect(address token, uint128 amount) private {
        if (token == address(0)) {
            if (msg.value != amount) revert EthAmountMismatch(amount, msg.value);
        } else {
            if (msg.value != 0) revert UnexpectedEth(msg.value);
            IERC20 erc20 = IERC20(token);
            uint256 balanceBefore = erc20.balanceOf(address(this));
            erc20.safeTransferFrom(msg.sender, address(this), amount);
            uint256 received = erc20.balanceOf(address(this)) - balanceBefore;
            if (received != amount) revert TokenTransferShortfall(token, amount, received);
        }
    }

    /// @dev Sends `amount` of `token` (ETH for the zero address) to `to`; a failure reverts the call.
    function _send(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            Address.sendValue(payable(to), amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    /// @dev The EIP-712 digest of a `PaymentVoucher` in this contract's domain.
    function _hashVoucher(bytes32 channelId, uint256 cumulativeAmount, uint64 nonce) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(PAYMENT_VOUCHER_TYPEHASH, channelId, cumulativeAmount, nonce)));
    }

    /// @dev The channel's state; reverts with {ChannelNotFound} for an unknown id.
    function _existingChannel(bytes32 channelId) private view returns (ChannelState storage state) {
        state = _channels[channelId];
        if (state.creator == address(0)) revert ChannelNotFound(channelId);
    }

    /// @dev The channel exists, is not closed and is not expired.
    function _openChannel(bytes32 channelId) private view returns (ChannelState storage state) {
        state = _existingChannel(channelId);
        if (state.closed) revert ChannelIsClosed(channelId);
        uint64 expiresAt = state.expiresAt;
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp >= expiresAt) revert ChannelExpired(channelId, expiresAt, uint64(block.timestamp));
    }

    /// @dev The channel's state; reverts unless it exists and the caller is its creator.
    function _creatorChannel(bytes32 channelId) private view returns (ChannelState storage state) {
        state = _existingChannel(channelId);
        address creator = state.creator;
        if (creator != msg.sender) revert NotChannelCreator(channelId, msg.sender, creator);
    }
}
