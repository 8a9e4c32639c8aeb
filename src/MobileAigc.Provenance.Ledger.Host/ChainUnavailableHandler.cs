using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// A chain node that is away, times out or answers an RPC error, met by any endpoint that did not
/// handle it itself, answers 503 <see cref="LedgerProblemTypes.ChainUnavailable"/> with a fixed
/// message and <c>Retry-After</c>: the node's error text (its URL, its version, what it refused) is
/// logged for the operator, never sent to the client.
/// </summary>
internal sealed partial class ChainUnavailableHandler(IProblemDetailsService problems, ILogger<ChainUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>The fixed detail of every chain failure the ledger answers.</summary>
    public const string Detail = "The chain node did not answer or refused the query; nothing was changed. Retry shortly.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsChainFailure(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        LogChainFailure(logger, httpContext.Request.Path, exception);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Type = LedgerProblemTypes.ChainUnavailable,
                Title = "The chain node is unavailable",
                Detail = Detail,
                Status = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }

    /// <summary>True for a failure of the JSON-RPC connection or of a call through it (Nethereum's exceptions, or the HTTP client's beneath them).</summary>
    public static bool IsChainFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // The ledger makes no HTTP call but to its chain node.
            if (e is HttpRequestException || e.GetType().Namespace?.StartsWith("Nethereum.", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(LogLevel.Warning, "The chain node failed while serving {Path}; answered 503 without its error text.")]
    private static partial void LogChainFailure(ILogger logger, PathString path, Exception exception);
}
