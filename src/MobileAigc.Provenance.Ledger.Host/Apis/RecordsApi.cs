using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>Record ingest and lookup: <c>api/records</c>.</summary>
public static class RecordsApi
{
    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/records").WithTags("Records");
        api.MapPost("/", SubmitRecordsAsync)
            .WithName("SubmitRecords")
            .WithSummary("Submits 1 to 1,000 signed provenance records, each with the C2PA manifest store embedded in its file when there is one; idempotent per record.")
            // "*/*" too: otherwise routing answers another media type with a bare 415 before the handler can explain it.
            .Accepts<SubmitRecordsRequest>("application/json", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .LimitConcurrency(HeavyWork.Ingest);
        api.MapGet("/{digest}", GetRecordAsync)
            .WithName("GetRecord")
            .WithSummary("A stored record by its EIP-712 digest, with its Merkle batch, proof and anchoring transaction.")
            .RequireRateLimiting(LedgerRateLimits.Public);
        return api;
    }

    /// <summary>
    /// <c>POST api/records</c>. The body is read here rather than bound, so that every malformed
    /// body (bad JSON, wrong types, a malformed or malleable signature) is answered with a
    /// ProblemDetails of type <see cref="LedgerProblemTypes.InvalidRequest"/> and the reader's reason.
    /// </summary>
    public static async Task<Results<Ok<SubmitRecordsResponse>, ProblemHttpResult>> SubmitRecordsAsync(
        HttpRequest request, [AsParameters] RecordServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (!request.HasJsonContentType())
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Unsupported media type",
                "The body must be JSON (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        SubmitRecordsRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<SubmitRecordsRequest>(cancellationToken);
        }
        catch (JsonException e) when (e.InnerException is InvalidSignatureException)
        {
            // A malformed or malleable signature is refused by the reader, before any recovery.
            return LedgerProblems.Problem(RecordProblemTypes.InvalidSignature, "Invalid signature", WithPath(e), StatusCodes.Status400BadRequest);
        }
        catch (JsonException e)
        {
            return InvalidRequest(WithPath(e));
        }
        catch (InvalidOperationException) when (!cancellationToken.IsCancellationRequested)
        {
            // A charset System.Text.Json cannot read (application/json; charset=...).
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Unsupported media type",
                "The body must be JSON in UTF-8 (or a charset .NET knows).", StatusCodes.Status415UnsupportedMediaType);
        }
        catch (BadHttpRequestException e)
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Request too large", "The body is over the ledger's request size limit.", e.StatusCode)
                : LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Unreadable request", "The body ended early or could not be read.", e.StatusCode);
        }

        if (Validate(body) is { } problem)
        {
            return InvalidRequest(problem);
        }

        var records = body!.Records;
        IReadOnlyList<RecordIngestOutcome> outcomes;
        IReadOnlyList<ManifestStoreSubmission> stores;
        try
        {
            // Stores are checked before any record is stored: a refused store refuses the whole request.
            (stores, var refusal) = await CheckManifestStoresAsync(records, services, cancellationToken);
            if (refusal is not null)
            {
                return refusal;
            }

            outcomes = await services.Ingestor.IngestAsync(records, cancellationToken);
            var lost = await services.ManifestStores.KeepAsync([.. stores.Where(s => outcomes[s.Index].Accepted)], cancellationToken);
            if (lost.Count > 0)
            {
                // Another request kept a different store in between; the records are stored, and sending them again says so.
                return ManifestStoresRefused(lost, StatusCodes.Status409Conflict);
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // Nothing was committed (one transaction per request), so the node can resend the same batch.
            services.Logger.LogWarning(e, "Ingest failed: the database did not answer.");
            return LedgerProblems.Problem(LedgerProblemTypes.StorageUnavailable, "Storage unavailable",
                "The ledger's database did not answer; nothing was stored. Retry later.", StatusCodes.Status503ServiceUnavailable);
        }

        if (outcomes.All(o => !o.Accepted))
        {
            return AllRefused(outcomes);
        }

        return TypedResults.Ok(new SubmitRecordsResponse(outcomes.Select(o => new SubmittedRecord(
            o.Digest, o.Accepted, o.Refusal is { } refusal ? new RecordProblem(ProblemOf(refusal.Reason).Type, refusal.Detail) : null, o.NotKept)).ToList()));
    }

    /// <summary><c>GET api/records/{digest}</c>.</summary>
    public static async Task<Results<Ok<LedgerRecord>, ProblemHttpResult>> GetRecordAsync(
        string digest, [AsParameters] RecordServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Bytes32.TryParse(digest, out var id))
        {
            return InvalidRequest($"'{digest}' is not a record digest (64 hex digits, optional 0x prefix).");
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        var stored = await db.Records.AsNoTracking().Include(r => r.Batch).SingleOrDefaultAsync(r => r.Digest == id, cancellationToken);
        if (stored is null)
        {
            return LedgerProblems.Problem(LedgerProblemTypes.NotFound, "Record not found",
                $"The ledger holds no record with digest {id}.", StatusCodes.Status404NotFound);
        }

        var revocation = stored.RevokedAt is { } revokedAt ? new RecordRevocation(revokedAt, stored.RevocationReason) : null;
        var lineage = await RecordLineageWalk.TraceAsync(db, stored, cancellationToken);
        return TypedResults.Ok(new LedgerRecord(stored.Digest, stored.ToSignedRecord(), stored.ReceivedAt, RecordProofs.Of(stored, stored.Batch), revocation, lineage));
    }

    // The stores sent with the records, each checked for its record (content, then the ones already kept).
    private static async Task<(IReadOnlyList<ManifestStoreSubmission> Stores, ProblemHttpResult? Refusal)> CheckManifestStoresAsync(
        IReadOnlyList<SignedProvenanceRecord> records, RecordServices services, CancellationToken cancellationToken)
    {
        if (!records.Any(r => r.ManifestStore is not null))
        {
            return ([], null);
        }

        var digests = records.Select(r => services.Digests.Digest(r.Record)).ToList();
        var invalid = services.ManifestStores.CheckContent(records, digests);
        if (invalid.Count > 0)
        {
            return ([], ManifestStoresRefused(invalid, StatusCodes.Status422UnprocessableEntity));
        }

        var stores = Enumerable.Range(0, records.Count).Where(i => records[i].ManifestStore is not null)
            .Select(i => new ManifestStoreSubmission(i, digests[i], records[i].ManifestStore!)).ToList();
        var conflicts = await services.ManifestStores.FindConflictsAsync(stores, cancellationToken);
        return conflicts.Count > 0 ? ([], ManifestStoresRefused(conflicts, StatusCodes.Status409Conflict)) : (stores, null);
    }

    private static ProblemHttpResult ManifestStoresRefused(IReadOnlyList<ManifestStoreRefusal> refusals, int status)
    {
        var first = refusals[0];
        var errors = refusals.Select(r => new RefusedRecordError(r.Index, r.RecordDigest, r.Type, r.Detail)).ToList();
        var title = first.Type == RecordProblemTypes.ManifestStoreConflict ? "Manifest store conflict" : "Invalid manifest store";
        var detail = refusals.Count == 1 ? first.Detail : $"{refusals.Count} manifest stores were refused; see 'errors'. First: {first.Detail}";
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: first.Type,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    private static string? Validate(SubmitRecordsRequest? body)
    {
        if (body?.Records is not { } records)
        {
            return "The body must be an object with a 'records' array.";
        }

        if (records.Count is 0 or > LedgerIngest.MaxRecordsPerRequest)
        {
            return $"A request carries 1 to {LedgerIngest.MaxRecordsPerRequest:N0} records; this one has {records.Count:N0}.";
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is not { Record: not null, Signature: not null })
            {
                return $"records[{i}] must be an object with a 'record' and a 'signature'.";
            }
        }

        return null;
    }

    private static ProblemHttpResult AllRefused(IReadOnlyList<RecordIngestOutcome> outcomes)
    {
        var first = ProblemOf(outcomes[0].Refusal!.Reason);
        var errors = outcomes.Select((o, index) => new RefusedRecordError(
            index, o.Digest, ProblemOf(o.Refusal!.Reason).Type, o.Refusal.Detail)).ToList();
        var detail = outcomes.Count == 1
            ? outcomes[0].Refusal!.Detail
            : $"All {outcomes.Count} records were refused; see 'errors'. First: {outcomes[0].Refusal!.Detail}";
        return TypedResults.Problem(detail: detail, statusCode: first.Status, title: first.Title, type: first.Type,
            extensions: new Dictionary<string, object?> { ["errors"] = errors });
    }

    private static string WithPath(JsonException e) =>
        e.Path is { } path && !e.Message.Contains(path, StringComparison.Ordinal) ? $"{e.Message} (at {path})" : e.Message;

    private static ProblemHttpResult InvalidRequest(string detail) =>
        LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Invalid request", detail);

    private static (string Type, string Title, int Status) ProblemOf(RecordRefusalReason reason) => reason switch
    {
        RecordRefusalReason.InvalidSignature => (RecordProblemTypes.InvalidSignature, "Invalid signature", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.UnknownModel => (RecordProblemTypes.UnknownModel, "Unknown model", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.NodeNotAuthorized => (RecordProblemTypes.NodeNotAuthorized, "Node not authorized", StatusCodes.Status403Forbidden),
        RecordRefusalReason.SequenceConflict => (RecordProblemTypes.SequenceConflict, "Sequence conflict", StatusCodes.Status409Conflict),
        RecordRefusalReason.InvalidTimestamp => (RecordProblemTypes.InvalidTimestamp, "Invalid timestamp", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.TimestampTooOld => (RecordProblemTypes.TimestampTooOld, "Timestamp too old", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.UnsupportedVersion => (RecordProblemTypes.UnsupportedRecordVersion, "Unsupported record version", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.CreatorNotAuthenticated => (RecordProblemTypes.CreatorNotAuthenticated, "Creator not authenticated", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.InvalidCreatorProof => (RecordProblemTypes.InvalidCreatorProof, "Invalid creator proof", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.CreatorProofReplayed => (RecordProblemTypes.CreatorProofReplayed, "Creator proof replayed", StatusCodes.Status409Conflict),
        RecordRefusalReason.UnknownChannel => (RecordProblemTypes.UnknownChannel, "Unknown channel", StatusCodes.Status422UnprocessableEntity),
        RecordRefusalReason.QuotaExceeded => (RecordProblemTypes.IngestQuotaExceeded, "Ingest quota exceeded", StatusCodes.Status429TooManyRequests),
        _ => (RecordProblemTypes.InvalidRequest, "Invalid record", StatusCodes.Status400BadRequest),
    };
}

/// <summary>The services of the records endpoints.</summary>
/// <param name="Ingestor">Checks and stores records.</param>
/// <param name="Databases">The ledger database.</param>
/// <param name="Logger">Where storage failures are logged.</param>
/// <param name="ManifestStores">Keeps the C2PA manifest stores sent with records.</param>
/// <param name="Digests">The record digests of the ledger's EIP-712 domain (the stores' labels derive from them).</param>
public sealed record RecordServices(
    RecordIngestor Ingestor, IDbContextFactory<LedgerDbContext> Databases, ILogger<RecordIngestor> Logger,
    ManifestStoreKeeper ManifestStores, RecordSignatureVerifier Digests);

/// <summary>One refused record in the <c>errors</c> extension of a refusal ProblemDetails.</summary>
/// <param name="Index">Its position in the request.</param>
/// <param name="Digest">Its EIP-712 digest.</param>
/// <param name="Type">The stable problem type of its refusal.</param>
/// <param name="Detail">Why.</param>
public sealed record RefusedRecordError(int Index, Bytes32 Digest, string Type, string Detail);
