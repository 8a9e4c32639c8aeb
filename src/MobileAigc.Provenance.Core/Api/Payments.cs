using System.Numerics;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The payment a paid generation request carries: the creator's next cumulative voucher on a
/// <c>PaymentChannels</c> channel, signed EIP-712 (<see cref="PaymentVoucherTypedData"/>).
/// </summary>
/// <param name="ChannelId">The channel, bound on chain to one creator, one provider and one model.</param>
/// <param name="CumulativeAmount">Everything owed on the channel so far, this generation included (decimal string).</param>
/// <param name="Nonce">Above the nonce of every voucher the node accepted on the channel before.</param>
/// <param name="Signature">The creator's 65-byte signature r ‖ s ‖ v as 0x-prefixed hex.</param>
public sealed record VoucherPayment(
    Bytes32 ChannelId,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger CumulativeAmount,
    ulong Nonce,
    string Signature)
{
    /// <summary>The voucher without its signature.</summary>
    public PaymentVoucher Voucher => new(ChannelId, CumulativeAmount, Nonce);
}

/// <summary>What the node charged for a generation: the voucher it accepted and stored before answering.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="Nonce">The accepted voucher's nonce.</param>
/// <param name="CumulativeAmount">The accepted voucher's amount: the channel's total owed to this node so far.</param>
/// <param name="Price">The price of the generation the node charged, in the channel's token.</param>
public sealed record AcceptedPayment(
    Bytes32 ChannelId,
    ulong Nonce,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger CumulativeAmount,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Price);

/// <summary>How to pay this node (<c>GET v1/payments</c>): what a creator's client needs to open a channel it accepts and sign vouchers.</summary>
/// <param name="Enabled">False when the node has no chain configured: every model is free and vouchers are ignored.</param>
/// <param name="ChainId">The chain of the <c>PaymentChannels</c> contract; null when disabled.</param>
/// <param name="PaymentChannels">The contract whose EIP-712 domain vouchers are signed in; null when disabled.</param>
/// <param name="Provider">The provider the node requires channels to pay, when configured; null: the node's operator on chain (or disabled).</param>
/// <param name="Node">The node address a channel must be opened for (bound to); null when disabled.</param>
/// <param name="AcceptedTokens">The tokens a channel may hold, each with its price per generation; empty when disabled.</param>
public sealed record PaymentTerms(
    bool Enabled, long? ChainId, EvmAddress? PaymentChannels, EvmAddress? Provider, EvmAddress? Node, IReadOnlyList<AcceptedToken> AcceptedTokens);

/// <summary>A token a node accepts channels in, and what one generation costs in it.</summary>
/// <param name="Token">The ERC-20 token; the zero address for the chain's native currency.</param>
/// <param name="PricePerGeneration">
/// One generation's price in the token's smallest unit; null for the native currency without a
/// configured price: then the channel's own price applies (the model's on-chain price when the channel opened).
/// </param>
public sealed record AcceptedToken(
    EvmAddress Token,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger? PricePerGeneration);

/// <summary>
/// The latest voucher a node accepted on one channel (<c>GET v1/channels/{id}</c>): what a creator's
/// client that lost its state resumes from (its next voucher needs a higher nonce and amount).
/// </summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="ModelHash">The channel's model.</param>
/// <param name="Nonce">The latest accepted nonce.</param>
/// <param name="CumulativeAmount">The latest accepted cumulative amount.</param>
/// <param name="Signature">The latest accepted voucher's signature (0x hex): the one the node will settle.</param>
/// <param name="Generations">How many paid generations the node served on the channel.</param>
/// <param name="SettledNonce">The nonce of the last voucher the node settled on chain; 0 before the first settlement.</param>
/// <param name="SettledAmount">The cumulative amount of that voucher.</param>
public sealed record ChannelVoucherState(
    Bytes32 ChannelId,
    Bytes32 ModelHash,
    ulong Nonce,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger CumulativeAmount,
    string Signature,
    long Generations,
    ulong SettledNonce,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger SettledAmount);

/// <summary>One channel's earnings at this node.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="ModelHash">Its model.</param>
/// <param name="Creator">Who pays.</param>
/// <param name="Token">The channel's token; the zero address for ETH.</param>
/// <param name="Generations">Paid generations served.</param>
/// <param name="Accepted">The latest accepted cumulative amount (royalty included).</param>
/// <param name="Settled">The cumulative amount settled on chain by this node.</param>
/// <param name="Pending">Accepted, not yet settled.</param>
public sealed record ChannelEarnings(
    Bytes32 ChannelId,
    Bytes32 ModelHash,
    EvmAddress Creator,
    EvmAddress Token,
    long Generations,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Accepted,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Settled,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Pending);

/// <summary>One model's earnings at this node, in one token (amounts of different tokens are never added).</summary>
/// <param name="ModelHash">The model.</param>
/// <param name="Token">The token; the zero address for ETH.</param>
/// <param name="Channels">Channels that paid for it.</param>
/// <param name="Generations">Paid generations served.</param>
/// <param name="Accepted">Sum of the channels' accepted amounts.</param>
/// <param name="Settled">Sum of the channels' settled amounts.</param>
/// <param name="Pending">Accepted, not yet settled.</param>
public sealed record ModelEarnings(
    Bytes32 ModelHash,
    EvmAddress Token,
    int Channels,
    long Generations,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Accepted,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Settled,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger Pending);

/// <summary>
/// What a node earned (<c>GET v1/earnings</c>), gross: the model owners' royalties are paid out of
/// these amounts by the contract at settlement.
/// </summary>
/// <param name="Provider">The provider account the node accepts vouchers for.</param>
/// <param name="Channels">Per channel, in order of first acceptance.</param>
/// <param name="Models">Per model and token.</param>
public sealed record EarningsReport(EvmAddress Provider, IReadOnlyList<ChannelEarnings> Channels, IReadOnlyList<ModelEarnings> Models);
