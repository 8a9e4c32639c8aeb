using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// Moves one unfinished batch (<see cref="AnchorBatchState.Planned"/> or <see cref="AnchorBatchState.Submitted"/>) a
/// step toward <see cref="AnchorBatchState.Anchored"/>, taking the chain, not the stored transaction hash, as the
/// truth: a root the chain holds is recorded from its <c>BatchAnchored</c> event (whichever transaction put it
/// there, an original or its replacement); a root it lacks keeps its nonce while that nonce is unused on chain (its
/// transaction is waited for, broadcast again when the node lost it, replaced with higher fees when stuck) and gets a
/// new one only when the chain used the nonce for a transaction that did not anchor it. Because the contract accepts
/// a batch only at the anchorer's next sequence and a root only once, a batch can never be anchored twice nor a
/// sequence skipped, whatever crashed, timed out, was replaced or reorganised in between.
/// </summary>
internal sealed partial class BatchTracker(
    LedgerChain chain, AnchoringOptions options, WorkerLeaseKeeper lease, TimeProvider time, ILogger logger, LedgerMetrics? metrics = null)
{
    private readonly AnchorTransactionSender _sender = new(chain, options);

    /// <summary>Does the next step for <paramref name="batch"/>, tracked by <paramref name="db"/>, as of <paramref name="pass"/>'s block.</summary>
    /// <exception cref="AnchoringInconsistencyException">When the chain and the ledger disagree; nothing is sent.</exception>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease; nothing was written.</exception>
    public async Task<AnchoringStep> AdvanceAsync(LedgerDbContext db, AnchorBatch batch, AnchoringPass pass, CancellationToken cancellationToken)
    {
        var anchored = await chain.Ledger.FindBatchAnchoredAsync(batch.Root, pass.AtLatest, cancellationToken);
        if (anchored is not null)
        {
            return await RecordAnchoredAsync(db, batch, anchored, pass.Latest, cancellationToken);
        }

        if (batch.BlockHash is not null)
        {
            LogReorganised(batch.Id, batch.BlockNumber, batch.TransactionHash?.ToString());
        }

        if (!pass.MetFirstUnanchored)
        {
            // Read at the same block as the root: a transaction mined between two reads at "latest" would otherwise
            // look like someone else's batch. Later batches of this pass follow this one in the ledger.
            pass.MetFirstUnanchored = true;
            var nextSequence = await chain.Ledger.NextSequenceAtAsync(pass.Anchorer, pass.AtLatest, cancellationToken);
            if ((long)nextSequence != batch.FirstSequence)
            {
                throw new AnchoringInconsistencyException(
                    $"Batch {batch.Id} (root {batch.Root}, sequences {batch.FirstSequence}..{batch.FirstSequence + batch.RecordCount - 1}) " +
                    $"is not on chain, and the next sequence of this ledger's anchorer {pass.Anchorer} is {nextSequence}, not {batch.FirstSequence}: " +
                    "another ledger anchoring with the same key, a restored database or a reorganisation deeper than the confirmations. Nothing is sent.");
            }
        }

        if (batch.Nonce is { } nonce && nonce < pass.MinedNonce && !await SucceededAsync(batch))
        {
            // The chain used this nonce for a transaction that did not anchor the batch (one that reverted, or another
            // sent with this key): none of the batch's transactions can be mined any more. It takes a new nonce.
            LogNonceUsedElsewhere(batch.Id, nonce, batch.TransactionHash?.ToString());
            batch.Nonce = null;
        }

        if (batch.Nonce is not { } held)
        {
            if (await pass.TakeNonceAsync() is not { } fresh)
            {
                LogUnknownPending(batch.Id, pass.Anchorer.ToString());
                return AnchoringStep.Waiting;
            }

            return await SendAsync(db, batch, fresh, await _sender.MarketFeesAsync(), cancellationToken);
        }

        pass.Hold(held);
        var sent = batch.TransactionHash?.ToString();
        var transaction = sent is null ? null : await chain.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(sent);
        if (transaction?.BlockNumber?.Value is not null)
        {
            // Mined after the block this pass reads: the next pass sees it.
            return AnchoringStep.Waiting;
        }

        var previous = new AnchorFees(batch.MaxFeePerGas ?? 0, batch.MaxPriorityFeePerGas ?? 0);
        var waited = time.GetUtcNow() - (batch.SentAt ?? batch.CreatedAt);
        if (waited >= options.ReplaceAfter)
        {
            // Stuck (still pending) or lost long ago: the same nonce with higher fees. Whichever of the two is mined,
            // the other cannot be, and the root is anchored once.
            if (_sender.Bump(previous, await _sender.MarketFeesAsync()) is { } higher)
            {
                LogReplacing(batch.Id, held, sent, waited.TotalSeconds, higher.MaxFeePerGas, higher.MaxPriorityFeePerGas);
                return await SendAsync(db, batch, held, higher, cancellationToken);
            }

            LogFeeLimitReached(batch.Id, held, options.MaxFeePerGasLimit);
        }

        if (transaction is null)
        {
            // The node lost it (dropped from its pool, or reorganised away) or never got it (a crash between storing
            // and broadcasting): the very same transaction again.
            return await SendAsync(db, batch, held, previous, cancellationToken);
        }

        // Still in the node's pool: the next pass sees where it went.
        await ClearBlockAsync(db, batch, cancellationToken);
        return AnchoringStep.Waiting;
    }

    // Whether the batch's own transaction is in a block and succeeded: then its nonce was used by it, even when its event
    // was not seen at the block this pass reads (a node may answer the nonce from a newer state), and the next pass finds
    // the event. A transaction of the batch that reverted leaves it to take a new nonce, as before.
    private async Task<bool> SucceededAsync(AnchorBatch batch) =>
        batch.TransactionHash?.ToString() is { } sent
        && (await chain.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(sent))?.Status?.Value == 1;

    private async Task<AnchoringStep> RecordAnchoredAsync(
        LedgerDbContext db, AnchorBatch batch, BatchAnchoredLog anchored, ulong latest, CancellationToken cancellationToken)
    {
        if ((long)anchored.FirstSequence != batch.FirstSequence || anchored.RecordCount != batch.RecordCount || anchored.Anchorer != chain.Anchorer)
        {
            throw new AnchoringInconsistencyException(
                $"Root {batch.Root} of batch {batch.Id} is anchored on chain as batch {anchored.BatchId} by {anchored.Anchorer} with first sequence " +
                $"{anchored.FirstSequence} and {anchored.RecordCount} records, but the ledger planned {batch.FirstSequence} and {batch.RecordCount} " +
                $"for its anchorer {chain.Anchorer}.");
        }

        // A batch whose records are not written yet is never recorded anchored: its proofs must be there first.
        var confirmed = batch.PendingRecordIds is null && latest >= anchored.BlockNumber + (ulong)chain.Options.Confirmations;
        var transactionHash = HashOf(anchored.TransactionHash);
        if (batch.TransactionHash != transactionHash || batch.BlockHash != anchored.BlockHash || batch.GasUsed is null)
        {
            var receipt = await chain.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(anchored.TransactionHash);
            batch.GasUsed = receipt is null ? null : (long)receipt.GasUsed.Value;
        }

        batch.TransactionHash = transactionHash;
        batch.BlockNumber = (long)anchored.BlockNumber;
        batch.BlockHash = anchored.BlockHash;
        batch.ChainBatchId = (long)anchored.BatchId;
        batch.LastError = null;
        batch.State = confirmed ? AnchorBatchState.Anchored : AnchorBatchState.Submitted;
        if (confirmed)
        {
            // The chain's time, not ours: "anchored at" is what the block proves.
            var block = await chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
                new Nethereum.Hex.HexTypes.HexBigInteger(anchored.BlockNumber));
            batch.AnchoredAt = block is null ? time.GetUtcNow() : DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
        }

        await SaveFencedAsync(db, cancellationToken);
        if (confirmed)
        {
            LogAnchored(batch.Id, batch.ChainBatchId.Value, batch.RecordCount, batch.FirstSequence, batch.BlockNumber.Value, batch.GasUsed);
            await RecordMetricsAsync(db, batch, cancellationToken);
            return AnchoringStep.Anchored;
        }

        return AnchoringStep.Waiting;
    }

    // Once per batch, after it is durably anchored: each record's wait from acceptance to anchored and confirmed, both
    // read on the ledger's clock (a block's time comes from the chain's, which may run ahead or behind).
    private async Task RecordMetricsAsync(LedgerDbContext db, AnchorBatch batch, CancellationToken cancellationToken)
    {
        if (metrics is null)
        {
            return;
        }

        var received = await db.Records.AsNoTracking().Where(r => r.BatchId == batch.Id).Select(r => r.ReceivedAt).ToListAsync(cancellationToken);
        metrics.RecordBatchAnchored(batch.GasUsed, time.GetUtcNow(), received);
    }

    // The nonce, the fees and the hash are stored (fenced) before the transaction leaves: a crash in between leaves a
    // batch whose transaction the node does not know, which the next pass broadcasts again, identical.
    private async Task<AnchoringStep> SendAsync(LedgerDbContext db, AnchorBatch batch, long nonce, AnchorFees fees, CancellationToken cancellationToken)
    {
        var signed = await _sender.SignAsync(batch, nonce, fees);
        batch.Nonce = nonce;
        batch.MaxFeePerGas = fees.MaxFeePerGas;
        batch.MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas;
        if (batch.TransactionHash != HashOf(signed.Hash) || batch.SentAt is null)
        {
            batch.SentAt = time.GetUtcNow();
        }

        batch.TransactionHash = HashOf(signed.Hash);
        batch.BlockNumber = null;
        batch.BlockHash = null;
        batch.State = AnchorBatchState.Submitted;
        batch.SubmitAttempts++;
        await SaveFencedAsync(db, cancellationToken);
        if (await _sender.BroadcastAsync(signed) is { } refusal)
        {
            // Resolved from the chain at the next pass: the nonce used (a new one then), or a replacement the node
            // found too cheap (raised again once ReplaceAfter has passed).
            batch.LastError = $"The node refused transaction {signed.Hash} (nonce {nonce}): {refusal}";
            await SaveFencedAsync(db, cancellationToken);
            LogRefused(batch.Id, nonce, signed.Hash, refusal);
            return AnchoringStep.Waiting;
        }

        LogSent(batch.Id, batch.FirstSequence, batch.RecordCount, signed.Hash, nonce, batch.SubmitAttempts);
        return AnchoringStep.Sent;
    }

    private async Task ClearBlockAsync(LedgerDbContext db, AnchorBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BlockHash is null && batch.State == AnchorBatchState.Submitted)
        {
            return;
        }

        batch.BlockNumber = null;
        batch.BlockHash = null;
        batch.State = AnchorBatchState.Submitted;
        await SaveFencedAsync(db, cancellationToken);
    }

    private async Task SaveFencedAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await lease.FenceAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static Core.Primitives.Bytes32 HashOf(string transactionHash) => Core.Primitives.Bytes32.Parse(transactionHash);

    [LoggerMessage(LogLevel.Information, "Sent anchorBatch for batch {BatchId} (first sequence {FirstSequence}, {RecordCount} records): transaction {TransactionHash}, nonce {Nonce}, attempt {Attempt}.")]
    private partial void LogSent(long batchId, long firstSequence, int recordCount, string transactionHash, long nonce, int attempt);

    [LoggerMessage(LogLevel.Warning, "The node refused the transaction {TransactionHash} of batch {BatchId} (nonce {Nonce}): {Refusal}. The next pass resolves it from the chain.")]
    private partial void LogRefused(long batchId, long nonce, string transactionHash, string refusal);

    [LoggerMessage(LogLevel.Information, "Batch {BatchId} waits: the anchorer {Anchorer} has transactions the ledger did not record, pending or just mined; the next pass sees where they went.")]
    private partial void LogUnknownPending(long batchId, string anchorer);

    [LoggerMessage(LogLevel.Warning, "Batch {BatchId}: nonce {Nonce} was used on chain by a transaction that did not anchor it (its last was {TransactionHash}); it gets a new nonce.")]
    private partial void LogNonceUsedElsewhere(long batchId, long nonce, string? transactionHash);

    [LoggerMessage(LogLevel.Warning, "Batch {BatchId}: transaction {TransactionHash} (nonce {Nonce}) not mined after {Seconds:F0} s; replacing it with fee cap {MaxFeePerGas} and tip {MaxPriorityFeePerGas} wei per gas.")]
    private partial void LogReplacing(long batchId, long nonce, string? transactionHash, double seconds, long maxFeePerGas, long maxPriorityFeePerGas);

    [LoggerMessage(LogLevel.Error, "Batch {BatchId}: its transaction (nonce {Nonce}) is stuck and Ledger:Anchoring:MaxFeePerGasLimit ({Limit} wei per gas) leaves no room for a replacement; raise it or wait.")]
    private partial void LogFeeLimitReached(long batchId, long nonce, long limit);

    [LoggerMessage(LogLevel.Information, "Batch {BatchId} anchored as chain batch {ChainBatchId}: {RecordCount} records from sequence {FirstSequence}, block {BlockNumber}, gas {GasUsed}.")]
    private partial void LogAnchored(long batchId, long chainBatchId, int recordCount, long firstSequence, long blockNumber, long? gasUsed);

    [LoggerMessage(LogLevel.Warning, "Batch {BatchId} was mined in block {BlockNumber} (transaction {TransactionHash}) but is no longer on chain: a reorganisation. It is sent again unless its transaction is back in the pool.")]
    private partial void LogReorganised(long batchId, long? blockNumber, string? transactionHash);
}
