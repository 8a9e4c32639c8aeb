using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.FineTuning;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Host.Access;
using MobileAigc.Provenance.EdgeNode.Host.Limits;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.EdgeNode.Metrics;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Payments;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.EdgeNode.Host.Apis;

/// <summary>The generation endpoints: <c>v1/generate/image</c>, <c>v1/generate/text</c>, <c>v1/models</c>.</summary>
public static class GenerationApi
{
    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapGenerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("v1").WithTags("Generation");
        var limits = app.ServiceProvider.GetRequiredService<IOptions<EdgeNodeHostOptions>>().Value;
        api.MapPost("generate/image", GenerateImage)
            .RequireRateLimiting(GenerationLimiter.Policy)
            .WithMetadata(new RequestBodyLimit(limits.MaxImageRequestBodyBytes))
            .WithName(nameof(GenerateImage))
            .WithSummary("Generate a watermarked image with its signed provenance record");
        api.MapPost("generate/text", GenerateText)
            .RequireRateLimiting(GenerationLimiter.Policy)
            .WithName(nameof(GenerateText))
            .WithSummary("Generate a watermarked text with its signed provenance record");
        api.MapGet("models", ListModels)
            .WithName(nameof(ListModels))
            .WithSummary("The models this node serves, with their on-chain ids and current prices");
        api.MapGet("node", GetNodeStatus)
            .WithName(nameof(GetNodeStatus))
            .WithSummary("The node's address, how many records wait for the ledger and how many proofs of its anchored records it keeps");
        api.MapGet("node/held", ListHeldRecords)
            .RequireProviderKey()
            .WithName(nameof(ListHeldRecords))
            .WithSummary("The records the ledger refused for good (held in the outbox, never sent again), with the ledger's reason; provider key required");
        api.MapGet("node/not-kept", ListNotKeptRecords)
            .RequireProviderKey()
            .WithName(nameof(ListNotKeptRecords))
            .WithSummary("The records the ledger accepted without keeping their manifest store or delivered-file statement, with its problems; provider key required");
        return api;
    }

    /// <summary>Validates the request and its creator, accepts its payment, then runs the image pipeline.</summary>
    public static Task<Results<Ok<GenerateImageResponse>, ProblemHttpResult>> GenerateImage(
        GenerateImageRequest request, ContentGenerator generator, EdgeNodeRuntime runtime, NodePayments payments, DerivativeAccessGuard access,
        EdgeNodeMetrics metrics, ILogger<ContentGenerator> log) =>
        MeasuredAsync(metrics, "image", () => RunAsync(() => generator.ValidateImageRequest(request), request.Creator, request.Prompt, request.Payment,
            runtime.Creators, payments, access, metrics, log, (payment, creator) => generator.GenerateImage(request, creator) with { Payment = payment }));

    /// <summary>Validates the request and its creator, accepts its payment, then runs the text pipeline.</summary>
    public static Task<Results<Ok<GenerateTextResponse>, ProblemHttpResult>> GenerateText(
        GenerateTextRequest request, ContentGenerator generator, EdgeNodeRuntime runtime, NodePayments payments, DerivativeAccessGuard access,
        EdgeNodeMetrics metrics, ILogger<ContentGenerator> log) =>
        MeasuredAsync(metrics, "text", () => RunAsync(() => generator.ValidateTextRequest(request), request.Creator, request.Prompt, request.Payment,
            runtime.Creators, payments, access, metrics, log, (payment, creator) => generator.GenerateText(request, creator) with { Payment = payment }));

    /// <summary>Lists the served models with their current on-chain price (null when payments are off or the model is unregistered).</summary>
    public static async Task<Results<Ok<IReadOnlyList<ServedModelInfo>>, ProblemHttpResult>> ListModels(
        ModelCatalog catalog, PaymentGate payments, ILogger<ModelCatalog> log)
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
            // The RPC error stays in the log: it may name internal hosts or configuration.
            log.LogWarning(e.InnerException, "Listing the models' prices failed: the chain could not be read.");
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Chain unavailable",
                type: PaymentProblemTypes.ChainUnavailable);
        }
    }

    /// <summary>The node's address and outbox counts.</summary>
    public static Ok<NodeStatus> GetNodeStatus(EdgeNodeRuntime node)
    {
        var counts = node.Outbox.Count();
        var domain = node.Issuer.Domain;
        return TypedResults.Ok(new NodeStatus(
            node.Node, counts.Pending, counts.Delivered, counts.Held, (long)domain.ChainId, domain.VerifyingContract, node.Evidence.Count()));
    }

    /// <summary>The records held in the outbox after a permanent refusal, oldest first.</summary>
    public static Ok<IReadOnlyList<HeldRecord>> ListHeldRecords(EdgeNodeRuntime node) => TypedResults.Ok(node.Outbox.Held());

    /// <summary>The delivered records the ledger did not keep everything of, oldest first.</summary>
    public static Ok<IReadOnlyList<DeliveryNote>> ListNotKeptRecords(EdgeNodeRuntime node) => TypedResults.Ok(node.Outbox.DeliveredWithNotes());

    // Counts and times a generation request by its outcome: served, refused (by problem type) or failed.
    private static async Task<Results<Ok<T>, ProblemHttpResult>> MeasuredAsync<T>(
        EdgeNodeMetrics metrics, string kind, Func<Task<Results<Ok<T>, ProblemHttpResult>>> run)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = EdgeNodeMetrics.Failed;
        try
        {
            var result = await run();
            outcome = result.Result is ProblemHttpResult problem ? problem.ProblemDetails.Type ?? EdgeNodeMetrics.Failed : EdgeNodeMetrics.Generated;
            return result;
        }
        finally
        {
            metrics.RecordGeneration(kind, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    // Parameters first, then the creator's signature, then the voucher, then the content: a bad parameter or
    // an unproven creator never costs the creator, and a refused voucher never produces content or a record.
    private static async Task<Results<Ok<T>, ProblemHttpResult>> RunAsync<T>(
        Func<ServedModel> validate, CreatorIdentity? identity, string prompt, VoucherPayment? voucher, CreatorAuthenticator creators,
        NodePayments node, DerivativeAccessGuard access, EdgeNodeMetrics metrics, ILogger log, Func<AcceptedPayment?, CreatorClaim, T> generate)
    {
        ServedModel model;
        CreatorClaim? creator;
        try
        {
            model = validate();
            creator = creators.Check(identity, model.ModelHash, prompt, voucher is not null);
        }
        catch (UnknownModelException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound, title: "Unknown model", type: GenerationProblemTypes.UnknownModel);
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid parameter", type: GenerationProblemTypes.InvalidParameter);
        }
        catch (CreatorRefusedException e)
        {
            return CreatorProblem(e);
        }
        catch (C2paSigningUnavailableException e)
        {
            // Found before the voucher is looked at: an expired certificate never costs the creator.
            log.LogError(e, "A generation was refused: the node cannot sign Content Credentials.");
            return CredentialsProblem(" Nothing was charged.");
        }

        var payments = node.Gate;
        // A private derivative serves its owner only: refused before any voucher is accepted.
        var decision = await access.RefusalAsync(model, voucher, creator) is { } denied
            ? new PaymentDecision(null, denied)
            : await payments.DecideAsync(model.ModelHash, voucher);
        if (decision.Refusal is { } refusal)
        {
            metrics.RecordPaymentRefused(refusal.Type);
            if (refusal.Cause is { } cause)
            {
                log.LogWarning(cause.InnerException ?? cause, "A paid request was refused: {Type}", refusal.Type);
            }

            return TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: refusal.Title, type: refusal.Type,
                extensions: Extensions(refusal, voucher, node));
        }

        try
        {
            // A named creator without a signature is the payer or nobody: known only once the voucher is accepted.
            creator ??= CreatorAuthenticator.ClaimAsPayer(identity!, voucher, decision.Payer);
            var generated = generate(decision.Payment, creator);
            if (decision.Payment is not null)
            {
                metrics.RecordVoucherAccepted();
            }

            return TypedResults.Ok(generated);
        }
        catch (CreatorRefusedException e)
        {
            if (decision.Payment is { } accepted)
            {
                payments.Release(accepted);
            }

            return CreatorProblem(e);
        }
        catch (C2paSigningUnavailableException e)
        {
            // The record was not stored (it is written in the outbox transaction that failed): the creator is not charged either.
            var charged = decision.Payment switch
            {
                null => " Nothing was charged.",
                var accepted when payments.Release(accepted) => " The voucher was released: nothing was charged; send it again later.",
                _ => " The accepted voucher could not be taken back (a settlement already carries it): ask the node's operator for a refund.",
            };
            log.LogError(e, "A generation failed: its Content Credentials could not be signed.{Charged}", charged);
            return CredentialsProblem(charged);
        }
        catch when (decision.Payment is { } accepted)
        {
            // The creator is not charged for content that was never delivered.
            payments.Release(accepted);
            throw;
        }
    }

    // A stale or underpaid refusal comes only after the voucher's signature proved the caller is the
    // channel's creator: it tells where the channel stands here, the only way a creator's client
    // without state learns it (the channel read is the provider's).
    private static Dictionary<string, object?>? Extensions(PaymentRefusal refusal, VoucherPayment? voucher, NodePayments node)
    {
        var extensions = new Dictionary<string, object?>();
        if (refusal.RequiredAmount is { } required)
        {
            extensions["requiredAmount"] = required.ToString(CultureInfo.InvariantCulture);
        }

        if (refusal.Type is PaymentProblemTypes.VoucherNonceStale or PaymentProblemTypes.VoucherUnderpaid
            && voucher is not null && node.Vouchers.Find(voucher.ChannelId) is { } position)
        {
            extensions[ChannelPositionMembers.AcceptedNonce] = position.Nonce.ToString(CultureInfo.InvariantCulture);
            extensions[ChannelPositionMembers.AcceptedAmount] = position.CumulativeAmount.ToString(CultureInfo.InvariantCulture);
        }

        return extensions.Count == 0 ? null : extensions;
    }

    // The cause (file paths, the signer's failure) goes to the log, never to the caller.
    private static ProblemHttpResult CredentialsProblem(string charged) =>
        TypedResults.Problem(
            "The node cannot sign Content Credentials now: its C2PA signing certificate has expired or its signer failed; the node's operator must act." + charged,
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Content Credentials unavailable",
            type: GenerationProblemTypes.CredentialsUnavailable);

    private static ProblemHttpResult CreatorProblem(CreatorRefusedException e) =>
        TypedResults.Problem(e.Message, statusCode: e.Status, title: "Creator not proven", type: e.ProblemType);
}
