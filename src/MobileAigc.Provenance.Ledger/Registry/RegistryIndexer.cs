using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Registry;

/// <summary>
/// Mirrors <c>ModelRegistry</c> (models, owners, terms, nodes and the models they serve) and
/// <c>ProvenanceLedger</c>'s revocations into the ledger database by reading contract events
/// with <c>eth_getLogs</c>, from <see cref="LedgerChainOptions.DeploymentBlock"/> up to the head
/// less <see cref="LedgerChainOptions.Confirmations"/>, at most
/// <see cref="RegistryIndexerOptions.MaxBlockRange"/> blocks at a time. Each range's events are
/// applied in (block, log index) order in one database transaction that also advances the
/// <see cref="ChainCursor"/>, so a crash never applies a range twice nor skips one; the cursor
/// moves by compare-and-set, so replicas sharing a PostgreSQL database may all run it.
/// </summary>
public sealed partial class RegistryIndexer : BackgroundService
{
    /// <summary>The <see cref="ChainCursor.Name"/> of this indexer.</summary>
    public const string CursorName = "model-registry";

    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly LedgerChain _chain;
    private readonly RegistryIndexerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistryIndexer> _logger;

    /// <summary>Prepares the indexer; nothing is read before <see cref="IndexStepAsync"/> or the host starts it.</summary>
    public RegistryIndexer(
        IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, IOptions<RegistryIndexerOptions> options,
        TimeProvider time, ILogger<RegistryIndexer> logger)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _databases = databases;
        _chain = chain;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Reads and applies the next range of confirmed blocks, if any. Throws what the chain node or
    /// the database throw (the background loop retries); a range another replica applied first
    /// is skipped, not applied again.
    /// </summary>
    public async Task<RegistryIndexStep> IndexStepAsync(CancellationToken cancellationToken = default)
    {
        await ApplyArrivedRevocationsAsync(cancellationToken);
        var chainOptions = _chain.Options;
        var cursor = await ReadCursorAsync(cancellationToken);
        var head = (long)(await _chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var confirmed = head - chainOptions.Confirmations;
        var from = cursor.NextBlock;
        if (from > confirmed)
        {
            return new RegistryIndexStep(from, from - 1, 0, CaughtUp: true);
        }

        await CheckContinuityAsync(cursor, cancellationToken);
        var to = Math.Min(confirmed, from + _options.MaxBlockRange - 1);
        var logs = await _chain.Web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            Address = [_chain.Registry.Address.ToString(), _chain.Ledger.Address.ToString()],
            FromBlock = new BlockParameter(new HexBigInteger(from)),
            ToBlock = new BlockParameter(new HexBigInteger(to)),
            Topics = [RegistryEventApplier.Topics],
        });
        var ordered = (logs ?? []).Where(l => l.Removed != true)
            .OrderBy(l => l.BlockNumber.Value).ThenBy(l => l.LogIndex.Value).ToList();
        var lastBlock = await _chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(to));
        var blockTimes = new Dictionary<long, DateTimeOffset> { [to] = BlockTime(lastBlock) };

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Compare-and-set first: on PostgreSQL it also locks the row, so a second replica waits here and then finds it moved.
        var moved = await db.ChainCursors
            .Where(c => c.Name == CursorName && c.NextBlock == from)
            .ExecuteUpdateAsync(set => set
                .SetProperty(c => c.NextBlock, to + 1)
                .SetProperty(c => c.LastBlockHash, Bytes32.Parse(lastBlock.BlockHash)), cancellationToken);
        if (moved == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            LogRangeTakenByOther(from, to);
            return new RegistryIndexStep(from, from - 1, 0, CaughtUp: false);
        }

        var applied = 0;
        foreach (var log in ordered)
        {
            if (await RegistryEventApplier.ApplyAsync(db, log, _chain.Registry.Address, _chain.Ledger.Address,
                    block => BlockTimeAsync(block, blockTimes), cancellationToken))
            {
                applied++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (applied > 0)
        {
            LogApplied(applied, from, to);
        }

        return new RegistryIndexStep(from, to, applied, CaughtUp: to >= confirmed);
    }

    private async Task ApplyArrivedRevocationsAsync(CancellationToken cancellationToken)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var applied = await RevocationSweep.ApplyArrivedAsync(db, cancellationToken);
        if (applied > 0)
        {
            LogLateRevocations(applied);
        }
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
                    await Task.Delay(_chain.Options.PollInterval, _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The chain node or the database is away (or answered nonsense): nothing was committed, so retrying is safe.
                LogRetrying(e, delay);
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
        if (await db.ChainCursors.AsNoTracking().SingleOrDefaultAsync(c => c.Name == CursorName, cancellationToken) is { } cursor)
        {
            return cursor;
        }

        cursor = new ChainCursor { Name = CursorName, NextBlock = _chain.Options.DeploymentBlock };
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
            return await db.ChainCursors.AsNoTracking().SingleAsync(c => c.Name == CursorName, cancellationToken);
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
        var block = await _chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(cursor.NextBlock - 1));
        if (block is not null && Bytes32.Parse(block.BlockHash) != expected)
        {
            LogReorganised(cursor.NextBlock - 1, expected.ToString(), block.BlockHash);
        }
    }

    private async Task<DateTimeOffset> BlockTimeAsync(long block, Dictionary<long, DateTimeOffset> cache)
    {
        if (!cache.TryGetValue(block, out var time))
        {
            time = BlockTime(await _chain.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(block)));
            cache[block] = time;
        }

        return time;
    }

    private static DateTimeOffset BlockTime(BlockWithTransactionHashes block) =>
        DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);

    [LoggerMessage(LogLevel.Information, "Registry mirror: applied {Count} revocations read from the chain before their records arrived.")]
    private partial void LogLateRevocations(int count);

    [LoggerMessage(LogLevel.Information, "Registry mirror: applied {Count} events from blocks {From}-{To}.")]
    private partial void LogApplied(int count, long from, long to);

    [LoggerMessage(LogLevel.Debug, "Registry mirror: blocks {From}-{To} were applied by another replica first.")]
    private partial void LogRangeTakenByOther(long from, long to);

    [LoggerMessage(LogLevel.Warning, "Registry mirror: the chain node or the database failed; retrying in {Delay}.")]
    private partial void LogRetrying(Exception exception, TimeSpan delay);

    [LoggerMessage(LogLevel.Error, "Registry mirror: block {Block} changed from {Expected} to {Actual} after it was indexed (a reorganisation deeper than the confirmations); the mirror may be stale until an operator reindexes.")]
    private partial void LogReorganised(long block, string expected, string actual);
}
