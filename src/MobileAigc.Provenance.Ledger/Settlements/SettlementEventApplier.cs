using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using ChannelsAbi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;

namespace MobileAigc.Provenance.Ledger.Settlements;

/// <summary>
/// Applies <c>PaymentChannels</c> events to the channel mirror and the settlement tables, one
/// log at a time, in chain order.
/// </summary>
internal static class SettlementEventApplier
{
    /// <summary>The topic-0 hashes of every event the indexer reads.</summary>
    public static IReadOnlyList<string> Topics { get; } =
    [
        EventTopic.Of<ChannelsAbi.ChannelOpenedEventDTO>(),
        EventTopic.Of<ChannelsAbi.ChannelToppedUpEventDTO>(),
        EventTopic.Of<ChannelsAbi.ChannelExtendedEventDTO>(),
        EventTopic.Of<ChannelsAbi.ChannelSettledEventDTO>(),
        EventTopic.Of<ChannelsAbi.ChannelClosedEventDTO>(),
        EventTopic.Of<ChannelsAbi.LineageRoyaltiesPaidEventDTO>(),
    ];

    /// <summary>
    /// Applies one log and saves it in the caller's transaction. Returns false for a log that is
    /// none of the indexed events.
    /// </summary>
    /// <param name="db">A context inside the caller's transaction.</param>
    /// <param name="log">The log, from the channels contract.</param>
    /// <param name="channels">The channels contract, read for a channel opened before the indexer's first block.</param>
    /// <param name="blockTime">The time of the log's block.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    public static async Task<bool> ApplyAsync(
        LedgerDbContext db, FilterLog log, PaymentChannelsClient channels, Func<long, Task<DateTimeOffset>> blockTime,
        CancellationToken cancellationToken)
    {
        var block = (long)log.BlockNumber.Value;
        if (log.IsLogForEvent<ChannelsAbi.ChannelOpenedEventDTO>())
        {
            var e = log.DecodeEvent<ChannelsAbi.ChannelOpenedEventDTO>().Event;
            var id = Bytes32.FromBytes(e.ChannelId);
            if (await db.Channels.FindAsync([id], cancellationToken) is null)
            {
                db.Channels.Add(new MirroredChannel
                {
                    ChannelId = id,
                    Creator = Address(e.Creator),
                    Provider = Address(e.Provider),
                    Token = Address(e.Token),
                    ModelHash = Bytes32.FromBytes(e.ModelHash),
                    Deposit = Amount(e.Deposit),
                    ExpiresAt = DateTimeOffset.FromUnixTimeSeconds((long)e.ExpiresAt),
                    OpenedBlock = block,
                });
            }
        }
        else if (log.IsLogForEvent<ChannelsAbi.ChannelToppedUpEventDTO>())
        {
            var e = log.DecodeEvent<ChannelsAbi.ChannelToppedUpEventDTO>().Event;
            (await ChannelAsync(db, channels, Bytes32.FromBytes(e.ChannelId), block, cancellationToken)).Deposit = Amount(e.Deposit);
        }
        else if (log.IsLogForEvent<ChannelsAbi.ChannelExtendedEventDTO>())
        {
            var e = log.DecodeEvent<ChannelsAbi.ChannelExtendedEventDTO>().Event;
            (await ChannelAsync(db, channels, Bytes32.FromBytes(e.ChannelId), block, cancellationToken)).ExpiresAt =
                DateTimeOffset.FromUnixTimeSeconds((long)e.ExpiresAt);
        }
        else if (log.IsLogForEvent<ChannelsAbi.ChannelSettledEventDTO>())
        {
            var e = log.DecodeEvent<ChannelsAbi.ChannelSettledEventDTO>().Event;
            var channel = await ChannelAsync(db, channels, Bytes32.FromBytes(e.ChannelId), block, cancellationToken);
            channel.Paid = Amount(e.CumulativeAmount);
            channel.LastNonce = checked((long)e.Nonce);
            var settledAt = await blockTime(block);
            var settlement = new ChannelSettlement
            {
                ChannelId = channel.ChannelId,
                Provider = Address(e.Provider),
                ModelHash = Bytes32.FromBytes(e.ModelHash),
                Token = channel.Token,
                Nonce = checked((long)e.Nonce),
                CumulativeAmount = Amount(e.CumulativeAmount),
                Payment = Amount(e.Payment),
                Royalty = Amount(e.Royalty),
                SettledAt = settledAt,
                BlockNumber = block,
                LogIndex = (long)log.LogIndex.Value,
                TransactionHash = Bytes32.Parse(log.TransactionHash),
            };
            if (e.Royalty > 0)
            {
                settlement.Royalties.Add(new RoyaltyPayment
                {
                    ModelHash = settlement.ModelHash,
                    Recipient = Address(e.RoyaltyRecipient),
                    Amount = Amount(e.Royalty),
                    Token = channel.Token,
                    SettledAt = settledAt,
                });
            }

            db.Settlements.Add(settlement);
        }
        else if (log.IsLogForEvent<ChannelsAbi.LineageRoyaltiesPaidEventDTO>())
        {
            // Follows its ChannelSettled in the same transaction: the derivative model's royalty, split up its lineage.
            var e = log.DecodeEvent<ChannelsAbi.LineageRoyaltiesPaidEventDTO>().Event;
            var channelId = Bytes32.FromBytes(e.ChannelId);
            var transaction = Bytes32.Parse(log.TransactionHash);
            var settlement = await db.Settlements.Include(s => s.Royalties)
                .Where(s => s.ChannelId == channelId && s.TransactionHash == transaction)
                .OrderByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException(
                    $"LineageRoyaltiesPaid for channel {channelId} in transaction {transaction} without its ChannelSettled: the log range was read incompletely.");
            var single = settlement.Royalties.ToList();
            settlement.Royalties.Clear();
            db.RoyaltyPayments.RemoveRange(single);
            foreach (var payout in e.Payouts.Where(p => p.Amount > 0))
            {
                settlement.Royalties.Add(new RoyaltyPayment
                {
                    ModelHash = Bytes32.FromBytes(payout.ModelHash),
                    Recipient = Address(payout.Recipient),
                    Amount = Amount(payout.Amount),
                    Token = settlement.Token,
                    SettledAt = settlement.SettledAt,
                });
            }
        }
        else if (log.IsLogForEvent<ChannelsAbi.ChannelClosedEventDTO>())
        {
            var e = log.DecodeEvent<ChannelsAbi.ChannelClosedEventDTO>().Event;
            var channel = await ChannelAsync(db, channels, Bytes32.FromBytes(e.ChannelId), block, cancellationToken);
            channel.Closed = true;
            channel.Refund = Amount(e.Refund);
        }
        else
        {
            return false;
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    // A channel opened before the configured deployment block is read from the chain once.
    private static async Task<MirroredChannel> ChannelAsync(
        LedgerDbContext db, PaymentChannelsClient channels, Bytes32 channelId, long block, CancellationToken cancellationToken)
    {
        if (await db.Channels.FindAsync([channelId], cancellationToken) is { } known)
        {
            return known;
        }

        var onChain = await channels.GetChannelAsync(channelId, cancellationToken);
        var channel = new MirroredChannel
        {
            ChannelId = channelId,
            Creator = onChain.Creator,
            Provider = onChain.Provider,
            Token = onChain.Token,
            ModelHash = onChain.ModelHash,
            Deposit = Amount(onChain.Deposit),
            Paid = Amount(onChain.Paid),
            ExpiresAt = onChain.ExpiresAt,
            LastNonce = checked((long)onChain.LastNonce),
            Closed = onChain.Closed,
            OpenedBlock = block,
        };
        db.Channels.Add(channel);
        return channel;
    }

    private static string Amount(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static EvmAddress Address(string text) => EvmAddress.Parse(text.ToLowerInvariant());
}
