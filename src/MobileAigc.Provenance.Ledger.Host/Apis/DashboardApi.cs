using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The auditor dashboard's data, <c>api/dashboard</c>: aggregations over a time window (<c>from</c>,
/// <c>to</c>: Unix seconds or ISO 8601 with offset, both inclusive, at most 31 days, the last 24 hours
/// by default), computed by the database. Behind the admin key or the read-only auditor key: the
/// aggregates are public data, but each costs a range scan, so anonymous callers get the paged
/// <c>api/audit</c> routes instead. Every malformed argument is a 400 ProblemDetails naming it.
/// </summary>
public static class DashboardApi
{
    /// <summary>Maps the group; returns <paramref name="app"/> so that other groups can be chained.</summary>
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/dashboard").WithTags("Dashboard")
            .RequireAuthorization(AuditorApiKeyAuthentication.DashboardPolicy)
            .RequireRateLimiting(LedgerRateLimits.Public)
            .LimitConcurrency(HeavyWork.Audit);
        api.MapGet("summary", GetSummaryAsync)
            .WithName("GetDashboardSummary")
            .WithSummary("Records by state, distinct models and nodes, batches confirmed, their gas per record and settlements in the window.");
        api.MapGet("records-per-hour", GetRecordsPerHourAsync)
            .WithName("GetDashboardRecordsPerHour")
            .WithSummary("Records per hour of their signed timestamp, one series per model or node (by=model|node, series=1..50), filtered by model, node, creator.");
        api.MapGet("anchoring", GetAnchoringAsync)
            .WithName("GetDashboardAnchoring")
            .WithSummary("The batches confirmed in the window: gas per record and the median, 95th percentile and longest wait from acceptance to anchoring.");
        api.MapGet("settlements", GetSettlementsAsync)
            .WithName("GetDashboardSettlements")
            .WithSummary("Settled vouchers, amounts paid and royalties per hour, one series per token.");
        api.MapGet("reconciliations", GetReconciliationsAsync)
            .WithName("GetDashboardReconciliations")
            .WithSummary("The reconciliations run in the window and the latest one's differing batches.");
        return app;
    }

    /// <summary><c>GET api/dashboard/summary</c>.</summary>
    public static Task<Results<Ok<DashboardSummary>, ProblemHttpResult>> GetSummaryAsync(
        [AsParameters] DashboardWindowParameters window, [AsParameters] DashboardServices services, CancellationToken cancellationToken) =>
        AnswerAsync(window, services, (db, w) => DashboardSummaryQuery.ReadAsync(db, w, cancellationToken), cancellationToken);

    /// <summary><c>GET api/dashboard/records-per-hour</c>.</summary>
    public static Task<Results<Ok<RecordActivity>, ProblemHttpResult>> GetRecordsPerHourAsync(
        [AsParameters] DashboardWindowParameters window, [FromQuery] string? by, [FromQuery] string? series,
        [FromQuery] string? model, [FromQuery] string? node, [FromQuery] string? creator,
        [AsParameters] DashboardServices services, CancellationToken cancellationToken) =>
        AnswerAsync(window, services, (db, w) => RecordActivityQuery.Parse(w, by, series, model, node, creator).ReadAsync(db, cancellationToken), cancellationToken);

    /// <summary><c>GET api/dashboard/anchoring</c>.</summary>
    public static Task<Results<Ok<AnchoringActivity>, ProblemHttpResult>> GetAnchoringAsync(
        [AsParameters] DashboardWindowParameters window, [AsParameters] DashboardServices services, CancellationToken cancellationToken) =>
        AnswerAsync(window, services, (db, w) => AnchoringQuery.ReadAsync(db, w, cancellationToken), cancellationToken);

    /// <summary><c>GET api/dashboard/settlements</c>.</summary>
    public static Task<Results<Ok<SettlementActivity>, ProblemHttpResult>> GetSettlementsAsync(
        [AsParameters] DashboardWindowParameters window, [AsParameters] DashboardServices services, CancellationToken cancellationToken) =>
        AnswerAsync(window, services, (db, w) => SettlementActivityQuery.ReadAsync(db, w, cancellationToken), cancellationToken);

    /// <summary><c>GET api/dashboard/reconciliations</c>.</summary>
    public static Task<Results<Ok<ReconciliationActivity>, ProblemHttpResult>> GetReconciliationsAsync(
        [AsParameters] DashboardWindowParameters window, [AsParameters] DashboardServices services, CancellationToken cancellationToken) =>
        AnswerAsync(window, services, (db, w) => ReconciliationHistory.ReadAsync(db, w, cancellationToken), cancellationToken);

    // Arguments are parsed before the database is opened, and again inside the query for those only it knows (series).
    private static async Task<Results<Ok<T>, ProblemHttpResult>> AnswerAsync<T>(
        DashboardWindowParameters parameters, DashboardServices services, Func<LedgerDbContext, DashboardWindow, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            var window = DashboardWindow.Parse(parameters.From, parameters.To, services.Time.GetUtcNow());
            await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
            return TypedResults.Ok(await read(db, window));
        }
        catch (AuditQueryException e)
        {
            return AuditApi.InvalidQuery(e);
        }
    }
}

/// <summary>The window of every dashboard route, as sent (parsed by <see cref="DashboardWindow.Parse"/>).</summary>
public sealed class DashboardWindowParameters
{
    /// <summary>The window's first second: Unix seconds or ISO 8601 with offset. Default: 24 hours before <see cref="To"/>.</summary>
    [FromQuery] public string? From { get; init; }

    /// <summary>The window's last second. Default: now.</summary>
    [FromQuery] public string? To { get; init; }
}

/// <summary>What the dashboard handlers use.</summary>
public sealed class DashboardServices
{
    /// <summary>The ledger's database.</summary>
    public required IDbContextFactory<LedgerDbContext> Databases { get; init; }

    /// <summary>The clock of the default window.</summary>
    public required TimeProvider Time { get; init; }
}
