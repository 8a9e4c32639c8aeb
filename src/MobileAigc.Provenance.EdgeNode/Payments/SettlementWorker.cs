using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Contracts;
using Nethereum.Util;
using Nethereum.Web3;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>
/// Settles the node's vouchers on chain, in the background, for as long as the node runs: the latest
/// unsettled voucher of every channel that expires within <see cref="PaymentOptions.SettleBeforeExpiry"/>
/// or owes at least <see cref="PaymentOptions.SettlementThreshold"/>, up to
/// <see cref="PaymentOptions.SettlementBatchSize"/> channels in one <c>settle</c> transaction.
/// </summary>
/// <remarks>
/// Never submits a voucher twice: before a batch is built each channel is read again from the chain
/// and a voucher whose nonce the chain already has is recorded as settled and left out; the
/// transaction is signed first and stored with its hash (<see cref="SettlementJournal.Begin"/>)
/// before it is broadcast, and a stored transaction is only ever looked up by its hash and, when the
/// chain does not know it, re-broadcast byte for byte (the same account nonce: it can be mined at most
/// once), never signed again. Only one settlement is in flight at a time. Survives restarts: the
/// journal holds everything. The contract skips an invalid voucher (with a <c>VoucherSkipped</c>
/// event) and settles the rest: the worker records each skipped voucher with its reason and sets its
/// channel aside until a new voucher is accepted on it, so it is not submitted again and again.
/// </remarks>
public sealed partial class SettlementWorker(
    SettlementJournal settlements,
    PaymentChainReader chain,
    IWeb3 web3,
    PaymentOptions options,
    TimeProvider time,
    ILogger<SettlementWorker> logger,
    EdgeNodeMetrics? metrics = null) : BackgroundService
{
    private const string Contract = "PaymentChannels";
    private static readonly TimeSpan ReceiptPollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Resolves the settlement in flight, if any, then settles one batch of due channels and waits for
    /// its receipt (up to <see cref="PaymentOptions.SettlementReceiptTimeout"/>). Returns how many
    /// channels were settled. Used by the loop and by tests.
    /// </summary>
    public async Task<int> SettleDueAsync(CancellationToken cancellationToken)
    {
        var settled = await AwaitPendingAsync(cancellationToken);
        if (settlements.Pending().Count > 0)
        {
            return settled;
        }

        var batch = await DueBatchAsync();
        if (batch.Count == 0)
        {
            return settled;
        }

        var raw = await SignAsync(batch);
        if (raw is null)
        {
            return settled;
        }

        var hash = "0x" + Sha3Keccack.Current.CalculateHashFromHex(raw);
        settlements.Begin(hash, raw, [.. batch.Select(c => c.Voucher)], time.GetUtcNow());
        LogSigned(batch.Count, hash);
        metrics?.RecordSettlementSubmitted(batch.Count);
        await BroadcastAsync(raw, hash);
        return settled + await AwaitPendingAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SettleDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is ChainUnavailableException or RpcClientUnknownException or RpcClientTimeoutException
                                          or RpcResponseException or HttpRequestException && !stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(e.Message);
            }

            try
            {
                await Task.Delay(options.SettlementPollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // Resolves the stored settlements, polling until none is left or the receipt timeout passes.
    private async Task<int> AwaitPendingAsync(CancellationToken cancellationToken)
    {
        var settled = await ResolvePendingAsync();
        var deadline = time.GetUtcNow() + options.SettlementReceiptTimeout;
        while (settlements.Pending().Count > 0 && time.GetUtcNow() < deadline)
        {
            await Task.Delay(ReceiptPollInterval, time, cancellationToken);
            settled += await ResolvePendingAsync();
        }

        return settled;
    }

    // Looks every stored, unresolved settlement up by its hash: mined (success or revert), pending, or
    // unknown to the chain (then the same signed bytes are sent again).
    private async Task<int> ResolvePendingAsync()
    {
        var settled = 0;
        foreach (var pending in settlements.Pending())
        {
            var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(pending.TransactionHash);
            if (receipt is not null)
            {
                if (receipt.Succeeded())
                {
                    var skipped = SkippedVouchers(receipt);
                    settlements.Complete(pending.Id, (ulong)receipt.BlockNumber.Value, receipt.GasUsed.Value, time.GetUtcNow(), skipped);
                    foreach (var (channelId, reason) in skipped)
                    {
                        LogSkipped(channelId.ToString(), pending.TransactionHash, reason);
                    }

                    settled += pending.Vouchers.Count - skipped.Count;
                    metrics?.RecordSettlementMined(pending.Vouchers.Count - skipped.Count, skipped.Values);
                    LogSettled(pending.Vouchers.Count, pending.TransactionHash, (ulong)receipt.BlockNumber.Value, receipt.GasUsed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    // Its channels become due again; the next round re-reads them from the chain first.
                    settlements.Fail(pending.Id, $"reverted in block {receipt.BlockNumber.Value}", time.GetUtcNow());
                    LogReverted(pending.TransactionHash);
                }

                continue;
            }

            var known = await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(pending.TransactionHash);
            if (known is null || time.GetUtcNow() - pending.SignedAt > options.SettlementReceiptTimeout)
            {
                await BroadcastAsync(pending.RawTransaction, pending.TransactionHash, pending.Id);
            }
        }

        return settled;
    }

    // The vouchers of the receipt's settlement the contract skipped, by channel, with the reason.
    private Dictionary<Bytes32, string> SkippedVouchers(TransactionReceipt receipt)
    {
        var ours = chain.Channels.Address.ToString();
        return receipt.DecodeAllEvents<VoucherSkippedEventDTO>()
            .Where(e => string.Equals(e.Log.Address, ours, StringComparison.OrdinalIgnoreCase))
            .GroupBy(e => Bytes32.FromBytes(e.Event.ChannelId))
            .ToDictionary(g => g.Key, g => ((VoucherSkipReason)g.Last().Event.Reason).ToString());
    }

    private async Task<List<SettlementCandidate>> DueBatchAsync()
    {
        var due = settlements.Due(time.GetUtcNow(), options.SettleBeforeExpiry, options.SettlementThresholdValue, options.SettlementBatchSize);
        var batch = new List<SettlementCandidate>();
        foreach (var candidate in due)
        {
            var onChain = await chain.GetChannelAsync(candidate.ChannelId, fresh: true);
            if (onChain is null || onChain.Closed)
            {
                settlements.MarkUnsettleable(candidate.ChannelId, onChain is null ? "channel not found" : "channel closed");
                continue;
            }

            if (onChain.LastNonce >= candidate.Voucher.Nonce)
            {
                settlements.RecordChainSettled(candidate.ChannelId, onChain.LastNonce, onChain.Paid);
                LogAlreadySettled(candidate.ChannelId.ToString(), onChain.LastNonce);
                continue;
            }

            batch.Add(candidate);
        }

        // Runs of the same token and model are credited once by the contract: cheaper.
        return [.. batch.OrderBy(c => c.Token.ToString(), StringComparer.Ordinal).ThenBy(c => c.ModelHash.ToString(), StringComparer.Ordinal)];
    }

    // Signs the batch's transaction (estimating gas, which runs the contract's checks). A batch the
    // contract refuses is signed again voucher by voucher to find and set aside the refused ones; the
    // next round settles the rest.
    private async Task<string?> SignAsync(IReadOnlyList<SettlementCandidate> batch)
    {
        try
        {
            var raw = await RevertDecoder.CallAsync(Contract, () => web3.Eth.GetContractTransactionHandler<SettleFunction>()
                .SignTransactionAsync(chain.Channels.Address.ToString(), new SettleFunction { Vouchers = [.. batch.Select(c => new SignedPaymentVoucher(c.Voucher, c.Signature).ToContractStruct())] }));
            return raw.StartsWith("0x", StringComparison.Ordinal) ? raw : "0x" + raw;
        }
        catch (ContractRevertException e)
        {
            if (batch.Count == 1)
            {
                settlements.MarkUnsettleable(batch[0].ChannelId, e.Message);
                LogRefused(batch[0].ChannelId.ToString(), e.Message);
                return null;
            }

            foreach (var candidate in batch)
            {
                await SignAsync([candidate]);
            }

            return null;
        }
    }

    private async Task BroadcastAsync(string raw, string hash, long? settlementId = null)
    {
        try
        {
            await web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(raw);
        }
        catch (RpcResponseException e) when (e.Message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase))
        {
            // The account's nonce was used by another transaction and this one has no receipt: it can never be mined.
            if (settlementId is { } id && await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash) is null)
            {
                settlements.Fail(id, "replaced: the account's nonce was used by another transaction", time.GetUtcNow());
                LogReverted(hash);
            }
        }
        catch (RpcResponseException e) when (e.Message.Contains("already", StringComparison.OrdinalIgnoreCase))
        {
            // Already known to the node or mined: the receipt lookup settles it.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signed a settlement of {Count} channels: {Hash}")]
    private partial void LogSigned(int count, string hash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Settled {Count} channels in {Hash} (block {Block}, gas {Gas})")]
    private partial void LogSettled(int count, string hash, ulong block, string gas);

    [LoggerMessage(Level = LogLevel.Error, Message = "Settlement {Hash} failed; its channels will be read again and settled in a later round")]
    private partial void LogReverted(string hash);

    [LoggerMessage(Level = LogLevel.Error, Message = "The contract skipped the voucher of channel {ChannelId} in {Hash} ({Reason}); set aside until a new voucher is accepted")]
    private partial void LogSkipped(string channelId, string hash, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} is already settled on chain up to nonce {Nonce}; not submitted")]
    private partial void LogAlreadySettled(string channelId, ulong nonce);

    [LoggerMessage(Level = LogLevel.Error, Message = "The contract refuses to settle channel {ChannelId}; set aside until a new voucher is accepted: {Reason}")]
    private partial void LogRefused(string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settlement round failed; retrying next round: {Error}")]
    private partial void LogRoundFailed(string error);
}
