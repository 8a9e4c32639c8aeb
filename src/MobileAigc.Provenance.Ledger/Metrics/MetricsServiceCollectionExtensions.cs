using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Metrics;

/// <summary>Registers the ledger's metrics.</summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LedgerMetrics"/> (through the <c>IMeterFactory</c> every .NET host registers) and runs
    /// <see cref="LedgerStateSampler"/> in the background; validates <see cref="LedgerHealthOptions"/>
    /// at start. Returns the options builder so that the host binds them
    /// (<c>.BindConfiguration(LedgerHealthOptions.Section)</c>). Needs the ledger database, a
    /// <c>LedgerChain</c> singleton and a <see cref="TimeProvider"/> (the system clock when none is registered).
    /// Exporting the meter (<see cref="LedgerMetrics.MeterName"/>) is the host's choice.
    /// </summary>
    public static OptionsBuilder<LedgerHealthOptions> AddLedgerMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LedgerMetrics>();
        services.TryAddSingleton<LedgerStateSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerStateSampler>());
        return services.AddOptions<LedgerHealthOptions>().ValidateDataAnnotations().ValidateOnStart();
    }
}
