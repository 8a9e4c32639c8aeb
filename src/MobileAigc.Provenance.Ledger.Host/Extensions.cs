using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Host.Apis;
using MobileAigc.Provenance.Ledger.Host.Metrics;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Lineage;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Upgrades;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host;

internal static class Extensions
{
    /// <summary>Every registration of the ledger host.</summary>
    public static void AddLedgerServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LedgerHostOptions>().BindConfiguration(LedgerHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LedgerDatabaseOptions>().BindConfiguration(LedgerDatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LedgerChainOptions>().BindConfiguration(LedgerChainOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<LedgerChainOptions>, LedgerChainDeploymentFile>();
        services.AddSingleton(TimeProvider.System);

        var database = builder.Configuration.GetSection(LedgerDatabaseOptions.Section).Get<LedgerDatabaseOptions>() ?? new LedgerDatabaseOptions();
        services.AddLedgerDatabase(database);
        services.AddSingleton(sp => LedgerChain.Open(sp.GetRequiredService<IOptions<LedgerChainOptions>>().Value));
        services.AddAnchoring().BindConfiguration(AnchoringOptions.Section);
        services.AddVerification(o => o.BindConfiguration(VerificationOptions.Section));
        services.AddOptions<CredentialsOptions>().BindConfiguration(CredentialsOptions.Section);
        services.AddRegistryIndexer().BindConfiguration(ChainIndexerOptions.Section);
        services.AddSingleton(sp => new ModelLineageReader(
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<LedgerDbContext>>(), sp.GetRequiredService<ModelNames>().Of));
        services.AddSettlements(indexChannels: LedgerChainDeploymentFile.NamesPaymentChannels(builder.Configuration));
        services.AddLedgerIngest().BindConfiguration(RecordIngestOptions.Section);
        services.AddManifestStores().BindConfiguration(ManifestStoreOptions.Section);
        // C2PA resolvers run in browsers too (a page that found a watermark asks for the manifest): the
        // soft-binding routes are public, read-only and take no credentials, so any origin may call them.
        services.AddCors(cors => cors.AddPolicy(SoftBindingApi.CorsPolicy, policy => policy
            .AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Post).AllowAnyHeader().WithExposedHeaders("Retry-After")));
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageUnavailableHandler>();
        services.AddExceptionHandler<ChainUnavailableHandler>();
        services.AddOpenApi(openApi => openApi.CreateSchemaReferenceId = SoftBindingApi.SchemaReferenceId);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<ChainHealthCheck>("chain");
        builder.AddProvenanceMetrics();

        var host = builder.Configuration.GetSection(LedgerHostOptions.Section).Get<LedgerHostOptions>() ?? new LedgerHostOptions();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(
            kestrel => kestrel.Limits.MaxRequestBodySize = host.MaxRequestBodyBytes);
        services.AddRequestLimits(host);
        services.AddAuthentication(AdminApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminApiKeyAuthentication>(AdminApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, AuditorApiKeyAuthentication>(AuditorApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminApiKeyAuthentication.Policy, policy =>
                policy.AddAuthenticationSchemes(AdminApiKeyAuthentication.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(AuditorApiKeyAuthentication.DashboardPolicy, policy => policy
                .AddAuthenticationSchemes(AdminApiKeyAuthentication.SchemeName, AuditorApiKeyAuthentication.SchemeName).RequireAuthenticatedUser());
    }

    /// <summary>
    /// Applies pending migrations before serving, unless configured off; then records, confirms or switches to the
    /// configured contract deployment (<see cref="DeploymentSwitch"/>), refusing the start when that would lose records
    /// or make them unverifiable.
    /// </summary>
    /// <exception cref="DeploymentSwitchRefusedException">When the deployment switch is refused; the message says why and what to do.</exception>
    public static async Task MigrateLedgerDatabaseAsync(this WebApplication app)
    {
        var databases = app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<LedgerDbContext>>();
        if (app.Services.GetRequiredService<IOptions<LedgerDatabaseOptions>>().Value.MigrateOnStart)
        {
            await LedgerDatabase.MigrateAsync(databases);
        }

        var chain = app.Services.GetRequiredService<LedgerChain>();
        var outcome = await DeploymentSwitch.EnsureAsync(databases, chain, app.Services.GetRequiredService<TimeProvider>());
        app.Logger.LogInformation(
            "Contract deployment: {Outcome}; current {Current}, previous {Previous}.",
            outcome, chain.Current, chain.Previous.Count == 0 ? "none" : string.Join(", ", chain.Previous));
    }

    /// <summary>The middleware, in order: frame protection, the client's address (from configured proxies only), errors as ProblemDetails, CORS (the soft-binding routes only), rate limits, authentication.</summary>
    public static void UseLedgerPipeline(this WebApplication app)
    {
        app.UseFrameProtection();
        app.UseForwardedHeadersFromKnownProxies(app.Services.GetRequiredService<IOptions<LedgerHostOptions>>().Value);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
    }
}
