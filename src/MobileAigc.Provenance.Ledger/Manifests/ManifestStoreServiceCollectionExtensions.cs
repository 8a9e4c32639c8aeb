using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>Registers the keeping of C2PA manifest stores.</summary>
public static class ManifestStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ManifestStoreKeeper"/> and, unless another is registered first,
    /// <see cref="ActiveManifestLabelCheck"/> as the <see cref="IManifestStoreCheck"/>; validates
    /// <see cref="ManifestStoreOptions"/> at start. Returns the options builder so that the host binds them
    /// (<c>.BindConfiguration(ManifestStoreOptions.Section)</c>). Needs the ledger database and a <see cref="TimeProvider"/>
    /// (the system clock when none is registered).
    /// </summary>
    public static OptionsBuilder<ManifestStoreOptions> AddManifestStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IManifestStoreCheck, ActiveManifestLabelCheck>();
        services.TryAddSingleton<ManifestStoreKeeper>();
        return services.AddOptions<ManifestStoreOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
