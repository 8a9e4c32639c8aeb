using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Registry;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>Registers record ingest.</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RecordIngestor"/>, the <see cref="RecordSignatureVerifier"/> of the
    /// ledger's domain, <see cref="CreatorProofChecker"/> and <see cref="RegistryMirror"/>, and validates <see cref="RecordIngestOptions"/>
    /// at start. Returns the options builder so that the host binds them
    /// (<c>.BindConfiguration(RecordIngestOptions.Section)</c>). Needs the ledger database, a
    /// <see cref="LedgerChain"/> singleton and a <see cref="TimeProvider"/> (the system clock when
    /// none is registered).
    /// </summary>
    public static OptionsBuilder<RecordIngestOptions> AddLedgerIngest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RegistryMirror>();
        services.TryAddSingleton(sp => new RecordSignatureVerifier(sp.GetRequiredService<LedgerChain>().Domain));
        services.TryAddSingleton(sp => new CreatorProofChecker(
            sp.GetRequiredService<RecordSignatureVerifier>(),
            sp.GetRequiredService<LedgerChain>().Channels is { } channels ? new PaymentVoucherVerifier(channels.Domain) : null));
        services.TryAddSingleton(sp => new PreviousDomainSigners(sp.GetRequiredService<LedgerChain>().Previous));
        services.TryAddSingleton<RecordIngestor>();
        return services.AddOptions<RecordIngestOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
