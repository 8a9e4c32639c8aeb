using System.Numerics;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using LedgerAbi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>EIP-1559 fees of one transaction, in wei per gas.</summary>
/// <param name="MaxFeePerGas">The fee cap.</param>
/// <param name="MaxPriorityFeePerGas">The priority fee (tip).</param>
internal readonly record struct AnchorFees(long MaxFeePerGas, long MaxPriorityFeePerGas);

/// <summary>An <c>anchorBatch</c> transaction signed here, not yet (or again) broadcast.</summary>
/// <param name="Hash">Its hash (0x-prefixed), known before the node sees it.</param>
/// <param name="Raw">The signed transaction.</param>
internal readonly record struct SignedAnchorTransaction(string Hash, string Raw);

/// <summary>
/// Signs <c>anchorBatch</c> transactions locally with an explicit nonce, gas limit and EIP-1559 fees, so that the
/// worker stores the nonce, the fees and the hash before the transaction leaves, and broadcasts them. Several batches
/// go out with consecutive nonces without waiting for each other: no gas estimation (it would refuse a batch whose
/// predecessor is not mined yet), a fixed <see cref="AnchoringOptions.GasLimit"/> instead.
/// </summary>
internal sealed class AnchorTransactionSender(LedgerChain chain, AnchoringOptions options)
{
    private static readonly long FallbackPriorityFee = 1_000_000_000;

    /// <summary>The fees a new transaction offers now: twice the latest base fee plus the node's suggested tip, capped.</summary>
    public async Task<AnchorFees> MarketFeesAsync()
    {
        var latest = await chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        var baseFee = latest?.BaseFeePerGas?.Value ?? BigInteger.Zero;
        BigInteger tip;
        try
        {
            tip = (await chain.Web3.Client.SendRequestAsync<HexBigInteger>("eth_maxPriorityFeePerGas")).Value;
        }
        catch (RpcResponseException)
        {
            tip = FallbackPriorityFee; // a node without the method: 1 gwei, the common default
        }

        var cap = Cap((2 * baseFee) + tip);
        return new AnchorFees(cap, (long)BigInteger.Min(tip, cap));
    }

    /// <summary>
    /// The fees of a replacement for a transaction sent with <paramref name="previous"/>: each raised by
    /// <see cref="AnchoringOptions.FeeBumpPercent"/> (at least by one wei), or the market's when higher; null when
    /// <see cref="AnchoringOptions.MaxFeePerGasLimit"/> leaves no room for a replacement nodes would accept (10 %).
    /// </summary>
    public AnchorFees? Bump(AnchorFees previous, AnchorFees market)
    {
        var cap = Cap(BigInteger.Max(market.MaxFeePerGas, Raise(previous.MaxFeePerGas, options.FeeBumpPercent)));
        var tip = BigInteger.Min(BigInteger.Max(market.MaxPriorityFeePerGas, Raise(previous.MaxPriorityFeePerGas, options.FeeBumpPercent)), cap);
        return cap < Raise(previous.MaxFeePerGas, 10) || tip < Raise(previous.MaxPriorityFeePerGas, 10)
            ? null
            : new AnchorFees(cap, (long)tip);
    }

    /// <summary>Signs <c>anchorBatch</c> for <paramref name="batch"/> with <paramref name="nonce"/> and <paramref name="fees"/>.</summary>
    public async Task<SignedAnchorTransaction> SignAsync(AnchorBatch batch, long nonce, AnchorFees fees)
    {
        var anchorer = chain.Anchorer ?? throw new InvalidOperationException("This replica has no anchorer key.");
        var function = new LedgerAbi.AnchorBatchFunction
        {
            Root = batch.Root.ToArray(),
            FirstSequence = checked((ulong)batch.FirstSequence),
            RecordCount = checked((uint)batch.RecordCount),
        };
        var input = function.CreateTransactionInput(chain.Ledger.Address.ToString());
        input.From = anchorer.ToString();
        input.Type = new HexBigInteger(2);
        input.Nonce = new HexBigInteger(nonce);
        input.Gas = new HexBigInteger(options.GasLimit);
        input.MaxFeePerGas = new HexBigInteger(fees.MaxFeePerGas);
        input.MaxPriorityFeePerGas = new HexBigInteger(fees.MaxPriorityFeePerGas);
        input.Value = new HexBigInteger(0);
        var raw = (await chain.Web3.TransactionManager.SignTransactionAsync(input)).EnsureHexPrefix();
        return new SignedAnchorTransaction(Sha3Keccack.Current.CalculateHashFromHex(raw).EnsureHexPrefix(), raw);
    }

    /// <summary>
    /// Hands <paramref name="transaction"/> to the node. Returns null when it took it (or already had it), or the
    /// node's refusal otherwise (the nonce already used, an underpriced replacement, ...): the worker resolves those
    /// from the chain at its next pass, so a refusal is an answer, not a failure.
    /// </summary>
    /// <exception cref="RpcClientUnknownException">When the node cannot be reached.</exception>
    public async Task<string?> BroadcastAsync(SignedAnchorTransaction transaction)
    {
        try
        {
            await chain.Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(transaction.Raw);
            return null;
        }
        catch (RpcResponseException e) when (e.Message.Contains("already", StringComparison.OrdinalIgnoreCase))
        {
            return null; // "already known", "already imported": the node holds this very transaction
        }
        catch (RpcResponseException e)
        {
            return e.Message;
        }
        finally
        {
            // Nethereum's in-memory nonce only grows and knows nothing of these: anything else sent with this key (the
            // owner's calls in development) asks the node for the pending count again.
            if (chain.Web3.TransactionManager.Account?.NonceService is { } nonces)
            {
                await nonces.ResetNonceAsync();
            }
        }
    }

    private long Cap(BigInteger fee) => (long)BigInteger.Min(fee, options.MaxFeePerGasLimit);

    private static BigInteger Raise(long fee, int percent) => BigInteger.Max(fee + BigInteger.One, ((BigInteger)fee * (100 + percent) + 99) / 100);
}
