using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Chain.Generated.PaymentChannels;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Settlements;

/// <summary>
/// Checks the settlement mirror against the chain: for every mirrored channel (optionally of one
/// provider or model), the sum of its settled payments and its last settled nonce in the database
/// must equal <c>PaymentChannels.channel(id)</c>'s <c>paid</c> and <c>lastNonce</c>, read at the last block
/// the indexer has applied, so settlements the indexer has not reached yet count on neither side.
/// A difference means a settlement the database lacks, holds twice, or altered.
/// </summary>
public sealed class SettlementChecker(IDbContextFactory<LedgerDbContext> databases, LedgerChain chain)
{
    /// <summary>Checks the channels matching <paramref name="provider"/> and <paramref name="model"/> (null: any).</summary>
    /// <exception cref="InvalidOperationException">When no payment channels contract is configured.</exception>
    /// <exception cref="ReconciliationChainException">When the chain node does not answer.</exception>
    public async Task<SettlementCheck> CheckAsync(EvmAddress? provider = null, Bytes32? model = null, CancellationToken cancellationToken = default)
    {
        var channelsClient = chain.Channels ?? throw new InvalidOperationException(
            $"{LedgerChainOptions.Section}:PaymentChannels is not configured: there are no settlements to check.");
        var service = new PaymentChannelsService(chain.Web3, channelsClient.Address.ToString());
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var cursor = await db.ChainCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == SettlementIndexer.CursorName, cancellationToken);
        var indexedThrough = (cursor?.NextBlock ?? 0) - 1;
        if (indexedThrough < 0)
        {
            return new SettlementCheck(0, 0, indexedThrough, []);
        }

        var channels = db.Channels.AsNoTracking();
        if (provider is { } p)
        {
            channels = channels.Where(c => c.Provider == p);
        }

        if (model is { } m)
        {
            channels = channels.Where(c => c.ModelHash == m);
        }

        var at = new BlockParameter(new HexBigInteger(indexedThrough));
        var discrepancies = new List<ChannelDiscrepancy>();
        var checkedCount = 0;
        long settlementCount = 0;
        // One read of the matching channels' settlements, summed per channel here (uint256 amounts are text).
        var mirrored = (await db.Settlements.AsNoTracking()
                .Join(channels, s => s.ChannelId, c => c.ChannelId, (s, c) => new { s.ChannelId, s.Payment, s.Nonce })
                .ToListAsync(cancellationToken))
            .GroupBy(s => s.ChannelId)
            .ToDictionary(
                g => g.Key,
                g => (Count: g.Count(), Paid: g.Aggregate(BigInteger.Zero, (sum, s) => sum + BigInteger.Parse(s.Payment, CultureInfo.InvariantCulture)), Nonce: g.Max(s => s.Nonce)));
        foreach (var channelId in await channels.OrderBy(c => c.OpenedBlock).Select(c => c.ChannelId).ToListAsync(cancellationToken))
        {
            var (count, mirroredPaid, mirroredNonce) = mirrored.GetValueOrDefault(channelId);
            settlementCount += count;
            var onChain = await ReadChannelAsync(service, channelId, at);
            checkedCount++;
            if (onChain.ReturnValue1.Paid != mirroredPaid || onChain.ReturnValue1.LastNonce != (ulong)mirroredNonce)
            {
                discrepancies.Add(new ChannelDiscrepancy(
                    channelId, mirroredPaid.ToString(CultureInfo.InvariantCulture), onChain.ReturnValue1.Paid.ToString(CultureInfo.InvariantCulture),
                    mirroredNonce, onChain.ReturnValue1.LastNonce));
            }
        }

        return new SettlementCheck(checkedCount, settlementCount, indexedThrough, discrepancies);
    }

    private static async Task<MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition.ChannelOutputDTO> ReadChannelAsync(
        PaymentChannelsService service, Bytes32 channelId, BlockParameter at)
    {
        try
        {
            return await service.ChannelQueryAsync(channelId.ToArray(), at);
        }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException
            or Nethereum.JsonRpc.Client.RpcClientTimeoutException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            throw new ReconciliationChainException($"The chain node does not answer or refuses channel {channelId}: {e.Message}", e);
        }
    }
}
