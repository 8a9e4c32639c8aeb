using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>Registers the anchoring worker.</summary>
public static class AnchoringServiceCollectionExtensions
{
    /// <summary>
    /// Runs <see cref="AnchoringWorker"/> in the background and validates <see cref="AnchoringOptions"/>
    /// at start. Returns the options builder so that the host binds them to its configuration
    /// (<c>.BindConfiguration(AnchoringOptions.Section)</c>; this library takes no configuration
    /// dependency). Needs the ledger database, a <c>LedgerChain</c> singleton and a
    /// <see cref="TimeProvider"/> (the system clock when none is registered). The worker idles on
    /// a replica without an anchorer key.
    /// </summary>
    public static OptionsBuilder<AnchoringOptions> AddAnchoring(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<AnchoringWorker>();
        return services.AddOptions<AnchoringOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
