using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Metrics;

namespace MobileAigc.Provenance.Ledger.Host.Metrics;

/// <summary>
/// Degraded while the oldest record not yet anchored has waited longer than
/// <see cref="LedgerHealthOptions.MaxAnchoringBacklogAge"/>: anchoring is stuck (no replica holds an
/// anchorer key, the chain refuses its transactions, the key has no gas) or too slow for the load.
/// Records are still accepted and verifiable meanwhile, so never unhealthy.
/// </summary>
internal sealed class AnchoringBacklogHealthCheck(LedgerMetrics metrics, IOptions<LedgerHealthOptions> options) : IHealthCheck
{
    /// <summary>The check's name in <c>health/ready</c>.</summary>
    public const string Name = "anchoring-backlog";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(metrics.State, options.Value.MaxAnchoringBacklogAge));

    private static HealthCheckResult Check(LedgerStateReading? reading, TimeSpan maxAge)
    {
        if (reading is null)
        {
            return HealthCheckResult.Healthy("Not read yet: the first reading is taken at start.");
        }

        if (reading.Failed)
        {
            return HealthCheckResult.Degraded($"The backlog could not be read: {reading.Failure}");
        }

        var data = new Dictionary<string, object>
        {
            ["records"] = reading.BacklogRecords,
            ["oldestWaitingSeconds"] = Math.Round(reading.OldestWaiting?.TotalSeconds ?? 0, 1),
            ["maxAgeSeconds"] = maxAge.TotalSeconds,
        };
        return reading.BacklogOlderThan(maxAge)
            ? HealthCheckResult.Degraded($"{reading.BacklogRecords} records wait to be anchored; the oldest for {reading.OldestWaiting:g}, over {maxAge:g}.", data: data)
            : HealthCheckResult.Healthy($"{reading.BacklogRecords} records wait to be anchored.", data);
    }
}

/// <summary>
/// Degraded while a chain indexer is more than <see cref="LedgerHealthOptions.MaxIndexerLagBlocks"/>
/// confirmed blocks behind: the registry mirror (new nodes and models, revocations) or the
/// settlement mirror is stale. Unknown while the chain does not answer (the <c>chain</c> check says so).
/// </summary>
internal sealed class IndexerLagHealthCheck(LedgerMetrics metrics, IOptions<LedgerHealthOptions> options) : IHealthCheck
{
    /// <summary>The check's name in <c>health/ready</c>.</summary>
    public const string Name = "indexer-lag";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(metrics.State, options.Value.MaxIndexerLagBlocks));

    private static HealthCheckResult Check(LedgerStateReading? reading, long maxLag)
    {
        if (reading is null || reading.Failed || reading.IndexerLag.Count == 0)
        {
            return HealthCheckResult.Healthy("No lag measured: the indexers or the chain have not been read yet.");
        }

        var data = reading.IndexerLag.ToDictionary(l => l.Key, l => (object)l.Value);
        var behind = reading.IndexersBehind(maxLag).Select(l => $"{l.Key} is {l.Value} blocks behind").ToList();
        return behind.Count > 0
            ? HealthCheckResult.Degraded($"{string.Join("; ", behind)} (more than {maxLag}).", data: data)
            : HealthCheckResult.Healthy("The indexers are caught up.", data);
    }
}
