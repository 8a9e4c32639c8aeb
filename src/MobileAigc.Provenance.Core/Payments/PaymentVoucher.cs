using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Payments;

/// <summary>
/// A creator's promise that the provider of <paramref name="ChannelId"/> may take up to
/// <paramref name="CumulativeAmount"/> from the channel in total. Each voucher supersedes the
/// ones before it: its nonce and amount only grow, so settling the latest pays for all.
/// </summary>
/// <param name="ChannelId">The channel, as <c>PaymentChannels.openChannel</c> returned it.</param>
/// <param name="CumulativeAmount">Everything owed on the channel so far, in the channel's token's smallest unit.</param>
/// <param name="Nonce">Strictly increasing per channel.</param>
public sealed record PaymentVoucher(Bytes32 ChannelId, BigInteger CumulativeAmount, ulong Nonce);
