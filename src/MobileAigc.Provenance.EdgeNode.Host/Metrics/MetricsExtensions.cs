using MobileAigc.Provenance.EdgeNode.Host.Access;
using MobileAigc.Provenance.EdgeNode.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MobileAigc.Provenance.EdgeNode.Host.Metrics;

/// <summary>
/// The node's metrics for its provider: its own instruments (<see cref="EdgeNodeMetrics"/>), ASP.NET
/// Core's and the runtime's, served in the Prometheus text format at <see cref="Path"/>. What the
/// node earns and refuses is the provider's business, so the scrape needs the provider key, as
/// <c>v1/earnings</c> does (Prometheus: <c>authorization.credentials_file</c>, docs/operations.md).
/// </summary>
internal static class MetricsExtensions
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    /// <summary>Registers the instruments and the OpenTelemetry exporter.</summary>
    public static void AddProvenanceMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp =>
        {
            var outbox = sp.GetRequiredService<EdgeNodeRuntime>().Outbox;
            return new EdgeNodeMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), () =>
            {
                var counts = outbox.Count();
                return (counts.Pending, counts.Held);
            });
        });
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("edge-node")).WithMetrics(metrics => metrics
            .AddMeter(EdgeNodeMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
    }

    /// <summary>Maps <see cref="Path"/> behind the provider key.</summary>
    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(
            async (context, next) =>
            {
                if (await ProviderKeyFilter.ChallengeAsync(context))
                {
                    await next(context);
                }
            }), optionsName: null);
}
