using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Settlements;

/// <summary>Registers the settlement mirror.</summary>
public static class SettlementServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SettlementChecker"/> and, when <paramref name="indexChannels"/> (a
    /// <c>PaymentChannels</c> address is configured), runs <see cref="SettlementIndexer"/> in the
    /// background. Uses the <see cref="ChainIndexerOptions"/> the registry indexer binds.
    /// </summary>
    public static IServiceCollection AddSettlements(this IServiceCollection services, bool indexChannels)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SettlementChecker>();
        if (indexChannels)
        {
            services.TryAddSingleton<SettlementIndexer>();
            services.AddHostedService(sp => sp.GetRequiredService<SettlementIndexer>());
        }

        return services;
    }
}
