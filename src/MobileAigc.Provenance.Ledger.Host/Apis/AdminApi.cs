using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>Operators' endpoints, <c>api/admin</c>, behind the admin API key.</summary>
public static class AdminApi
{
    /// <summary>Maps the group; returns <paramref name="app"/> so that other groups can be chained.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/admin").WithTags("Admin").RequireAuthorization(AdminApiKeyAuthentication.Policy);
        api.MapPost("reconcile", ReconcileAsync)
            .WithName("ReconcileBatches")
            .WithSummary("Rebuilds every batch root from the database and checks it against the chain's BatchAnchored events.")
            .LimitConcurrency(HeavyWork.Audit);
        return app;
    }

    /// <summary><c>POST api/admin/reconcile</c>: the report, also kept for the dashboard; 503 when the chain node does not answer.</summary>
    public static async Task<Results<Ok<ReconciliationReport>, ProblemHttpResult>> ReconcileAsync(
        [AsParameters] AdminServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            var report = await new BatchReconciler(services.Databases, services.Chain, services.Time).ReconcileAsync(cancellationToken);
            // Kept for the auditor dashboard, which shows what the last runs found.
            await ReconciliationHistory.SaveAsync(services.Databases, report, cancellationToken);
            return TypedResults.Ok(report);
        }
        catch (ReconciliationChainException e)
        {
            return LedgerProblems.ChainUnavailable(services.Logger, e);
        }
    }
}

/// <summary>What the admin handlers use.</summary>
public sealed class AdminServices
{
    /// <summary>The ledger's database.</summary>
    public required IDbContextFactory<LedgerDbContext> Databases { get; init; }

    /// <summary>The chain connection.</summary>
    public required LedgerChain Chain { get; init; }

    /// <summary>The clock.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>Where chain failures are logged (their text never reaches the answer).</summary>
    public required ILogger<BatchReconciler> Logger { get; init; }
}
