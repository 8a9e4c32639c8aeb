using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Metrics;

/// <summary>
/// Reads the anchoring backlog and the chain indexers' lag every <see cref="LedgerHealthOptions.ReadInterval"/>
/// and hands the reading to <see cref="LedgerMetrics"/>, whose gauges and the health checks use it:
/// however many scrapers and probes ask, the database and the chain node are asked once per interval.
/// </summary>
/// <remarks>
/// The backlog is counted on the index over (batch, id), so a reading costs in proportion to the
/// records waiting, never to the ledger's size; unfinished batches are few (one at a time per anchorer).
/// </remarks>
public sealed partial class LedgerStateSampler(
    IDbContextFactory<LedgerDbContext> databases,
    LedgerChain chain,
    LedgerMetrics metrics,
    IOptions<LedgerHealthOptions> options,
    TimeProvider time,
    ILogger<LedgerStateSampler> logger) : BackgroundService
{
    // A chain node that does not answer must not hold the backlog reading back.
    private static readonly TimeSpan ChainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Takes one reading and hands it to the metrics. Never throws for a database or chain failure.</summary>
    public async Task<LedgerStateReading> SampleAsync(CancellationToken cancellationToken)
    {
        LedgerStateReading reading;
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var (backlog, oldest) = await ReadBacklogAsync(db, cancellationToken);
            var now = time.GetUtcNow();
            var waited = oldest is { } received ? now - received : (TimeSpan?)null;
            reading = new LedgerStateReading(now, backlog, waited < TimeSpan.Zero ? TimeSpan.Zero : waited,
                await ReadIndexerLagAsync(db, cancellationToken));
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(e);
            reading = LedgerStateReading.FailedAt(time.GetUtcNow(), "The ledger database did not answer.");
        }

        metrics.Observe(reading);
        return reading;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await SampleAsync(stoppingToken);
                await Task.Delay(options.Value.ReadInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static async Task<(long Count, DateTimeOffset? Oldest)> ReadBacklogAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        var unbatched = db.Records.Where(r => r.BatchId == null);
        long count = await unbatched.CountAsync(cancellationToken);
        var unfinished = await db.Batches.AsNoTracking().Where(b => b.State != AnchorBatchState.Anchored)
            .OrderBy(b => b.FirstSequence).Select(b => new { b.Id, b.RecordCount }).ToListAsync(cancellationToken);
        count += unfinished.Sum(b => (long)b.RecordCount);

        // Records are batched in id order, so the oldest waiting record opens the first unfinished batch, or else the unbatched ones.
        var oldest = unfinished.Count > 0
            ? db.Records.Where(r => r.BatchId == unfinished[0].Id)
            : unbatched;
        var received = await oldest.OrderBy(r => r.Id).Select(r => (DateTimeOffset?)r.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
        return (count, received);
    }

    private async Task<IReadOnlyDictionary<string, long>> ReadIndexerLagAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        var cursors = await db.ChainCursors.AsNoTracking().ToListAsync(cancellationToken);
        if (cursors.Count == 0)
        {
            return new Dictionary<string, long>();
        }

        long head;
        try
        {
            head = (long)(await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(ChainTimeout, cancellationToken)).Value;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The chain health check says the chain is away; the lag is then unknown, not zero.
            LogChainUnread(e.Message);
            return new Dictionary<string, long>();
        }

        return cursors.ToDictionary(c => c.Name, c => LedgerStateReading.Lag(head, chain.Options.Confirmations, c.NextBlock));
    }

    [LoggerMessage(LogLevel.Warning, "The ledger's state for the metrics could not be read; retrying at the next interval.")]
    private partial void LogReadFailed(Exception exception);

    [LoggerMessage(LogLevel.Debug, "The chain's head could not be read for the indexers' lag: {Reason}")]
    private partial void LogChainUnread(string reason);
}
