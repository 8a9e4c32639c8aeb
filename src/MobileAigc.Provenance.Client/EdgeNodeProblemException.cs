using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Client;

/// <summary>An RFC 9457 problem document as an edge node sends it.</summary>
/// <param name="Type">The stable problem type, one of <see cref="GenerationProblemTypes"/> or <see cref="PaymentProblemTypes"/>.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Detail">What was wrong, with the values.</param>
public sealed record NodeProblem(string? Type, string? Title, int? Status, string? Detail)
{
    /// <summary>Members beyond the standard ones (e.g. <c>requiredAmount</c> of an underpaid voucher).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extensions { get; init; }
}

/// <summary>The edge node refused a request; <see cref="Problem"/> says why. Nothing was charged unless the type says otherwise.</summary>
public sealed class EdgeNodeProblemException : Exception
{
    /// <summary>Creates the exception for a refusal.</summary>
    /// <param name="statusCode">The HTTP status the node answered.</param>
    /// <param name="problem">The node's problem document.</param>
    public EdgeNodeProblemException(HttpStatusCode statusCode, NodeProblem problem)
        : base($"The edge node refused the request ({(int)statusCode} {problem?.Type ?? "no problem type"}): {problem?.Detail ?? problem?.Title}")
    {
        ArgumentNullException.ThrowIfNull(problem);
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The node's problem document.</summary>
    public NodeProblem Problem { get; }
}
