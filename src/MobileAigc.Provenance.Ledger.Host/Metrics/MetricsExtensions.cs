using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MobileAigc.Provenance.Ledger.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MobileAigc.Provenance.Ledger.Host.Metrics;

/// <summary>
/// The ledger's metrics for operators: its own instruments (<see cref="LedgerMetrics"/>), ASP.NET
/// Core's and the runtime's, served in the Prometheus text format at <see cref="Path"/>, and the
/// readiness checks built on them. docs/operations.md lists every metric and check.
/// </summary>
internal static class MetricsExtensions
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>Registers the instruments, the state sampler, the readiness checks and the OpenTelemetry exporter.</summary>
    public static void AddProvenanceMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLedgerMetrics().BindConfiguration(LedgerHealthOptions.Section);
        builder.Services.AddHealthChecks()
            .AddCheck<AnchoringBacklogHealthCheck>(AnchoringBacklogHealthCheck.Name)
            .AddCheck<IndexerLagHealthCheck>(IndexerLagHealthCheck.Name);
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("ledger")).WithMetrics(metrics => metrics
            .AddMeter(LedgerMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
    }

    /// <summary>
    /// Maps <see cref="Path"/>, public like the rest of the ledger's numbers (rate-limited per client
    /// as the public routes are), and <c>health/ready</c> with each check's state as JSON.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(Path).RequireRateLimiting(LedgerRateLimits.Public);
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = HealthReportJson.WriteAsync });
    }
}
