using System.Numerics;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Chain.Generated.PaymentChannels;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Abi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>A payment channel as <c>PaymentChannels</c> holds it.</summary>
/// <param name="ChannelId">The channel's id.</param>
/// <param name="Creator">Who funded it and signs the vouchers.</param>
/// <param name="Provider">Who settles the vouchers and is paid: the node's operator when the channel opened.</param>
/// <param name="Node">The only node the channel pays generations at.</param>
/// <param name="Token">The ERC-20 it holds, or the zero address for ETH.</param>
/// <param name="ModelHash">The model the channel pays for.</param>
/// <param name="Deposit">Everything put in so far.</param>
/// <param name="Paid">Everything settled so far (provider and royalty together).</param>
/// <param name="ExpiresAt">After this the creator may close and take back <c>Deposit - Paid</c>.</param>
/// <param name="LastNonce">The nonce of the last settled voucher.</param>
/// <param name="Closed">Whether the creator closed it.</param>
/// <param name="PricePerGeneration">The model's price per generation when the channel opened.</param>
/// <param name="RoyaltyBps">The lineage's royalty rates when the channel opened, root first: the rates it pays.</param>
public sealed record PaymentChannel(
    Bytes32 ChannelId, EvmAddress Creator, EvmAddress Provider, EvmAddress Node, EvmAddress Token, Bytes32 ModelHash,
    BigInteger Deposit, BigInteger Paid, DateTimeOffset ExpiresAt, ulong LastNonce, bool Closed,
    BigInteger PricePerGeneration, IReadOnlyList<int> RoyaltyBps)
{
    /// <summary>What the channel can still pay.</summary>
    public BigInteger Remaining => Deposit - Paid;
}

/// <summary>Why <c>settle</c> skipped a voucher (the contract's <c>SkipReason</c>, in its order).</summary>
public enum VoucherSkipReason
{
    /// <summary>No channel has the id.</summary>
    UnknownChannel,

    /// <summary>The creator closed the channel.</summary>
    ChannelClosed,

    /// <summary>The channel is expired.</summary>
    ChannelExpired,

    /// <summary>The sender is not the channel's provider.</summary>
    NotChannelProvider,

    /// <summary>The nonce is not above the last settled one.</summary>
    NonceTooLow,

    /// <summary>The amount is not above what the channel paid.</summary>
    AmountNotIncreasing,

    /// <summary>The amount is above the deposit.</summary>
    ExceedsDeposit,

    /// <summary>The signature is not a well-formed 65-byte signature.</summary>
    MalformedSignature,

    /// <summary>The signature is not the channel creator's.</summary>
    InvalidSigner,
}

/// <summary>A voucher a settlement skipped: it paid nothing and changed nothing.</summary>
/// <param name="ChannelId">The voucher's channel.</param>
/// <param name="Nonce">The voucher's nonce.</param>
/// <param name="Reason">The first check it failed.</param>
public sealed record SkippedVoucher(Bytes32 ChannelId, ulong Nonce, VoucherSkipReason Reason);

/// <summary>A voucher with the creator's signature, ready to settle.</summary>
/// <param name="Voucher">The voucher.</param>
/// <param name="Signature">The creator's EIP-712 signature over it.</param>
public sealed record SignedPaymentVoucher(PaymentVoucher Voucher, EcdsaSignature Signature);

/// <summary>One royalty a settled voucher credited: to the owner of one model of the lineage, under that model's terms.</summary>
/// <param name="ModelHash">The lineage model whose terms granted the royalty.</param>
/// <param name="Recipient">Its owner at settlement, who was credited.</param>
/// <param name="Amount">The amount credited.</param>
public sealed record RoyaltyPayout(Bytes32 ModelHash, EvmAddress Recipient, BigInteger Amount);

/// <summary>What one voucher of a settlement paid, and to whom.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="ModelHash">The model the channel pays for.</param>
/// <param name="Nonce">The voucher's nonce.</param>
/// <param name="CumulativeAmount">The voucher's cumulative amount, now the channel's <c>Paid</c>.</param>
/// <param name="Payment">What this voucher added: the cumulative amount less what was paid before.</param>
/// <param name="Royalties">
/// The royalties credited out of <paramref name="Payment"/>, one per model of the channel model's
/// lineage, root first and the channel's model last (a root model: one entry); an entry may be zero
/// (a zero rate, or nothing left once the models before it were paid).
/// </param>
public sealed record SettledVoucher(
    Bytes32 ChannelId, Bytes32 ModelHash, ulong Nonce, BigInteger CumulativeAmount, BigInteger Payment,
    IReadOnlyList<RoyaltyPayout> Royalties)
{
    /// <summary>The royalties' total.</summary>
    public BigInteger Royalty => Royalties.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Amount);

    /// <summary>What the provider was credited: the payment less the royalties.</summary>
    public BigInteger ProviderShare => Payment - Royalty;
}

/// <summary>What one settlement transaction paid.</summary>
/// <param name="Transaction">The mined transaction.</param>
/// <param name="ChannelCount">How many vouchers it settled (a channel settled twice in one batch counts twice).</param>
/// <param name="TotalPaid">Sum of the payments, royalties included.</param>
/// <param name="TotalRoyalty">The model owners' part of <paramref name="TotalPaid"/>, the whole lineages' together.</param>
public sealed record Settlement(ChainTransaction Transaction, int ChannelCount, BigInteger TotalPaid, BigInteger TotalRoyalty)
{
    /// <summary>Each settled voucher, in the order of the batch, with its royalty payouts.</summary>
    public IReadOnlyList<SettledVoucher> Vouchers { get; init; } = [];

    /// <summary>Each voucher of the batch the contract skipped, with the reason, in the order of the batch.</summary>
    public IReadOnlyList<SkippedVoucher> Skipped { get; init; } = [];

    /// <summary>
    /// What the settlement credited each (model, recipient) in royalties, summed over the vouchers, in
    /// the order first credited.
    /// </summary>
    public IReadOnlyList<RoyaltyPayout> RoyaltyTotals => Vouchers
        .SelectMany(v => v.Royalties)
        .GroupBy(r => (r.ModelHash, r.Recipient))
        .Select(g => new RoyaltyPayout(g.Key.ModelHash, g.Key.Recipient, g.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Amount)))
        .ToList();
}

/// <summary>
/// Typed access to <c>PaymentChannels</c>: opening and funding channels, batched settlement of
/// vouchers with royalties, refunds after expiry and withdrawals. Every method throws
/// <see cref="ContractRevertException"/> when the contract refuses.
/// </summary>
public sealed class PaymentChannelsClient(IWeb3 web3, EvmAddress address, BigInteger chainId)
{
    private const string Contract = "PaymentChannels";
    private readonly PaymentChannelsService _service = new(web3, address.ToString());

    /// <summary>The contract's address.</summary>
    public EvmAddress Address { get; } = address;

    /// <summary>The EIP-712 domain vouchers are signed in.</summary>
    public ContractDomain Domain { get; } = ContractDomain.ForPaymentChannels(chainId, address);

    /// <summary>
    /// Opens a channel from the sending account for generations with one model at
    /// <paramref name="node"/> (which must serve the model; its operator becomes the provider),
    /// depositing <paramref name="amount"/> of <paramref name="token"/> (the zero address: wei of
    /// ETH), under the model's terms now. For an ERC-20 the method first approves the contract for
    /// exactly that amount. Returns the new channel's id.
    /// </summary>
    public async Task<(Bytes32 ChannelId, ChainTransaction Transaction)> OpenChannelAsync(
        EvmAddress node, Bytes32 modelHash, EvmAddress token, BigInteger amount, DateTimeOffset expiresAt,
        CancellationToken cancellationToken = default)
    {
        await ApproveAsync(token, amount, cancellationToken);
        var open = new Abi.OpenChannelFunction
        {
            Node = node.ToString(),
            ModelHash = modelHash.ToArray(),
            Token = token.ToString(),
            Amount = amount,
            ExpiresAt = (ulong)expiresAt.ToUnixTimeSeconds(),
            AmountToSend = token.IsZero ? amount : 0,
        };
        var receipt = await RevertDecoder.SendAsync(
            Contract, cancellation => _service.OpenChannelRequestAndWaitForReceiptAsync(open, cancellation), cancellationToken);
        var opened = receipt.DecodeAllEvents<Abi.ChannelOpenedEventDTO>().Single().Event;
        return (Bytes32.FromBytes(opened.ChannelId), ChainTransaction.From(receipt));
    }

    /// <summary>
    /// Adds <paramref name="amount"/> of the channel's token (wei for ETH) to a channel; anyone may
    /// fund. For an ERC-20 the method first approves the contract for exactly that amount.
    /// </summary>
    public async Task<ChainTransaction> TopUpAsync(Bytes32 channelId, BigInteger amount, CancellationToken cancellationToken = default)
    {
        var token = (await GetChannelAsync(channelId, cancellationToken)).Token;
        await ApproveAsync(token, amount, cancellationToken);
        return ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.TopUpRequestAndWaitForReceiptAsync(
            new Abi.TopUpFunction { ChannelId = channelId.ToArray(), Amount = amount, AmountToSend = token.IsZero ? amount : 0 }, cancellation),
            cancellationToken));
    }

    /// <summary>Moves a channel's expiry later; creator only.</summary>
    public async Task<ChainTransaction> ExtendAsync(Bytes32 channelId, DateTimeOffset newExpiresAt, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.ExtendRequestAndWaitForReceiptAsync(
            channelId.ToArray(), (ulong)newExpiresAt.ToUnixTimeSeconds(), cancellation), cancellationToken));

    /// <summary>
    /// Settles the latest voucher of each channel in one transaction, sent by the channels' provider.
    /// The result lists, per settled voucher, the royalties credited to each model of the lineage,
    /// and the vouchers the contract skipped with the reason (the others settle regardless).
    /// </summary>
    public async Task<Settlement> SettleAsync(IReadOnlyCollection<SignedPaymentVoucher> vouchers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vouchers);
        var batch = vouchers.Select(v => v.ToContractStruct()).ToList();
        var receipt = await RevertDecoder.SendAsync(
            Contract, cancellation => _service.SettleRequestAndWaitForReceiptAsync(batch, cancellation), cancellationToken);
        return ReadSettlement(receipt);
    }

    /// <summary>
    /// What the mined settlement transaction <paramref name="transactionHash"/> paid, read from its
    /// receipt: for a settlement worker that sent it before a restart. Null while it is not mined.
    /// </summary>
    /// <exception cref="ContractRevertException">When the transaction failed.</exception>
    public async Task<Settlement?> GetSettlementAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transactionHash);
        if (receipt is null)
        {
            return null;
        }

        return receipt.Succeeded()
            ? ReadSettlement(receipt)
            : throw new ContractRevertException(
                Contract, $"transaction {receipt.TransactionHash} failed in block {receipt.BlockNumber.Value}", new InvalidOperationException());
    }

    // ChannelSettled carries the total royalty and the model's own owner; for a derivative model the
    // LineageRoyaltiesPaid event right after it splits that total over the lineage.
    private Settlement ReadSettlement(TransactionReceipt receipt)
    {
        var ours = Address.ToString();
        var settledEvents = receipt.DecodeAllEvents<Abi.ChannelSettledEventDTO>()
            .Where(e => string.Equals(e.Log.Address, ours, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var lineageEvents = receipt.DecodeAllEvents<Abi.LineageRoyaltiesPaidEventDTO>()
            .Where(e => string.Equals(e.Log.Address, ours, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(e => e.Log.LogIndex.Value);

        var vouchers = new List<SettledVoucher>(settledEvents.Count);
        foreach (var (settled, log) in settledEvents.Select(e => (e.Event, e.Log)))
        {
            IReadOnlyList<RoyaltyPayout> royalties = lineageEvents.TryGetValue(log.LogIndex.Value + 1, out var lineage)
                ? lineage.Event.Payouts
                    .Select(p => new RoyaltyPayout(Bytes32.FromBytes(p.ModelHash), EvmAddress.Parse(p.Recipient), p.Amount))
                    .ToList()
                : [new RoyaltyPayout(Bytes32.FromBytes(settled.ModelHash), EvmAddress.Parse(settled.RoyaltyRecipient), settled.Royalty)];
            vouchers.Add(new SettledVoucher(
                Bytes32.FromBytes(settled.ChannelId), Bytes32.FromBytes(settled.ModelHash), settled.Nonce,
                settled.CumulativeAmount, settled.Payment, royalties));
        }

        var skipped = receipt.DecodeAllEvents<Abi.VoucherSkippedEventDTO>()
            .Where(e => string.Equals(e.Log.Address, ours, StringComparison.OrdinalIgnoreCase))
            .Select(e => new SkippedVoucher(Bytes32.FromBytes(e.Event.ChannelId), e.Event.Nonce, (VoucherSkipReason)e.Event.Reason))
            .ToList();

        return new Settlement(ChainTransaction.From(receipt), vouchers.Count,
            vouchers.Aggregate(BigInteger.Zero, (sum, v) => sum + v.Payment),
            settledEvents.Aggregate(BigInteger.Zero, (sum, e) => sum + e.Event.Royalty))
        {
            Vouchers = vouchers,
            Skipped = skipped,
        };
    }

    /// <summary>Closes an expired channel and refunds what is left to the creator; creator only.</summary>
    public async Task<ChainTransaction> CloseExpiredAsync(Bytes32 channelId, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.CloseExpiredRequestAndWaitForReceiptAsync(
            channelId.ToArray(), cancellation), cancellationToken));

    /// <summary>Withdraws the sending account's whole credited balance of a token (zero address: ETH).</summary>
    public async Task<ChainTransaction> WithdrawAsync(EvmAddress token, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.WithdrawRequestAndWaitForReceiptAsync(
            token.ToString(), cancellation), cancellationToken));

    /// <summary>Reads a channel; throws <see cref="ContractRevertException"/> (<c>ChannelNotFound</c>) for an unknown id.</summary>
    public async Task<PaymentChannel> GetChannelAsync(Bytes32 channelId, CancellationToken cancellationToken = default)
    {
        var c = (await RevertDecoder.CallAsync(Contract, () => _service.ChannelQueryAsync(channelId.ToArray()), cancellationToken)).ReturnValue1;
        return new PaymentChannel(channelId, EvmAddress.Parse(c.Creator), EvmAddress.Parse(c.Provider), EvmAddress.Parse(c.Node),
            EvmAddress.Parse(c.Token), Bytes32.FromBytes(c.ModelHash), c.Deposit, c.Paid, DateTimeOffset.FromUnixTimeSeconds((long)c.ExpiresAt),
            c.LastNonce, c.Closed, c.PricePerGeneration, c.RoyaltyBps.Select(rate => (int)rate).ToList());
    }

    /// <summary>An account's credited, not yet withdrawn, balance of a token (zero address: ETH).</summary>
    public Task<BigInteger> BalanceOfAsync(EvmAddress token, EvmAddress account, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.BalanceOfQueryAsync(token.ToString(), account.ToString()), cancellationToken);

    private async Task ApproveAsync(EvmAddress token, BigInteger amount, CancellationToken cancellationToken)
    {
        if (token.IsZero || amount.IsZero)
        {
            return;
        }

        await RevertDecoder.SendAsync(token.ToString(), cancellation => web3.Eth.ERC20.GetContractService(token.ToString())
            .ApproveRequestAndWaitForReceiptAsync(Address.ToString(), amount, cancellation.Token), cancellationToken);
    }

    /// <summary>The voucher's EIP-712 digest as the contract computes it.</summary>
    public async Task<Bytes32> HashVoucherAsync(PaymentVoucher voucher, CancellationToken cancellationToken = default) =>
        Bytes32.FromBytes(await RevertDecoder.CallAsync(Contract, () => _service.HashVoucherQueryAsync(
            voucher.ChannelId.ToArray(), voucher.CumulativeAmount, voucher.Nonce), cancellationToken));
}
