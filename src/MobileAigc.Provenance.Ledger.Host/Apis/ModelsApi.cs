using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Lineage;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>Models as the registry mirror holds them: <c>GET api/models/{hash}/lineage</c>.</summary>
public static class ModelsApi
{
    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(LedgerModels.ModelsPath).WithTags("Models").RequireRateLimiting(LedgerRateLimits.Public);
        api.MapGet("{hash}/lineage", GetLineageAsync)
            .WithName("GetModelLineage")
            .WithSummary("The model's lineage, the model first and its root last: each model's name, owner, price, royalty rate, "
                + "active flag and royalties received per token, with the blocks the registry and the settlements are indexed through.");
        return api;
    }

    /// <summary><c>GET api/models/{hash}/lineage</c>: 400 for a malformed hash, 404 for a model the mirror does not hold.</summary>
    public static async Task<Results<Ok<ModelLineage>, ProblemHttpResult>> GetLineageAsync(
        string hash, ModelLineageReader lineages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lineages);
        if (!Bytes32.TryParse(hash, out var modelHash))
        {
            return LedgerProblems.Problem(
                LedgerProblemTypes.InvalidRequest, "Malformed model hash", "The model hash must be 64 hex digits, with or without a 0x prefix.");
        }

        return await lineages.ReadAsync(modelHash, cancellationToken) is { } lineage
            ? TypedResults.Ok(lineage)
            : LedgerProblems.Problem(RecordProblemTypes.UnknownModel, "Unknown model",
                $"The registry holds no model {modelHash} (or the ledger has not indexed it yet).", StatusCodes.Status404NotFound);
    }
}
