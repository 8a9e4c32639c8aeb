using System.Data.Common;
using System.Diagnostics;
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
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>Record ingest and lookup: <c>api/records</c>.</summary>
public static partial class RecordsApi
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
        IReadOnlyDictionary<int, RecordProblem> storesNotKept;
        var started = Stopwatch.GetTimestamp();
        try
        {
            outcomes = await services.Ingestor.IngestAsync(records, cancellationToken);
            services.Metrics.RecordIngest(outcomes, Stopwatch.GetElapsedTime(started));
            // Stores are checked and kept after their records, for the accepted ones only: a store never refuses its record.
            storesNotKept = await KeepManifestStoresAsync(records, outcomes, services, cancellationToken);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The records are stored in one transaction, the stores in another after it: resending the batch is
            // safe either way (the records are accepted again, their stores compared with what was kept).
            services.Metrics.RecordIngestFailed(Stopwatch.GetElapsedTime(started));
            services.Logger.LogWarning(e, "Ingest failed: the database did not answer.");
            return LedgerProblems.Problem(LedgerProblemTypes.StorageUnavailable, "Storage unavailable",
                "The ledger's database did not answer. Retry later: resending the same records is safe.", StatusCodes.Status503ServiceUnavailable);
        }

        if (outcomes.All(o => !o.Accepted))
        {
            return AllRefused(outcomes);
        }

        return TypedResults.Ok(new SubmitRecordsResponse(outcomes.Select((o, index) => new SubmittedRecord(
            o.Digest,
            o.Accepted,
            o.Refusal is { } refusal ? new RecordProblem(ProblemOf(refusal.Reason).Type, refusal.Detail) : null,
            NotKept(o.NotKept, storesNotKept.GetValueOrDefault(index)))).ToList()));
    }

    // What was sent with one accepted record and not kept: its delivered-file statement (ingest), its manifest store (after ingest).
    private static IReadOnlyList<RecordProblem>? NotKept(IReadOnlyList<RecordProblem>? deliveredFile, RecordProblem? store) =>
        (deliveredFile, store) switch
        {
            (null, null) => null,
            (null, { } s) => [s],
            ({ } d, null) => d,
            ({ } d, { } s) => [.. d, s],
        };

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

    // Checks and keeps the stores sent with the accepted records; the ones not kept, by request index, for SubmittedRecord.NotKept.
    private static async Task<IReadOnlyDictionary<int, RecordProblem>> KeepManifestStoresAsync(
        IReadOnlyList<SignedProvenanceRecord> records, IReadOnlyList<RecordIngestOutcome> outcomes, RecordServices services, CancellationToken cancellationToken)
    {
        if (!records.Any(r => r.ManifestStore is not null))
        {
            return new Dictionary<int, RecordProblem>();
        }

        var notKept = await services.ManifestStores.KeepForAcceptedAsync(records, outcomes, cancellationToken);
        foreach (var refusal in notKept)
        {
            LogStoreNotKept(services.Logger, refusal.Index, refusal.RecordDigest.ToString(), refusal.Type, refusal.Detail);
        }

        return notKept.ToDictionary(r => r.Index, r => new RecordProblem(r.Type, r.Detail));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "The manifest store sent with records[{Index}] ({Digest}) is not kept ({Type}): {Detail}")]
    private static partial void LogStoreNotKept(ILogger logger, int index, string digest, string type, string detail);

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
/// <param name="Logger">Where storage failures and stores not kept are logged.</param>
/// <param name="ManifestStores">Keeps the C2PA manifest stores sent with records.</param>
/// <param name="Metrics">Counts accepted and refused records.</param>
public sealed record RecordServices(
    RecordIngestor Ingestor, IDbContextFactory<LedgerDbContext> Databases, ILogger<RecordIngestor> Logger,
    ManifestStoreKeeper ManifestStores, LedgerMetrics Metrics);

/// <summary>One refused record in the <c>errors</c> extension of a refusal ProblemDetails.</summary>
/// <param name="Index">Its position in the request.</param>
/// <param name="Digest">Its EIP-712 digest.</param>
/// <param name="Type">The stable problem type of its refusal.</param>
/// <param name="Detail">Why.</param>
public sealed record RefusedRecordError(int Index, Bytes32 Digest, string Type, string Detail);
