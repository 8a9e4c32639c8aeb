using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.RPC.Eth.DTOs;
using LedgerAbi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// Moves one unfinished batch (<see cref="AnchorBatchState.Planned"/> or
/// <see cref="AnchorBatchState.Submitted"/>) a step toward <see cref="AnchorBatchState.Anchored"/>,
/// taking the chain, not the stored transaction hash, as the truth: a root the chain holds is
/// recorded from its <c>BatchAnchored</c> event (whichever transaction put it there); a root
/// it lacks is sent again only when the chain's next sequence is the batch's first sequence.
/// Because the contract accepts a batch only at its next sequence and a root only once, a
/// batch can never be anchored twice, whatever crashed, timed out or reorganised in between.
/// </summary>
internal sealed partial class BatchTracker(LedgerChain chain, WorkerLeaseKeeper lease, TimeProvider time, ILogger logger, LedgerMetrics? metrics = null)
{
    /// <summary>Does the next step for <paramref name="batch"/>, tracked by <paramref name="db"/>.</summary>
    /// <exception cref="AnchoringInconsistencyException">When the chain and the ledger disagree; nothing is sent.</exception>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease; nothing was written.</exception>
    public async Task<AnchoringStep> AdvanceAsync(LedgerDbContext db, AnchorBatch batch, CancellationToken cancellationToken)
    {
        var web3 = chain.Web3;
        var latest = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var atLatest = new BlockParameter(latest);
        var anchored = await chain.Ledger.FindBatchAnchoredAsync(batch.Root, atLatest, cancellationToken);
        if (anchored is not null)
        {
            return await RecordAnchoredAsync(db, batch, anchored, latest, cancellationToken);
        }

        if (batch.BlockHash is not null)
        {
            LogReorganised(batch.Id, batch.BlockNumber, batch.TransactionHash?.ToString());
        }

        if (batch.TransactionHash is { } sent)
        {
            var transaction = await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(sent.ToString());
            if (transaction is not null && (transaction.BlockNumber?.Value is not { } minedIn || minedIn > latest))
            {
                // Still in the node's pool, or mined after the block this pass reads: sending
                // again would only make a twin that reverts. The next pass sees where it went.
                await ClearBlockAsync(db, batch, cancellationToken);
                return AnchoringStep.Waiting;
            }
        }

        // Read at the same block as the root: a transaction mined between two reads at "latest"
        // would otherwise look like someone else's batch.
        var anchorer = chain.Anchorer ?? throw new InvalidOperationException("This replica has no anchorer key.");
        var nextSequence = await chain.Ledger.NextSequenceAtAsync(anchorer, atLatest, cancellationToken);
        if ((long)nextSequence != batch.FirstSequence)
        {
            throw new AnchoringInconsistencyException(
                $"Batch {batch.Id} (root {batch.Root}, sequences {batch.FirstSequence}..{batch.FirstSequence + batch.RecordCount - 1}) " +
                $"is not on chain, and the next sequence of this ledger's anchorer {anchorer} is {nextSequence}, not {batch.FirstSequence}: " +
                "another ledger anchoring with the same key, a restored database or a reorganisation deeper than the confirmations. Nothing is sent.");
        }

        return await SendAsync(db, batch, cancellationToken);
    }

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

        var confirmed = latest >= anchored.BlockNumber + (ulong)chain.Options.Confirmations;
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

    private async Task<AnchoringStep> SendAsync(LedgerDbContext db, AnchorBatch batch, CancellationToken cancellationToken)
    {
        // Nethereum's in-memory nonce only grows: after a reorganisation dropped our transaction,
        // or a send the node refused, it would leave a gap and the new transaction would wait in
        // the pool forever. Asking the node for the account's pending count every time is right
        // for a worker that sends one transaction at a time.
        if (chain.Web3.TransactionManager.Account?.NonceService is { } nonces)
        {
            await nonces.ResetNonceAsync();
        }

        // A crash after this send and before the save below is harmless: the next pass finds the
        // root on chain (or the transaction in the pool) before it would send again.
        string hash;
        try
        {
            hash = await chain.Ledger.SendAnchorBatchAsync(
                batch.Root, checked((ulong)batch.FirstSequence), checked((uint)batch.RecordCount), cancellationToken);
        }
        catch (ContractRevertException refused) when (refused.Error is LedgerAbi.BatchSequenceMismatchError moved)
        {
            // The chain moved past this batch's first sequence after this pass read it: a transaction
            // for it (ours, sent before a crash that lost its hash) was mined in between. Nothing left;
            // the next pass reads the chain again and finds where it went.
            LogSequenceMoved(batch.Id, batch.FirstSequence, (long)moved.ExpectedSequence);
            return AnchoringStep.Waiting;
        }

        batch.TransactionHash = HashOf(hash);
        batch.BlockNumber = null;
        batch.BlockHash = null;
        batch.State = AnchorBatchState.Submitted;
        batch.SubmitAttempts++;
        await SaveFencedAsync(db, cancellationToken);
        LogSent(batch.Id, batch.FirstSequence, batch.RecordCount, hash, batch.SubmitAttempts);
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

    [LoggerMessage(LogLevel.Information, "Batch {BatchId} was not sent: the chain's next sequence moved from {FirstSequence} to {ExpectedSequence} since this pass read it; the next pass looks again.")]
    private partial void LogSequenceMoved(long batchId, long firstSequence, long expectedSequence);

    [LoggerMessage(LogLevel.Information, "Sent anchorBatch for batch {BatchId} (first sequence {FirstSequence}, {RecordCount} records): transaction {TransactionHash}, attempt {Attempt}.")]
    private partial void LogSent(long batchId, long firstSequence, int recordCount, string transactionHash, int attempt);

    [LoggerMessage(LogLevel.Information, "Batch {BatchId} anchored as chain batch {ChainBatchId}: {RecordCount} records from sequence {FirstSequence}, block {BlockNumber}, gas {GasUsed}.")]
    private partial void LogAnchored(long batchId, long chainBatchId, int recordCount, long firstSequence, long blockNumber, long? gasUsed);

    [LoggerMessage(LogLevel.Warning, "Batch {BatchId} was mined in block {BlockNumber} (transaction {TransactionHash}) but is no longer on chain: a reorganisation. It is sent again unless its transaction is back in the pool.")]
    private partial void LogReorganised(long batchId, long? blockNumber, string? transactionHash);
}
