using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>Healthy while the database answers.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<LedgerDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy(db.Database.ProviderName)
            : HealthCheckResult.Unhealthy("The database does not answer.");
    }
}

/// <summary>
/// Healthy while the chain node answers with the configured chain id; degraded (not unhealthy)
/// when it is away, since the ledger keeps ingesting and serving reads then.
/// </summary>
internal sealed class ChainHealthCheck(LedgerChain chain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var chainId = (await chain.Web3.Eth.ChainId.SendRequestAsync()).Value;
            if (chainId != chain.ChainId)
            {
                return HealthCheckResult.Unhealthy($"The chain node reports chain id {chainId}; configured {chain.ChainId}.");
            }

            var block = (await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            return HealthCheckResult.Healthy($"chain {chainId} at block {block}");
        }
        catch (Exception e) when (ChainUnavailableHandler.IsChainFailure(e) || e is TaskCanceledException)
        {
            // An RPC error is the chain being away as much as a refused connection: degraded, never unhealthy.
            return HealthCheckResult.Degraded("The chain node does not answer; ingest continues, anchoring waits.", e);
        }
    }
}
