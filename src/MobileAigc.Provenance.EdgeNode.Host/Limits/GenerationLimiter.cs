using System.Globalization;
using System.Threading.RateLimiting;
using MobileAigc.Provenance.Core.Api;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MobileAigc.Provenance.EdgeNode.Host.Limits;

/// <summary>
/// One concurrency limit over the generation routes: a generation holds a processor for seconds, so
/// at most <see cref="EdgeNodeHostOptions.MaxConcurrentGenerations"/> run, a few wait, and the rest
/// are answered 503 with <c>Retry-After</c> at once rather than queued without bound.
/// </summary>
internal static class GenerationLimiter
{
    /// <summary>The rate-limiting policy the generation routes name.</summary>
    public const string Policy = "generation";

    /// <summary>Registers the limiter and its rejection answer.</summary>
    public static void AddGenerationLimiter(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            // One partition for the whole node: the processors are shared by every client.
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<EdgeNodeHostOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter(Policy, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrentGenerations,
                    QueueLimit = options.GenerationQueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                var retryAfter = http.RequestServices.GetRequiredService<IOptions<EdgeNodeHostOptions>>().Value.BusyRetryAfter;
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers[HeaderNames.RetryAfter] = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    $"Every generation slot of this node is taken. Nothing was charged; retry after {(int)retryAfter.TotalSeconds} seconds.",
                    statusCode: StatusCodes.Status503ServiceUnavailable, title: "Node busy", type: EdgeNodeProblemTypes.NodeBusy).ExecuteAsync(http);
            };
        });
}
