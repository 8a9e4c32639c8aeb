using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.ContentCredentials;
using MobileAigc.Provenance.EdgeNode.Evidence;
using MobileAigc.Provenance.EdgeNode.FineTuning;
using MobileAigc.Provenance.EdgeNode.Host.Limits;
using MobileAigc.Provenance.EdgeNode.Host.Metrics;
using MobileAigc.Provenance.EdgeNode.Metrics;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Payments;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.EdgeNode.Host;

internal static class Extensions
{
    /// <summary>Every registration of the edge node host.</summary>
    public static void AddEdgeNodeServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeNodeOptions>().BindConfiguration(EdgeNodeOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            // The C2PA certificate binding is signed in the registry the node is paid through unless another is named.
            .PostConfigure(options => options.Credentials.ModelRegistry ??= builder.Configuration[$"{PaymentOptions.Section}:{nameof(PaymentOptions.ModelRegistry)}"])
            // Content Credentials name the ledger the node delivers to unless a public URL is given.
            .PostConfigure<IOptions<LedgerDeliveryOptions>>((options, ledger) => options.LedgerUrl ??= ledger.Value.BaseAddress);
        // After the registrations above: the deployment file has the last word on the addresses it holds.
        builder.Services.AddSingleton<EdgeNodeDeploymentFile>();
        builder.Services.AddSingleton<IPostConfigureOptions<EdgeNodeOptions>>(sp => sp.GetRequiredService<EdgeNodeDeploymentFile>());
        builder.Services.AddSingleton<IPostConfigureOptions<PaymentOptions>>(sp => sp.GetRequiredService<EdgeNodeDeploymentFile>());
        builder.Services.AddOptions<LedgerDeliveryOptions>().BindConfiguration(LedgerDeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);

        // Opened once at start: a node that cannot read its keys or models must not serve.
        // A registered C2paClaimSignerFactory (a provider's HSM adapter) signs the claims; none: the node's own P-256 key.
        builder.Services.AddSingleton(sp => EdgeNodeRuntime.OpenAsync(
            sp.GetRequiredService<IOptions<EdgeNodeOptions>>().Value, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EdgeNodeRuntime>>(), sp.GetService<C2paClaimSignerFactory>()).GetAwaiter().GetResult());
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EdgeNodeRuntime>().C2paIdentities);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EdgeNodeRuntime>().Generator);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EdgeNodeRuntime>().Catalog);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<EdgeNodeRuntime>().Outbox);
        builder.Services.AddHttpClient<OutboxDispatcher>();
        builder.Services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OutboxDispatcher>());
        builder.AddPaymentServices();
        builder.AddFineTuningServices();
        builder.AddEvidenceServices();

        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = StableProblemTypes);
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<OutboxHealthCheck>("outbox");
        builder.AddProvenanceMetrics();
        builder.AddHostLimits();
    }

    /// <summary>The body limit, the generation limiter and the proxies whose forwarded headers count.</summary>
    private static void AddHostLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeNodeHostOptions>().BindConfiguration(EdgeNodeHostOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<EdgeNodeHostOptions>>(
            (kestrel, host) => kestrel.Limits.MaxRequestBodySize = host.Value.MaxRequestBodyBytes);
        builder.Services.AddGenerationLimiter();
        builder.Services.AddTrustedProxies();
    }

    // Framework answers (a body that does not bind, an unexpected failure) get the node's own
    // stable types, and a failure's answer says nothing of its cause: that goes to the log.
    private static void StableProblemTypes(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status == StatusCodes.Status400BadRequest && !IsOwnType(problem.Type))
        {
            problem.Type = EdgeNodeProblemTypes.MalformedBody;
            problem.Title = "Malformed body";
            problem.Detail ??= "The body is not the JSON this route takes: see the API description (openapi/v1.json).";
        }
        else if (problem.Status >= StatusCodes.Status500InternalServerError && !IsOwnType(problem.Type))
        {
            problem.Type = EdgeNodeProblemTypes.InternalError;
            problem.Title = "Internal error";
            problem.Detail = "The node failed to answer this request. Nothing was charged; the node's log has the cause.";
        }
    }

    private static bool IsOwnType(string? type) => type?.StartsWith("urn:mobileaigc:", StringComparison.Ordinal) == true;

    /// <summary>The voucher gate, the payments database and, when the node settles for itself, the settlement worker.</summary>
    private static void AddPaymentServices(this IHostApplicationBuilder builder)
    {
        // ValidateDataAnnotations also runs PaymentOptions' cross-field rules (IValidatableObject).
        builder.Services.AddOptions<PaymentOptions>().BindConfiguration(PaymentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => NodePayments.Open(
            sp.GetRequiredService<EdgeNodeRuntime>(),
            sp.GetRequiredService<IOptions<EdgeNodeOptions>>().Value,
            sp.GetRequiredService<IOptions<PaymentOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<NodePayments>().Gate);
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            var payments = sp.GetRequiredService<NodePayments>();
            return payments.SettlesItself
                ? new SettlementWorker(payments.Settlements, payments.Chain!, payments.Web3!, payments.Options, sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<SettlementWorker>>(), sp.GetRequiredService<EdgeNodeMetrics>())
                : new IdleService();
        });
    }
}

/// <summary>The fine-tune jobs (<c>EdgeNode:FineTuning</c>), their worker and the guard of private derivatives.</summary>
internal static class FineTuningServices
{
    public static void AddFineTuningServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FineTuningOptions>().BindConfiguration(FineTuningOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(DerivativeTrainers.Node);
        builder.Services.AddSingleton(sp => FineTuneJobs.Open(
            sp.GetRequiredService<EdgeNodeRuntime>(),
            sp.GetRequiredService<IOptions<EdgeNodeOptions>>().Value,
            sp.GetRequiredService<IOptions<FineTuningOptions>>().Value,
            sp.GetRequiredService<NodePayments>().Refunds,
            sp.GetRequiredService<DerivativeTrainer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<FineTuneJobs>>()));
        builder.Services.AddHostedService<FineTuneWorker>();
        builder.Services.AddSingleton(sp => new DerivativeAccessGuard(sp.GetRequiredService<NodePayments>().Chain));
    }
}

/// <summary>The evidence keeper (<c>Evidence</c>): runs when the node has a ledger and reads the chain (<c>Payments:RpcUrl</c>).</summary>
internal static class EvidenceServices
{
    public static void AddEvidenceServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(nameof(EvidenceKeeper));
        builder.Services.AddSingleton<IHostedService>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EvidenceOptions>>().Value;
            var ledger = sp.GetRequiredService<IOptions<LedgerDeliveryOptions>>().Value.BaseAddress;
            var web3 = sp.GetRequiredService<NodePayments>().Web3;
            var runtime = sp.GetRequiredService<EdgeNodeRuntime>();
            if (!options.Enabled || ledger is null || web3 is null)
            {
                return new IdleService();
            }

            var domain = runtime.Issuer.Domain;
            return new EvidenceKeeper(
                runtime.Evidence, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(EvidenceKeeper)), ledger, web3,
                new AnchoringDeployment(domain.VerifyingContract, (long)domain.ChainId, true), options, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<EvidenceKeeper>>(), sp.GetRequiredService<EdgeNodeMetrics>());
        });
    }
}

/// <summary>Stands in for the settlement worker when the node does not settle (payments off, or settlement disabled).</summary>
internal sealed class IdleService : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}

/// <summary>
/// Healthy while the outbox opens and answers; reports how many records wait for the ledger.
/// Degraded while the ledger has refused records for good: they need the operator.
/// </summary>
internal sealed class OutboxHealthCheck(RecordOutbox outbox) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var counts = outbox.Count();
        var description = $"{counts.Pending} records pending, {counts.Delivered} delivered, {counts.Held} held after a permanent refusal";
        var data = new Dictionary<string, object> { ["pending"] = counts.Pending, ["delivered"] = counts.Delivered, ["held"] = counts.Held };
        return Task.FromResult(counts.Held > 0
            ? HealthCheckResult.Degraded(description, data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
