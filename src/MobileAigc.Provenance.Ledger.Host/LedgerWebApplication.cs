using MobileAigc.Provenance.Ledger.Host.Apis;
using Scalar.AspNetCore;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// The ledger's web application, built the same way by its own process (<c>Program</c>) and by
/// callers that host it in-process (the demo): configuration, services, middleware, endpoints,
/// and the database migrated before it serves.
/// </summary>
public static class LedgerWebApplication
{
    /// <summary>Builds the application and migrates its database.</summary>
    /// <param name="args">Command-line arguments (ASP.NET Core's: <c>--urls</c>, configuration keys).</param>
    /// <param name="settings">Configuration that overrides files and environment (in-process hosting); null for none.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        // The verification page ships beside the assembly, so it is found wherever the host runs from
        // (its own process, a container, or in-process in another program such as the demo).
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Directory.Exists(webRoot) ? webRoot : null,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddLedgerServices();
        var app = builder.Build();
        await app.MigrateLedgerDatabaseAsync();
        app.UseLedgerPipeline();
        app.MapOpenApi();
        app.MapScalarApiReference();
        app.MapHealthChecks("/health");
        app.MapRecordsApi();
        app.MapVerifyApi();
        app.MapSoftBindingApi();
        app.MapAuditApi().MapAdminApi().MapSettlementsApi().MapOffersApi();
        return app;
    }
}
