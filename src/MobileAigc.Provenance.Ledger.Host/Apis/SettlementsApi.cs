using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// Payments as the chain settled them: <c>api/audit/settlements</c> (pages and totals),
/// <c>api/audit/royalties</c> (per model) for auditors, providers and model owners, and
/// <c>api/admin/settlements/check</c> (the mirror against the chain). 404 when the ledger is not
/// configured with a <c>PaymentChannels</c> contract.
/// </summary>
public static class SettlementsApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapSettlementsApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("api/audit").WithTags("Settlements").RequireRateLimiting(LedgerRateLimits.Public);
        audit.MapGet("settlements", GetSettlementsAsync)
            .WithName("GetSettlements")
            .WithSummary("Settled vouchers filtered by provider, model, channel and block time, in chain order, with cursor pagination.");
        audit.MapGet("settlements/totals", GetSettlementTotalsAsync)
            .WithName("GetSettlementTotals")
            .WithSummary("Totals per token (count, paid, royalties, provider's part) over every settlement matching the filter.");
        audit.MapGet("royalties", GetRoyaltiesAsync)
            .WithName("GetRoyalties")
            .WithSummary("Royalties received per model and token, lineage payouts included, optionally for one model and a time range.");
        app.MapPost("api/admin/settlements/check", CheckAsync)
            .WithTags("Admin")
            .RequireAuthorization(AdminApiKeyAuthentication.Policy)
            .WithName("CheckSettlements")
            .WithSummary("Compares every mirrored channel's settled sum and last nonce with PaymentChannels on chain, at the last indexed block.")
            .LimitConcurrency(HeavyWork.Audit);
        return app;
    }

    /// <summary><c>GET api/audit/settlements</c>.</summary>
    public static async Task<Results<Ok<AuditPage<AuditSettlement>>, ProblemHttpResult>> GetSettlementsAsync(
        [AsParameters] SettlementFilterParameters filter, [AsParameters] SettlementServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(services);
        return await RunAsync(filter, services, (query, db) => query.ReadPageAsync(db, cancellationToken), cancellationToken);
    }

    /// <summary><c>GET api/audit/settlements/totals</c>.</summary>
    public static async Task<Results<Ok<IReadOnlyList<SettlementTotals>>, ProblemHttpResult>> GetSettlementTotalsAsync(
        [AsParameters] SettlementFilterParameters filter, [AsParameters] SettlementServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(services);
        return await RunAsync(filter, services, (query, db) => query.TotalsAsync(db, cancellationToken), cancellationToken);
    }

    /// <summary><c>GET api/audit/royalties</c>.</summary>
    public static async Task<Results<Ok<IReadOnlyList<ModelRoyaltyTotals>>, ProblemHttpResult>> GetRoyaltiesAsync(
        [FromQuery] string? model, [FromQuery] string? from, [FromQuery] string? to,
        [AsParameters] SettlementServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var filter = new SettlementFilterParameters { Model = model, From = from, To = to };
        return await RunAsync(filter, services, (query, db) => query.RoyaltiesAsync(db, cancellationToken), cancellationToken);
    }

    /// <summary><c>POST api/admin/settlements/check</c>: the discrepancies; 503 when the chain node does not answer.</summary>
    public static async Task<Results<Ok<SettlementCheck>, ProblemHttpResult>> CheckAsync(
        [FromQuery] string? provider, [FromQuery] string? model, [AsParameters] SettlementServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Chain.Channels is null)
        {
            return NotIndexedProblem();
        }

        try
        {
            var query = SettlementQuery.Parse(provider: provider, model: model);
            return TypedResults.Ok(await new SettlementChecker(services.Databases, services.Chain)
                .CheckAsync(query.Provider, query.Model, cancellationToken));
        }
        catch (AuditQueryException e)
        {
            return AuditApi.InvalidQuery(e);
        }
        catch (ReconciliationChainException e)
        {
            return LedgerProblems.ChainUnavailable(services.Logger, e);
        }
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> RunAsync<T>(
        SettlementFilterParameters filter, SettlementServices services, Func<SettlementQuery, LedgerDbContext, Task<T>> read,
        CancellationToken cancellationToken)
    {
        if (services.Chain.Channels is null)
        {
            return NotIndexedProblem();
        }

        SettlementQuery query;
        try
        {
            query = filter.ToQuery();
        }
        catch (AuditQueryException e)
        {
            return AuditApi.InvalidQuery(e);
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await read(query, db));
    }

    private static ProblemHttpResult NotIndexedProblem() => LedgerProblems.Problem(LedgerProblemTypes.SettlementsNotIndexed, "Settlements not indexed",
        $"This ledger is configured without a PaymentChannels contract ({LedgerChainOptions.Section}:PaymentChannels), so it indexes no settlements.",
        StatusCodes.Status404NotFound);
}

/// <summary>The filter of the settlement listings (see <see cref="SettlementQuery.Parse"/>).</summary>
public sealed class SettlementFilterParameters
{
    /// <summary>A provider address.</summary>
    [FromQuery] public string? Provider { get; init; }

    /// <summary>A model hash.</summary>
    [FromQuery] public string? Model { get; init; }

    /// <summary>A channel id.</summary>
    [FromQuery] public string? Channel { get; init; }

    /// <summary>Unix seconds or ISO 8601 with offset, inclusive.</summary>
    [FromQuery] public string? From { get; init; }

    /// <summary>Unix seconds or ISO 8601 with offset, inclusive.</summary>
    [FromQuery] public string? To { get; init; }

    /// <summary>The <c>nextCursor</c> of a previous page.</summary>
    [FromQuery] public string? Cursor { get; init; }

    /// <summary>The page size.</summary>
    [FromQuery] public string? Limit { get; init; }

    internal SettlementQuery ToQuery() => SettlementQuery.Parse(Provider, Model, Channel, From, To, Cursor, Limit);
}

/// <summary>What the settlement handlers use.</summary>
public sealed class SettlementServices
{
    /// <summary>The ledger's database.</summary>
    public required IDbContextFactory<LedgerDbContext> Databases { get; init; }

    /// <summary>The chain.</summary>
    public required LedgerChain Chain { get; init; }

    /// <summary>Where chain failures are logged (their text never reaches the answer).</summary>
    public required ILogger<SettlementChecker> Logger { get; init; }
}
