using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace MobileAigc.Provenance.EdgeNode.Host.Limits;

/// <summary>
/// Liveness apart from readiness: <c>health/live</c> runs no check (the process answers: cheap
/// enough for every probe and every creator's latency measurement), <c>health/ready</c> and
/// <c>health</c> run the checks (the outbox database is read); <c>health/ready</c> names each check and its state in JSON.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>Maps the three health routes.</summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = Metrics.HealthReportJson.WriteAsync });
        app.MapHealthChecks("/health");
    }
}
