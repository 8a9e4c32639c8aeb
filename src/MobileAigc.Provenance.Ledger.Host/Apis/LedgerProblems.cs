using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The ledger API's problem results. Their stable <c>type</c>s are defined with the HTTP contracts in
/// Core (<see cref="LedgerProblemTypes"/>, <see cref="RecordProblemTypes"/>), where clients find them too.
/// </summary>
public static class LedgerProblems
{
    /// <summary>A ProblemDetails result with a stable type.</summary>
    public static ProblemHttpResult Problem(string type, string title, string detail, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);
}
