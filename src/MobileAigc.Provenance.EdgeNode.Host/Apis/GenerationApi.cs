using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MobileAigc.Provenance.EdgeNode.Host.Apis;

/// <summary>The generation endpoints: <c>v1/generate/image</c>, <c>v1/generate/text</c>, <c>v1/models</c>.</summary>
public static class GenerationApi
{
    /// <summary>The stable <c>type</c> of a refused parameter.</summary>
    public const string InvalidParameterProblem = "urn:mobileaigc:problem:invalid-parameter";

    /// <summary>The stable <c>type</c> of a model the node does not serve.</summary>
    public const string UnknownModelProblem = "urn:mobileaigc:problem:unknown-model";

    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapGenerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("v1").WithTags("Generation");
        api.MapPost("generate/image", GenerateImage)
            .WithName(nameof(GenerateImage))
            .WithSummary("Generate a watermarked image with its signed provenance record");
        api.MapPost("generate/text", GenerateText)
            .WithName(nameof(GenerateText))
            .WithSummary("Generate a watermarked text with its signed provenance record");
        api.MapGet("models", ListModels)
            .WithName(nameof(ListModels))
            .WithSummary("The models this node serves, with their on-chain ids");
        api.MapGet("node", GetNodeStatus)
            .WithName(nameof(GetNodeStatus))
            .WithSummary("The node's address and how many records wait for the ledger");
        api.MapGet("node/held", ListHeldRecords)
            .WithName(nameof(ListHeldRecords))
            .WithSummary("The records the ledger refused for good (held in the outbox, never sent again), with the ledger's reason");
        return api;
    }

    /// <summary>Runs the image pipeline.</summary>
    public static Results<Ok<GenerateImageResponse>, ProblemHttpResult> GenerateImage(GenerateImageRequest request, ContentGenerator generator) =>
        Run(() => generator.GenerateImage(request));

    /// <summary>Runs the text pipeline.</summary>
    public static Results<Ok<GenerateTextResponse>, ProblemHttpResult> GenerateText(GenerateTextRequest request, ContentGenerator generator) =>
        Run(() => generator.GenerateText(request));

    /// <summary>Lists the served models.</summary>
    public static Ok<IReadOnlyList<ServedModelInfo>> ListModels(ModelCatalog catalog) =>
        TypedResults.Ok<IReadOnlyList<ServedModelInfo>>(catalog.Models.Select(m => m.Info).ToList());

    /// <summary>The node's address and outbox counts.</summary>
    public static Ok<NodeStatus> GetNodeStatus(EdgeNodeRuntime node)
    {
        var counts = node.Outbox.Count();
        return TypedResults.Ok(new NodeStatus(node.Node, counts.Pending, counts.Delivered, counts.Held));
    }

    /// <summary>The records held in the outbox after a permanent refusal, oldest first.</summary>
    public static Ok<IReadOnlyList<HeldRecord>> ListHeldRecords(EdgeNodeRuntime node) => TypedResults.Ok(node.Outbox.Held());

    private static Results<Ok<T>, ProblemHttpResult> Run<T>(Func<T> generate)
    {
        try
        {
            return TypedResults.Ok(generate());
        }
        catch (UnknownModelException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Unknown model", type: UnknownModelProblem);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid parameter", type: InvalidParameterProblem);
        }
    }
}
