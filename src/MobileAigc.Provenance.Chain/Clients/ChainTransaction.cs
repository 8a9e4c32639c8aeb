using System.Numerics;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>A mined transaction: where to find it and what it cost.</summary>
/// <param name="Hash">The transaction hash.</param>
/// <param name="BlockNumber">The block it was mined in.</param>
/// <param name="GasUsed">Gas the transaction used.</param>
public sealed record ChainTransaction(string Hash, ulong BlockNumber, BigInteger GasUsed)
{
    internal static ChainTransaction From(TransactionReceipt receipt) =>
        new(receipt.TransactionHash, (ulong)receipt.BlockNumber.Value, receipt.GasUsed.Value);
}
