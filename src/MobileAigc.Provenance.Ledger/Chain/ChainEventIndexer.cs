using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>
/// Mirrors some contracts' events into the ledger database by reading them with
/// <c>eth_getLogs</c>, from <see cref="LedgerChainOptions.DeploymentBlock"/> up to the head less
/// <see cref="LedgerChainOptions.Confirmations"/>, at most <see cref="ChainIndexerOptions.MaxBlockRange"/>
/// blocks at a time. Each range's events are applied in (block, log index) order in one database
/// transaction that also advances the indexer's <see cref="ChainCursor"/>, so a crash never applies
/// a range twice nor skips one; the cursor moves by compare-and-set, so replicas sharing a
/// PostgreSQL database may all run it. Subclasses say which contracts and events, and how each
/// event changes the mirror.
/// </summary>
public abstract partial class ChainEventIndexer : BackgroundService
{
    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly ChainIndexerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Prepares the indexer; nothing is read before <see cref="IndexStepAsync"/> or the host starts it.</summary>
    protected ChainEventIndexer(
        IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, ChainIndexerOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _databases = databases;
        Chain = chain;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The chain it reads.</summary>
    protected LedgerChain Chain { get; }

    /// <summary>The <see cref="ChainCursor.Name"/> of this indexer: one cursor per indexer.</summary>
    protected abstract string IndexerCursor { get; }

    /// <summary>The contracts whose logs are read.</summary>
    protected abstract IReadOnlyList<EvmAddress> Contracts { get; }

    /// <summary>The topic-0 hashes of the events read (an OR filter).</summary>
    protected abstract IReadOnlyList<string> Topics { get; }

    /// <summary>
    /// Applies one log inside the range's transaction and saves it, so that the next log sees its
    /// effect. Returns false for a log that is none of the indexed events.
    /// </summary>
    /// <param name="db">A context inside the range's transaction.</param>
    /// <param name="log">The log.</param>
    /// <param name="blockTime">The time of a block (cached per range).</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    protected abstract Task<bool> ApplyAsync(
        LedgerDbContext db, FilterLog log, Func<long, Task<DateTimeOffset>> blockTime, CancellationToken cancellationToken);

    /// <summary>Work done before every step, in its own transaction. Default: nothing.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    protected virtual Task BeforeStepAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Reads and applies the next range of confirmed blocks, if any. Throws what the chain node or
    /// the database throw (the background loop retries); a range another replica applied first
    /// is skipped, not applied again.
    /// </summary>
    public async Task<ChainIndexStep> IndexStepAsync(CancellationToken cancellationToken = default)
    {
        await BeforeStepAsync(cancellationToken);
        var cursor = await ReadCursorAsync(cancellationToken);
        var head = (long)(await Chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var confirmed = head - Chain.Options.Confirmations;
        var from = cursor.NextBlock;
        if (from > confirmed)
        {
            return new ChainIndexStep(from, from - 1, 0, CaughtUp: true);
        }

        await CheckContinuityAsync(cursor, cancellationToken);
        var to = Math.Min(confirmed, from + _options.MaxBlockRange - 1);
        var logs = await Chain.Web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            Address = Contracts.Select(c => c.ToString()).ToArray(),
            FromBlock = new BlockParameter(new HexBigInteger(from)),
            ToBlock = new BlockParameter(new HexBigInteger(to)),
            Topics = [Topics.ToArray()],
        });
        var ordered = (logs ?? []).Where(l => l.Removed != true)
            .OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value).ToList();
        var lastBlock = await Chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(to));
        var blockTimes = new Dictionary<long, DateTimeOffset> { [to] = BlockTime(lastBlock) };

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Compare-and-set first: on PostgreSQL it also locks the row, so a second replica waits here and then finds it moved.
        var moved = await db.ChainCursors
            .Where(c => c.Name == IndexerCursor && c.NextBlock == from)
            .ExecuteUpdateAsync(set => set
                .SetProperty(c => c.NextBlock, to + 1)
                .SetProperty(c => c.LastBlockHash, Bytes32.Parse(lastBlock.BlockHash)), cancellationToken);
        if (moved == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            LogRangeTakenByOther(IndexerCursor, from, to);
            return new ChainIndexStep(from, from - 1, 0, CaughtUp: false);
        }

        var applied = 0;
        foreach (var log in ordered)
        {
            if (await ApplyAsync(db, log, block => BlockTimeAsync(block, blockTimes), cancellationToken))
            {
                applied++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (applied > 0)
        {
            LogApplied(IndexerCursor, applied, from, to);
        }

        return new ChainIndexStep(from, to, applied, CaughtUp: to >= confirmed);
    }

    /// <summary>Indexes until caught up, then polls every <see cref="LedgerChainOptions.PollInterval"/>; retries failures with backoff and never stops the host.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _options.RetryInitialDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var step = await IndexStepAsync(stoppingToken);
                delay = _options.RetryInitialDelay;
                if (step.CaughtUp)
                {
                    await Task.Delay(Chain.Options.PollInterval, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The chain node or the database is away (or answered nonsense): nothing was committed, so retrying is safe.
                LogRetrying(e, IndexerCursor, delay);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaxDelay.Ticks));
            }
        }
    }

    private async Task<ChainCursor> ReadCursorAsync(CancellationToken cancellationToken)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        if (await db.ChainCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == IndexerCursor, cancellationToken) is { } cursor)
        {
            return cursor;
        }

        cursor = new ChainCursor { Name = IndexerCursor, NextBlock = Chain.Options.DeploymentBlock };
        db.ChainCursors.Add(cursor);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return cursor;
        }
        catch (DbUpdateException)
        {
            // Another replica created it first.
            db.ChangeTracker.Clear();
            return await db.ChainCursors.AsNoTracking().SingleAsync(c => c.Name == IndexerCursor, cancellationToken);
        }
    }

    // Confirmations make reorganisations below the cursor unlikely; one deeper than that cannot be undone here, only reported.
    private async Task CheckContinuityAsync(ChainCursor cursor, CancellationToken cancellationToken)
    {
        if (cursor.LastBlockHash is not { } expected || cursor.NextBlock == 0)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var block = await Chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(cursor.NextBlock - 1));
        if (block is not null && Bytes32.Parse(block.BlockHash) != expected)
        {
            LogReorganised(IndexerCursor, cursor.NextBlock - 1, expected.ToString(), block.BlockHash);
        }
    }

    private async Task<DateTimeOffset> BlockTimeAsync(long block, Dictionary<long, DateTimeOffset> cache)
    {
        if (!cache.TryGetValue(block, out var time))
        {
            time = BlockTime(await Chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(block)));
            cache[block] = time;
        }

        return time;
    }

    private static DateTimeOffset BlockTime(BlockWithTransactionHashes block) =>
        DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);

    [LoggerMessage(LogLevel.Information, "Chain indexer {Indexer}: applied {Count} events from blocks {From}-{To}.")]
    private partial void LogApplied(string indexer, int count, long from, long to);

    [LoggerMessage(LogLevel.Debug, "Chain indexer {Indexer}: blocks {From}-{To} were applied by another replica first.")]
    private partial void LogRangeTakenByOther(string indexer, long from, long to);

    [LoggerMessage(LogLevel.Warning, "Chain indexer {Indexer}: the chain node or the database failed; retrying in {Delay}.")]
    private partial void LogRetrying(Exception exception, string indexer, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Chain indexer {Indexer}: block {Block} changed from {Expected} to {Actual} after it was indexed (a reorganisation deeper than the confirmations); the mirror may be stale until an operator reindexes.")]
    private partial void LogReorganised(string indexer, long block, string expected, string actual);
}
