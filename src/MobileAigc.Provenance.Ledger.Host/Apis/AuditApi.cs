using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The auditors' read-only API: <c>api/audit</c> records, batches, proofs and the streamed export.
/// Everything here is public data of a public ledger, so it sits behind the public rate limit
/// rather than the admin key; the export too, since it costs one streaming read (flat memory)
/// however large, the same database work as paging through every record.
/// </summary>
public static class AuditApi
{
    /// <summary>Maps the group; returns <paramref name="app"/> so that other groups can be chained.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("api/audit").WithTags("Audit").RequireRateLimiting(LedgerRateLimits.Public);
        api.MapGet("records", GetRecordsAsync)
            .WithName("GetAuditRecords")
            .WithSummary("Records filtered by model, node, creator, timestamp range and state, in ingest order, with cursor pagination.");
        api.MapGet("records/{digest}/proof", GetRecordProofAsync)
            .WithName("GetRecordProof")
            .WithSummary("A record's Merkle inclusion proof, its batch's root and its ledger sequence.");
        api.MapGet("batches", GetBatchesAsync)
            .WithName("GetAuditBatches")
            .WithSummary("Anchor batches with root, first sequence, count, state and transaction, with cursor pagination.");
        api.MapGet("batches/{id}", GetBatchAsync)
            .WithName("GetAuditBatch")
            .WithSummary("One anchor batch by its ledger id.");
        api.MapGet("export", ExportRecords)
            .WithName("ExportAuditRecords")
            .WithSummary("Every matching record as one CSV (RFC 4180, header row) or JSON array, streamed as it is read.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv", additionalContentTypes: ["application/json"])
            .LimitConcurrency(HeavyWork.Audit);
        return app;
    }

    /// <summary><c>GET api/audit/records</c>.</summary>
    public static async Task<Results<Ok<AuditPage<AuditRecord>>, ProblemHttpResult>> GetRecordsAsync(
        [AsParameters] RecordFilterParameters filter, [AsParameters] AuditServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(services);
        RecordQuery query;
        try
        {
            query = filter.ToQuery();
        }
        catch (AuditQueryException e)
        {
            return InvalidQuery(e);
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await query.ReadPageAsync(db, cancellationToken));
    }

    /// <summary><c>GET api/audit/records/{digest}/proof</c>.</summary>
    public static async Task<Results<Ok<RecordProof>, ProblemHttpResult>> GetRecordProofAsync(
        string digest, [AsParameters] AuditServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!Bytes32.TryParse(digest, out var recordDigest))
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed record digest",
                $"The record digest must be 0x followed by 64 hex digits; got '{digest}'.");
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        var lookup = await RecordProofs.FindAsync(db, recordDigest, cancellationToken);
        return lookup.Status switch
        {
            RecordProofStatus.Found => TypedResults.Ok(lookup.Proof!),
            RecordProofStatus.NotBatched => LedgerProblems.Problem(LedgerProblemTypes.RecordNotBatched, "Record not batched yet",
                $"Record {recordDigest} is stored and waits for its anchor batch; its proof exists once it is batched.", StatusCodes.Status404NotFound),
            _ => LedgerProblems.Problem(LedgerProblemTypes.NotFound, "Unknown record",
                $"The ledger stores no record with digest {recordDigest}.", StatusCodes.Status404NotFound),
        };
    }

    /// <summary><c>GET api/audit/batches</c>.</summary>
    public static async Task<Results<Ok<AuditPage<LedgerBatch>>, ProblemHttpResult>> GetBatchesAsync(
        [FromQuery] string? state, [FromQuery] string? cursor, [FromQuery] string? limit,
        [AsParameters] AuditServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        BatchQuery query;
        try
        {
            query = BatchQuery.Parse(state, cursor, limit);
        }
        catch (AuditQueryException e)
        {
            return InvalidQuery(e);
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        return TypedResults.Ok(await query.ReadPageAsync(db, cancellationToken));
    }

    /// <summary><c>GET api/audit/batches/{id}</c>.</summary>
    public static async Task<Results<Ok<LedgerBatch>, ProblemHttpResult>> GetBatchAsync(
        string id, [AsParameters] AuditServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var batchId))
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Malformed batch id", $"A batch id is a positive integer; got '{id}'.");
        }

        await using var db = await services.Databases.CreateDbContextAsync(cancellationToken);
        return await BatchQuery.FindAsync(db, batchId, cancellationToken) is { } batch
            ? TypedResults.Ok(batch)
            : LedgerProblems.Problem(LedgerProblemTypes.NotFound, "Unknown batch", $"The ledger has no batch {batchId}.", StatusCodes.Status404NotFound);
    }

    /// <summary><c>GET api/audit/export?format=csv|json</c>, with the filters of <c>api/audit/records</c> (cursor too, to resume).</summary>
    public static Results<RecordExportResult, ProblemHttpResult> ExportRecords(
        [FromQuery] string? format, [AsParameters] RecordFilterParameters filter, [AsParameters] AuditServices services)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            // Everything is validated before the first byte: once streaming starts, the status is sent.
            return new RecordExportResult(filter.ToQuery(), RecordExport.ParseFormat(format), services.Databases);
        }
        catch (AuditQueryException e)
        {
            return InvalidQuery(e);
        }
    }

    internal static ProblemHttpResult InvalidQuery(AuditQueryException e) =>
        LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, $"Invalid query parameter '{e.Parameter}'", e.Message);
}

/// <summary>The filters of <c>api/audit/records</c> and <c>api/audit/export</c>, as sent (parsed by <see cref="RecordQuery.Parse"/>).</summary>
public sealed class RecordFilterParameters
{
    /// <summary>A model hash.</summary>
    [FromQuery] public string? Model { get; init; }

    /// <summary>A node address.</summary>
    [FromQuery] public string? Node { get; init; }

    /// <summary>A creator address.</summary>
    [FromQuery] public string? Creator { get; init; }

    /// <summary>The earliest signed timestamp: Unix seconds or ISO 8601 with offset.</summary>
    [FromQuery] public string? From { get; init; }

    /// <summary>The latest signed timestamp: Unix seconds or ISO 8601 with offset.</summary>
    [FromQuery] public string? To { get; init; }

    /// <summary><c>pending</c>, <c>anchoring</c>, <c>anchored</c> or <c>revoked</c>.</summary>
    [FromQuery] public string? State { get; init; }

    /// <summary>The <c>nextCursor</c> of the previous page.</summary>
    [FromQuery] public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 1,000 (default 100); ignored by the export.</summary>
    [FromQuery] public string? Limit { get; init; }

    internal RecordQuery ToQuery() => RecordQuery.Parse(Model, Node, Creator, From, To, State, Cursor, Limit);
}

/// <summary>What the audit handlers use.</summary>
public sealed class AuditServices
{
    /// <summary>The ledger's database.</summary>
    public required IDbContextFactory<LedgerDbContext> Databases { get; init; }
}

/// <summary>
/// Streams the export: rows go to the response as the database yields them, flushed every
/// <see cref="RecordExport.FlushEveryRows"/> rows. A failure after the first byte aborts the
/// connection, so a client never mistakes a cut-off export for a complete one.
/// </summary>
public sealed class RecordExportResult : IResult
{
    private readonly RecordQuery _query;
    private readonly RecordExportFormat _format;
    private readonly IDbContextFactory<LedgerDbContext> _databases;

    internal RecordExportResult(RecordQuery query, RecordExportFormat format, IDbContextFactory<LedgerDbContext> databases)
    {
        _query = query;
        _format = format;
        _databases = databases;
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = RecordExport.ContentType(_format);
        response.Headers.ContentDisposition = $"attachment; filename=\"records.{(_format == RecordExportFormat.Csv ? "csv" : "json")}\"";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await using var db = await _databases.CreateDbContextAsync(cancellationToken);
            // JSON carries each anchored record's evidence, so that the export alone and a chain RPC verify it.
            var records = _format == RecordExportFormat.Json
                ? _query.StreamWithEvidenceAsync(db, DeploymentsOf(httpContext.RequestServices), cancellationToken)
                : _query.StreamAsync(db, cancellationToken);
            await RecordExport.WriteAsync(_format, records, response.Body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing to tell it.
        }
        catch (Exception e) when (response.HasStarted && e is not OutOfMemoryException)
        {
            httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<RecordExportResult>()
                .LogError(e, "The record export failed after streaming started; the connection is aborted.");
            httpContext.Abort();
        }
    }

    // A batch names its contract; one planned before that column existed is on the current deployment.
    internal static Func<EvmAddress?, AnchoringDeployment?> DeploymentsOf(IServiceProvider services)
    {
        var chain = services.GetService<Ledger.Chain.LedgerChain>();
        return contract => chain is null ? null
            : contract is { } address ? chain.DeploymentAt(address)?.ToApi()
            : chain.Current.ToApi();
    }
}
