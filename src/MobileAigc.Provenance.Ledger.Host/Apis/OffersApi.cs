using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Discovery;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>Discovery for creators: <c>GET api/offers?model=…</c>.</summary>
public static class OffersApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapOffersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(LedgerOffers.OffersPath, GetOffersAsync)
            .WithTags("Discovery")
            .RequireRateLimiting(LedgerRateLimits.Public)
            .WithName("GetOffers")
            .WithSummary("The registered nodes serving a model: advertised endpoint, current price and each node's track record in the ledger.");
        return app;
    }

    /// <summary><c>GET api/offers</c>: 400 without a well-formed model hash, 404 for a model the registry does not hold.</summary>
    public static async Task<Results<Ok<IReadOnlyList<ModelOffer>>, ProblemHttpResult>> GetOffersAsync(
        [FromQuery] string? model, [AsParameters] AuditServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Bytes32.TryParse(model, out var modelHash))
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Invalid query parameter 'model'",
                $"model must be a 0x-prefixed 32-byte hex hash; got '{model}'.");
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        return await OfferQuery.ForModelAsync(db, modelHash, cancellationToken) is { } offers
            ? TypedResults.Ok(offers)
            : LedgerProblems.Problem(RecordProblemTypes.UnknownModel, "Unknown model",
                $"The registry holds no model {modelHash} (or the ledger has not indexed it yet).", StatusCodes.Status404NotFound);
    }
}
