using System.Globalization;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.FineTuning;
using MobileAigc.Provenance.EdgeNode.Host.Limits;
using MobileAigc.Provenance.EdgeNode.Payments;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MobileAigc.Provenance.EdgeNode.Host.Apis;

/// <summary>The fine-tune endpoints: <c>v1/models/{id}/fine-tune</c>, <c>v1/fine-tunes/{jobId}</c> and its cancel.</summary>
public static class FineTuningApi
{
    // A running job is asked to stop between two training steps; the cancel's answer waits that long for it at most.
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(30);

    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapFineTuningApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("v1").WithTags("Fine-tuning");
        var options = app.ServiceProvider.GetRequiredService<IOptions<FineTuningOptions>>().Value;
        api.MapPost("models/{model}/fine-tune", StartFineTune)
            // JSON may escape a character in six bytes, and base64 makes 4 bytes of 3 (plus quotes and commas): room for either
            // kind of examples; their decoded size is checked after binding.
            .WithMetadata(new RequestBodyLimit(Math.Max(6L * options.MaxExampleBytes, (4L * options.MaxPictureBytes / 3) + (8L * options.MaxPictures)) + (64 * 1024)))
            .WithName(nameof(StartFineTune))
            .WithSummary("Fine-tune a served model on the creator's examples (texts for a text model, pictures for an image model), paid through the creator's channel for the base model; answers 202 with the job");
        api.MapGet("fine-tunes/{jobId}", GetFineTune)
            .WithName(nameof(GetFineTune))
            .WithSummary("Where a fine-tune job stands: state, steps, held-out losses, the derivative and the training data's commitment and salt");
        api.MapPost("fine-tunes/{jobId}/cancel", CancelFineTune)
            .WithName(nameof(CancelFineTune))
            .WithSummary("Cancel a queued or running fine-tune job; its fee is given back");
        return api;
    }

    /// <summary>Checks the request, the creator and the room in the queue, takes the fee, then queues the job.</summary>
    public static async Task<Results<Accepted<FineTuneAccepted>, ProblemHttpResult>> StartFineTune(
        string model, FineTuneRequest request, [AsParameters] FineTuneServices services)
    {
        FineTuneOrder order;
        CreatorClaim? creator;
        try
        {
            order = FineTuneOrder.Check(model, request, services.Jobs.Catalog, services.Jobs.Options);
            services.Jobs.CheckRoom(order);
            creator = services.Runtime.Creators.Check(request.Creator, order.Base.ModelHash, order.Name, request.Payment is not null);
        }
        catch (FineTuneRefusedException e)
        {
            return Refused(e, services);
        }
        catch (CreatorRefusedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.Status, title: "Creator not proven", type: e.ProblemType);
        }

        var gate = services.Payments.Gate;
        // A private derivative is fine-tuned further by its owner only, as it is served.
        var decision = await services.Access.RefusalAsync(order.Base, request.Payment, creator) is { } denied
            ? new PaymentDecision(null, denied)
            : await gate.DecideAsync(order.Base.ModelHash, request.Payment, services.Jobs.Options.PriceInGenerations);
        if (decision.Refusal is { } refusal)
        {
            if (refusal.Cause is { } cause)
            {
                services.Log.LogWarning(cause.InnerException ?? cause, "A fine-tune request was refused: {Type}", refusal.Type);
            }

            return TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: refusal.Title, type: refusal.Type,
                extensions: refusal.RequiredAmount is { } required ? new Dictionary<string, object?> { ["requiredAmount"] = required.ToString(CultureInfo.InvariantCulture) } : null);
        }

        var owner = order.Owner == DerivativeOwners.Provider
            ? services.Payments.Provider
            : decision.Payer ?? (creator is { Private: false, Proof.Request: not null } ? creator.Creator : null);
        try
        {
            if (owner is null && order.Visibility == ModelVisibilities.Private)
            {
                throw new FineTuneRefusedException(FineTuneProblemTypes.InvalidParameter, 400,
                    "A private derivative needs an owner: pay with your channel, sign the request (creator.signature) or ask for owner 'provider'.");
            }

            var job = await services.Jobs.EnqueueAsync(order, owner, decision.Payment, services.Http.RequestAborted);
            return TypedResults.Accepted(EdgeRoutes.FineTuneJob(job.Id), new FineTuneAccepted(job.Id, job.ToApi()));
        }
        catch (FineTuneRefusedException e)
        {
            ReleaseFee(decision.Payment, gate);
            return Refused(e, services);
        }
        catch
        {
            // The creator is not charged for a job that was never queued.
            ReleaseFee(decision.Payment, gate);
            throw;
        }
    }

    /// <summary>The job with <paramref name="jobId"/>.</summary>
    public static Results<Ok<FineTuneJob>, ProblemHttpResult> GetFineTune(string jobId, FineTuneJobs jobs) =>
        jobs.Find(jobId) is { } job ? TypedResults.Ok(job) : UnknownJob(jobId);

    /// <summary>Cancels the job with <paramref name="jobId"/> and gives its fee back.</summary>
    public static async Task<Results<Ok<FineTuneJob>, ProblemHttpResult>> CancelFineTune(string jobId, FineTuneJobs jobs, HttpContext http)
    {
        try
        {
            return TypedResults.Ok(await jobs.CancelAsync(jobId, CancelWait, http.RequestAborted));
        }
        catch (FineTuneRefusedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.Status, title: e.Status == 404 ? "Unknown fine-tune job" : "Fine-tune job finished", type: e.ProblemType);
        }
    }

    private static void ReleaseFee(AcceptedPayment? fee, PaymentGate gate)
    {
        if (fee is not null)
        {
            gate.Release(fee);
        }
    }

    private static ProblemHttpResult UnknownJob(string jobId) =>
        TypedResults.Problem($"No fine-tune job '{(jobId.Length > 40 ? jobId[..40] + "…" : jobId)}' at this node.",
            statusCode: StatusCodes.Status404NotFound, title: "Unknown fine-tune job", type: FineTuneProblemTypes.UnknownJob);

    private static ProblemHttpResult Refused(FineTuneRefusedException e, FineTuneServices services)
    {
        if (e.ProblemType == FineTuneProblemTypes.QueueFull)
        {
            services.Http.Response.Headers[HeaderNames.RetryAfter] =
                ((int)services.Jobs.Options.QueueFullRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(e.Message, statusCode: e.Status, title: Title(e.ProblemType), type: e.ProblemType,
            extensions: e.PictureIndex is { } index ? new Dictionary<string, object?> { ["pictureIndex"] = index } : null);
    }

    private static string Title(string type) => type switch
    {
        GenerationProblemTypes.UnknownModel => "Unknown model",
        FineTuneProblemTypes.ExamplesEmpty => "No examples",
        FineTuneProblemTypes.ExamplesTooLarge => "Examples too large",
        FineTuneProblemTypes.UnsupportedData => "Model cannot learn from this data",
        FineTuneProblemTypes.MixedExamples => "Both texts and pictures",
        FineTuneProblemTypes.BadPicture => "Unusable picture",
        FineTuneProblemTypes.NameTaken => "Name taken",
        FineTuneProblemTypes.QueueFull => "Fine-tune queue full",
        _ => "Invalid parameter",
    };
}

/// <summary>What the fine-tune start handler needs.</summary>
/// <param name="Jobs">The node's fine-tune jobs.</param>
/// <param name="Runtime">The node (its creator authenticator).</param>
/// <param name="Payments">The node's payments (gate and provider).</param>
/// <param name="Access">Who may use a private derivative as the base.</param>
/// <param name="Http">The request.</param>
/// <param name="Log">Where refusals caused by failures go.</param>
public sealed record FineTuneServices(
    FineTuneJobs Jobs, EdgeNodeRuntime Runtime, NodePayments Payments, DerivativeAccessGuard Access, HttpContext Http, ILogger<FineTuneJobs> Log);
