using System.Numerics;
using MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>A <c>BatchAnchored</c> event as the chain logged it.</summary>
/// <param name="BatchId">The batch's number among <paramref name="Anchorer"/>'s batches on the contract (from 1).</param>
/// <param name="Root">The anchored root.</param>
/// <param name="FirstSequence">The batch's first ledger sequence.</param>
/// <param name="RecordCount">How many records it covers.</param>
/// <param name="TransactionHash">The anchoring transaction.</param>
/// <param name="BlockNumber">Its block.</param>
/// <param name="Anchorer">The account that anchored it; <paramref name="FirstSequence"/> is in its sequence space.</param>
public sealed record ChainBatchEvent(long BatchId, Bytes32 Root, long FirstSequence, int RecordCount, Bytes32 TransactionHash, long BlockNumber, EvmAddress Anchorer);

/// <summary>Reads every <c>BatchAnchored</c> event of a ledger contract with <c>eth_getLogs</c>.</summary>
public static class ChainBatchEvents
{
    /// <summary>
    /// Blocks per <c>eth_getLogs</c> call. Hosted nodes refuse wide ranges (commonly 10,000 blocks
    /// or 10,000 results), so the range is read in slices of this size.
    /// </summary>
    public const long BlocksPerRequest = 5_000;

    /// <summary>Every event from <paramref name="fromBlock"/> to <paramref name="toBlock"/> inclusive, in chain order.</summary>
    public static async Task<IReadOnlyList<ChainBatchEvent>> ReadAsync(
        IWeb3 web3, EvmAddress ledger, long fromBlock, long toBlock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        var handler = web3.Eth.GetEvent<BatchAnchoredEventDTO>(ledger.ToString());
        var events = new List<ChainBatchEvent>();
        for (var start = fromBlock; start <= toBlock; start += BlocksPerRequest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(toBlock, start + BlocksPerRequest - 1);
            var filter = handler.CreateFilterInput(
                new BlockParameter(new HexBigInteger(new BigInteger(start))), new BlockParameter(new HexBigInteger(new BigInteger(end))));
            foreach (var log in await handler.GetAllChangesAsync(filter))
            {
                events.Add(new ChainBatchEvent(
                    (long)log.Event.BatchId, Bytes32.FromBytes(log.Event.Root), checked((long)log.Event.FirstSequence),
                    checked((int)log.Event.RecordCount), Bytes32.Parse(log.Log.TransactionHash), (long)log.Log.BlockNumber.Value,
                    EvmAddress.Parse(log.Event.Anchorer)));
            }
        }

        return events;
    }
}
