using System.Globalization;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Host.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MobileAigc.Provenance.EdgeNode.Host.Apis;

/// <summary>
/// The evidence the node keeps of its anchored records (<see cref="Evidence.EvidenceKeeper"/>):
/// <c>GET v1/records/{digest}/proof</c> (one record's, public like the ledger's verify-by-hash) and
/// <c>GET v1/node/evidence</c> (all of it, streamed as the file <c>provenance verify --export</c> and
/// <c>provenance ledger rebuild --from</c> read; provider key).
/// </summary>
public static class EvidenceApi
{
    private const int PageSize = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("v1").WithTags("Evidence");
        api.MapGet("records/{digest}/proof", GetRecordProof)
            .WithName(nameof(GetRecordProof))
            .WithSummary("The evidence this node keeps of one of its anchored records: signed record, Merkle proof, batch, deployment");
        api.MapGet("node/evidence", ExportEvidence)
            .RequireProviderKey()
            .WithName(nameof(ExportEvidence))
            .WithSummary("Every piece of evidence the node keeps, as one streamed JSON array in record sequence order (after=SEQUENCE resumes); provider key required");
        return api;
    }

    /// <summary>The kept evidence of the record with <paramref name="digest"/>.</summary>
    public static Results<Ok<RecordEvidence>, ProblemHttpResult> GetRecordProof(string digest, EdgeNodeRuntime node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!Bytes32.TryParse(digest, out var id))
        {
            return InvalidParameter($"'{digest}' is not a record digest (0x and 64 hex digits).");
        }

        return node.Evidence.Find(id) is { } evidence
            ? TypedResults.Ok(evidence)
            : TypedResults.Problem(
                $"This node keeps no evidence of record {id}: it is not this node's, not anchored yet, or its proof is not checked yet.",
                statusCode: StatusCodes.Status404NotFound, title: "No kept evidence", type: EdgeNodeProblemTypes.EvidenceNotKept);
    }

    /// <summary>The kept evidence after record sequence <paramref name="after"/> (default: from the first), streamed.</summary>
    public static IResult ExportEvidence(string? after, EdgeNodeRuntime node)
    {
        ArgumentNullException.ThrowIfNull(node);
        ulong from = 0;
        if (after is not null && !ulong.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            return InvalidParameter($"after='{after}' is not a record sequence (a whole number).");
        }

        return new EvidenceFileResult(node, from);
    }

    private static ProblemHttpResult InvalidParameter(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid parameter", type: GenerationProblemTypes.InvalidParameter);

    // Page by page from the store, so memory stays flat however many records the node keeps.
    private sealed class EvidenceFileResult(EdgeNodeRuntime node, ulong after) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            var cancellationToken = httpContext.RequestAborted;
            response.ContentType = "application/json";
            response.Headers.ContentDisposition = "attachment; filename=\"evidence.json\"";
            // On the body's PipeWriter: the serializer's flushes only move bytes into the pipe; the awaited flushes send them.
            await using var writer = new Utf8JsonWriter(response.BodyWriter);
            writer.WriteStartArray();
            var cursor = after;
            while (node.Evidence.Page(cursor, PageSize) is { Count: > 0 } page)
            {
                foreach (var (sequence, evidence) in page)
                {
                    JsonSerializer.Serialize(writer, evidence, Json);
                    cursor = sequence;
                }

                await response.BodyWriter.FlushAsync(cancellationToken);
            }

            writer.WriteEndArray();
            await writer.FlushAsync(cancellationToken);
            await response.BodyWriter.FlushAsync(cancellationToken);
        }
    }
}
