using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Host.Access;
using MobileAigc.Provenance.EdgeNode.Payments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MobileAigc.Provenance.EdgeNode.Host.Apis;

/// <summary>The payment endpoints: <c>v1/payments</c>, <c>v1/earnings</c>, <c>v1/channels/{id}</c>.</summary>
public static class PaymentsApi
{
    /// <summary>Maps the group.</summary>
    public static RouteGroupBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("v1").WithTags("Payments");
        api.MapGet("payments", GetPaymentTerms)
            .WithName(nameof(GetPaymentTerms))
            .WithSummary("How to pay this node: chain, PaymentChannels contract (the vouchers' EIP-712 domain) and provider");
        api.MapGet("earnings", GetEarnings)
            .RequireProviderKey()
            .WithName(nameof(GetEarnings))
            .WithSummary("Accepted, settled and pending amounts per channel and per model; provider key required");
        api.MapGet("channels/{channelId}", GetChannel)
            .RequireProviderKey()
            .WithName(nameof(GetChannel))
            .WithSummary("The latest voucher this node accepted on a channel; provider key required");
        return api;
    }

    /// <summary>The node's payment terms.</summary>
    public static Ok<PaymentTerms> GetPaymentTerms(NodePayments payments) => TypedResults.Ok(payments.Terms);

    /// <summary>The node's earnings.</summary>
    public static Ok<EarningsReport> GetEarnings(NodePayments payments) => TypedResults.Ok(payments.Vouchers.Earnings(payments.Provider));

    /// <summary>The latest voucher accepted on <paramref name="channelId"/>.</summary>
    public static Results<Ok<ChannelVoucherState>, ProblemHttpResult> GetChannel(string channelId, NodePayments payments)
    {
        if (!Bytes32.TryParse(channelId, out var id))
        {
            return TypedResults.Problem($"'{channelId}' is not a channel id (0x and 64 hex digits).", statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid parameter", type: GenerationProblemTypes.InvalidParameter);
        }

        return payments.Vouchers.Find(id) is { } state
            ? TypedResults.Ok(state)
            : TypedResults.Problem($"This node accepted no voucher on channel {id}: start from nonce 0 and amount 0.",
                statusCode: StatusCodes.Status404NotFound, title: "Channel not seen", type: PaymentProblemTypes.ChannelNotSeen);
    }
}
