using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// <c>POST api/records/evidence</c>: the evidence of up to <see cref="LedgerEvidence.MaxDigestsPerRequest"/> named
/// records in one request, the bulk way for a node to keep its own records' proofs. Public, like
/// <c>GET api/records/{digest}</c>, and answering nothing that route does not answer of each record (the signed record,
/// its proof and batch; the deployment is public configuration). Its cost is bounded: one indexed query over at most
/// 1,000 digests, the per-address window of public routes, the audit pool of heavy work and the body limit.
/// </summary>
public static class RecordEvidenceApi
{
    /// <summary>Maps the route.</summary>
    public static RouteHandlerBuilder MapRecordEvidenceApi(this IEndpointRouteBuilder app) =>
        app.MapPost(LedgerEvidence.EvidencePath, FindEvidenceAsync)
            .WithTags("Records")
            .WithName("FindRecordEvidence")
            .WithSummary("The evidence (signed record, Merkle proof, batch, deployment) of each of up to 1,000 named records whose batch is anchored.")
            .Accepts<RecordEvidenceRequest>("application/json", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(LedgerRateLimits.Public)
            .LimitConcurrency(HeavyWork.Audit);

    /// <summary><c>POST api/records/evidence</c>; every malformed body is a 4xx problem of type <see cref="LedgerProblemTypes.InvalidRequest"/>.</summary>
    public static async Task<Results<Ok<RecordEvidenceResponse>, ProblemHttpResult>> FindEvidenceAsync(
        HttpRequest request, IDbContextFactory<LedgerDbContext> databases, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!request.HasJsonContentType())
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Unsupported media type",
                "The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        RecordEvidenceRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<RecordEvidenceRequest>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return Invalid($"The body is not a JSON object with a 'digests' array of record digests: {e.Message}");
        }
        catch (InvalidOperationException) when (!cancellationToken.IsCancellationRequested)
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Unsupported media type",
                "The body must be JSON in UTF-8 (or a charset .NET knows).", StatusCodes.Status415UnsupportedMediaType);
        }
        catch (BadHttpRequestException e)
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest,
                e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request too large" : "Unreadable request",
                e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is over the ledger's request size limit." : "The body ended early or could not be read.",
                e.StatusCode);
        }

        if (body?.Digests is not { } digests)
        {
            return Invalid("The body must be an object with a 'digests' array.");
        }

        if (digests.Count is 0 or > LedgerEvidence.MaxDigestsPerRequest)
        {
            return Invalid($"A request names 1 to {LedgerEvidence.MaxDigestsPerRequest:N0} digests; this one names {digests.Count:N0}.");
        }

        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            return TypedResults.Ok(await RecordEvidenceLookup.FindAsync(
                db, digests, RecordExportResult.DeploymentsOf(request.HttpContext.RequestServices), cancellationToken));
        }
        catch (Exception e) when (e is DbException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger(typeof(RecordEvidenceApi)).LogWarning(e, "The evidence lookup failed: the database did not answer.");
            return LedgerProblems.Problem(LedgerProblemTypes.StorageUnavailable, "Storage unavailable",
                "The ledger's database did not answer. Retry later.", StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static ProblemHttpResult Invalid(string detail) => LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Invalid request", detail);
}
