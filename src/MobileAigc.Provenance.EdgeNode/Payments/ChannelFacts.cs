using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>What the chain says about a channel, as far as acceptance needs it.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="Creator">Who signs its vouchers.</param>
/// <param name="Provider">Who it pays.</param>
/// <param name="Node">The only node it pays generations at.</param>
/// <param name="Token">Its token; zero for ETH.</param>
/// <param name="ModelHash">The model it pays for.</param>
/// <param name="Deposit">What it holds in total.</param>
/// <param name="Paid">What was settled so far.</param>
/// <param name="ExpiresAt">From when it can no longer be settled.</param>
/// <param name="LastNonce">The nonce of the last settled voucher.</param>
/// <param name="Closed">Whether the creator closed it.</param>
/// <param name="PricePerGeneration">The model's price when the channel opened: the price it pays in the native currency.</param>
public sealed record ChannelFacts(
    Bytes32 ChannelId, EvmAddress Creator, EvmAddress Provider, EvmAddress Node, EvmAddress Token, Bytes32 ModelHash,
    BigInteger Deposit, BigInteger Paid, DateTimeOffset ExpiresAt, ulong LastNonce, bool Closed, BigInteger PricePerGeneration);
