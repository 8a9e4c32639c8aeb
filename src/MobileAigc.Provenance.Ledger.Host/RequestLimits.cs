using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Host.Apis;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>The names of the rate-limit policies.</summary>
public static class LedgerRateLimits
{
    /// <summary>Public endpoints: a fixed window per client address (<see cref="LedgerHostOptions.RateLimitPermits"/>).</summary>
    public const string Public = "public";
}

/// <summary>
/// What keeps one client, or many, from exhausting the ledger: forwarded headers believed only from
/// configured proxies, a fixed window per client address on public routes, and a bounded number of
/// concurrent (and queued) requests per kind of heavy work. Every refusal is a ProblemDetails with
/// <c>Retry-After</c>: 429 <see cref="LedgerProblemTypes.RateLimited"/> or 503 <see cref="LedgerProblemTypes.ServiceBusy"/>.
/// </summary>
public static class RequestLimits
{
    /// <summary>Registers the forwarded-headers options, the per-address windows and the heavy-work pools.</summary>
    public static void AddRequestLimits(this IServiceCollection services, LedgerHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(host);
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; only what the operator configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in host.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in host.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Only the address the trusted proxy appended: earlier entries are whatever the client wrote.
            forwarded.ForwardLimit = 1;
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(LedgerRateLimits.Public, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = host.RateLimitPermits, Window = host.RateLimitWindow, QueueLimit = 0 }));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, HeavyWork>(context =>
                context.GetEndpoint()?.Metadata.GetMetadata<HeavyWorkMetadata>() is { } heavy
                    ? RateLimitPartition.GetConcurrencyLimiter(heavy.Kind, kind => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = kind == HeavyWork.HashVerification ? host.MaxConcurrentHashVerifications : host.MaxConcurrentHeavyRequests,
                        QueueLimit = kind == HeavyWork.HashVerification ? host.HashVerificationQueueLimit : host.HeavyRequestQueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter(HeavyWork.None));
            limiter.OnRejected = RejectAsync;
        });
    }

    /// <summary>Believes forwarded headers from the configured proxies only; first in the pipeline, so every later step sees the client's address.</summary>
    public static void UseForwardedHeadersFromKnownProxies(this IApplicationBuilder app, LedgerHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(host);
        // The framework's middleware believes every sender when it knows no proxy at all: without one
        // configured it is not added, so the headers are ignored.
        if (host.KnownProxies.Count > 0 || host.KnownNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        // A fixed window says when it reopens; a full pool of heavy work does not, so the client waits a second.
        var windowed = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        var (status, type, title, detail) = windowed
            ? (StatusCodes.Status429TooManyRequests, LedgerProblemTypes.RateLimited, "Too many requests",
                "This client address made more requests than the ledger allows per window; retry after the time in Retry-After.")
            : (StatusCodes.Status503ServiceUnavailable, LedgerProblemTypes.ServiceBusy, "Ledger busy",
                "Every slot for this kind of work is taken; nothing was done. Retry after the time in Retry-After.");
        var seconds = windowed ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        http.Response.StatusCode = status;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Type = type, Title = title, Detail = detail, Status = status },
        });
    }
}
