using System.Globalization;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MobileAigc.Provenance.EdgeNode.Host.Apis;

/// <summary>The generation endpoints: <c>v1/generate/image</c>, <c>v1/generate/text</c>, <c>v1/models</c>.</summary>
public static class GenerationApi
{
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
            .WithSummary("The models this node serves, with their on-chain ids and current prices");
        api.MapGet("node", GetNodeStatus)
            .WithName(nameof(GetNodeStatus))
            .WithSummary("The node's address and how many records wait for the ledger");
        api.MapGet("node/held", ListHeldRecords)
            .WithName(nameof(ListHeldRecords))
            .WithSummary("The records the ledger refused for good (held in the outbox, never sent again), with the ledger's reason");
        return api;
    }

    /// <summary>Validates the request, accepts its payment, then runs the image pipeline.</summary>
    public static Task<Results<Ok<GenerateImageResponse>, ProblemHttpResult>> GenerateImage(
        GenerateImageRequest request, ContentGenerator generator, PaymentGate payments) =>
        RunAsync(() => generator.ValidateImageRequest(request), request.Payment, payments,
            payment => generator.GenerateImage(request) with { Payment = payment });

    /// <summary>Validates the request, accepts its payment, then runs the text pipeline.</summary>
    public static Task<Results<Ok<GenerateTextResponse>, ProblemHttpResult>> GenerateText(
        GenerateTextRequest request, ContentGenerator generator, PaymentGate payments) =>
        RunAsync(() => generator.ValidateTextRequest(request), request.Payment, payments,
            payment => generator.GenerateText(request) with { Payment = payment });

    /// <summary>Lists the served models with their current on-chain price (null when payments are off or the model is unregistered).</summary>
    public static async Task<Results<Ok<IReadOnlyList<ServedModelInfo>>, ProblemHttpResult>> ListModels(ModelCatalog catalog, PaymentGate payments)
    {
        try
        {
            var models = new List<ServedModelInfo>();
            foreach (var model in catalog.Models)
            {
                models.Add(model.Info with { PricePerGeneration = await payments.PriceAsync(model.ModelHash) });
            }

            return TypedResults.Ok<IReadOnlyList<ServedModelInfo>>(models);
        }
        catch (ChainUnavailableException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Chain unavailable",
                type: PaymentProblemTypes.ChainUnavailable);
        }
    }

    /// <summary>The node's address and outbox counts.</summary>
    public static Ok<NodeStatus> GetNodeStatus(EdgeNodeRuntime node)
    {
        var counts = node.Outbox.Count();
        return TypedResults.Ok(new NodeStatus(node.Node, counts.Pending, counts.Delivered, counts.Held));
    }

    /// <summary>The records held in the outbox after a permanent refusal, oldest first.</summary>
    public static Ok<IReadOnlyList<HeldRecord>> ListHeldRecords(EdgeNodeRuntime node) => TypedResults.Ok(node.Outbox.Held());

    // Parameters first, then the voucher, then the content: a bad parameter never costs the creator,
    // and a refused voucher never produces content or a record.
    private static async Task<Results<Ok<T>, ProblemHttpResult>> RunAsync<T>(
        Func<ServedModel> validate, VoucherPayment? voucher, PaymentGate payments, Func<AcceptedPayment?, T> generate)
    {
        ServedModel model;
        try
        {
            model = validate();
        }
        catch (UnknownModelException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Unknown model", type: GenerationProblemTypes.UnknownModel);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid parameter", type: GenerationProblemTypes.InvalidParameter);
        }

        var decision = await payments.DecideAsync(model.ModelHash, voucher);
        if (decision.Refusal is { } refusal)
        {
            var extensions = refusal.RequiredAmount is { } required
                ? new Dictionary<string, object?> { ["requiredAmount"] = required.ToString(CultureInfo.InvariantCulture) }
                : null;
            return TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: refusal.Title, type: refusal.Type, extensions: extensions);
        }

        try
        {
            return TypedResults.Ok(generate(decision.Payment));
        }
        catch when (decision.Payment is { } accepted)
        {
            // The creator is not charged for content that was never delivered.
            payments.Release(accepted);
            throw;
        }
    }
}
