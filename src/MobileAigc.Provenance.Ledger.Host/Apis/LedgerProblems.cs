using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The ledger API's problem results. Their stable <c>type</c>s are defined with the HTTP contracts in
/// Core (<see cref="LedgerProblemTypes"/>, <see cref="RecordProblemTypes"/>), where clients find them too.
/// </summary>
public static partial class LedgerProblems
{
    /// <summary>A ProblemDetails result with a stable type.</summary>
    public static ProblemHttpResult Problem(string type, string title, string detail, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);

    /// <summary>
    /// 503 <see cref="LedgerProblemTypes.ChainUnavailable"/> with a fixed detail; the chain node's own
    /// error text (in <paramref name="exception"/>) is logged, never answered.
    /// </summary>
    public static ProblemHttpResult ChainUnavailable(ILogger logger, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(logger);
        LogChainUnavailable(logger, exception);
        return Problem(LedgerProblemTypes.ChainUnavailable, "Chain unavailable", ChainUnavailableHandler.Detail, StatusCodes.Status503ServiceUnavailable);
    }

    [LoggerMessage(LogLevel.Warning, "The chain node failed; answered 503 without its error text.")]
    private static partial void LogChainUnavailable(ILogger logger, Exception exception);
}
