using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>Registers the keeping of C2PA manifest stores.</summary>
public static class ManifestStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ManifestStoreKeeper"/> and, unless another is registered first,
    /// <see cref="RecordManifestStoreCheck"/> as the <see cref="IManifestStoreCheck"/> (certificate bindings checked in
    /// the <c>ModelRegistry</c> domain of <see cref="LedgerChain"/>); validates <see cref="ManifestStoreOptions"/> at start.
    /// Returns the options builder so that the host binds them (<c>.BindConfiguration(ManifestStoreOptions.Section)</c>).
    /// Needs the ledger database, <see cref="LedgerChain"/> and a <see cref="TimeProvider"/> (the system clock when none
    /// is registered).
    /// </summary>
    public static OptionsBuilder<ManifestStoreOptions> AddManifestStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        // No trust list: ingest does not judge the provider's CA (RecordManifestStoreCheck allows an untrusted signer);
        // what ties the store to the record is the node key's binding of the certificate.
        services.TryAddSingleton<IManifestStoreCheck>(sp => new RecordManifestStoreCheck(
            new ManifestValidator(TrustList.Empty, sp.GetRequiredService<TimeProvider>()), sp.GetRequiredService<LedgerChain>().RegistryDomain));
        services.TryAddSingleton<ManifestStoreKeeper>();
        return services.AddOptions<ManifestStoreOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
