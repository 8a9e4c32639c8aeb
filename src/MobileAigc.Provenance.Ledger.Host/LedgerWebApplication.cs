using MobileAigc.Provenance.Ledger.Host.Apis;
using MobileAigc.Provenance.Ledger.Host.Metrics;
using Scalar.AspNetCore;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// The ledger's web application, built the same way by its own process (<c>Program</c>) and by
/// the tests that host it (through <c>WebApplicationFactory&lt;Program&gt;</c>): configuration,
/// services, middleware, endpoints, and the database migrated before it serves.
/// </summary>
public static class LedgerWebApplication
{
    /// <summary>Builds the application and migrates its database.</summary>
    /// <param name="args">Command-line arguments (ASP.NET Core's: <c>--urls</c>, configuration keys).</param>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        // The verification page ships beside the assembly, so it is found wherever the host runs from
        // (its own process, a container, or a test host).
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Directory.Exists(webRoot) ? webRoot : null,
        });
        builder.AddLedgerServices();
        var app = builder.Build();
        await app.MigrateLedgerDatabaseAsync();
        app.UseLedgerPipeline();
        app.MapOpenApi();
        app.MapScalarApiReference();
        // Readiness (database, chain, anchoring backlog, indexer lag; health/ready names each check) and liveness (the process serves requests: no check runs, so
        // an orchestrator probing often costs nothing and never restarts a ledger whose chain is away).
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapMetrics();
        app.MapRecordsApi();
        app.MapRecordEvidenceApi();
        app.MapVerifyApi();
        app.MapSoftBindingApi();
        app.MapAuditApi().MapDashboardApi().MapAdminApi().MapSettlementsApi().MapOffersApi();
        app.MapModelsApi();
        return app;
    }
}
