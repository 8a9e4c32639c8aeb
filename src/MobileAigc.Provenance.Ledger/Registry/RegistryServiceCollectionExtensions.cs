using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Registry;

/// <summary>Registers the registry mirror and its indexer.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RegistryMirror"/>, runs <see cref="RegistryIndexer"/> in the background
    /// and validates <see cref="ChainIndexerOptions"/> at start. Returns the options builder so
    /// that the host binds them (<c>.BindConfiguration(ChainIndexerOptions.Section)</c>; this
    /// library takes no configuration dependency). Needs the ledger database, a <c>LedgerChain</c>
    /// singleton and a <see cref="TimeProvider"/> (the system clock when none is registered).
    /// </summary>
    public static OptionsBuilder<ChainIndexerOptions> AddRegistryIndexer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RegistryMirror>();
        services.TryAddSingleton<RegistryIndexer>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistryIndexer>());
        return services.AddOptions<ChainIndexerOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
