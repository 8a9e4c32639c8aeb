using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// A database that is away or saturated (connection pool exhausted under load, server restarting)
/// is the service's condition, not a bug: it answers 503 ProblemDetails with <c>Retry-After</c>
/// instead of a 500, whatever endpoint met it.
/// </summary>
internal sealed class StorageUnavailableHandler(IProblemDetailsService problems, ILogger<StorageUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsStorageFailure(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning(exception, "Database unavailable while serving {Path}", httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Type = LedgerProblemTypes.StorageUnavailable,
                Title = "The ledger's database is unavailable",
                Detail = "The database did not answer in time; nothing was changed. Retry shortly.",
                Status = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }

    // EF Core wraps provider failures ("likely due to a transient failure"); look through the chain.
    private static bool IsStorageFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
