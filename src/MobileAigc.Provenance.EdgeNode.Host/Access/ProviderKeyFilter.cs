using MobileAigc.Provenance.Core.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace MobileAigc.Provenance.EdgeNode.Host.Access;

/// <summary>
/// Provider-only routes: what a node earned, on which channel, from which creator, and which
/// records the ledger refused are the provider's business, so these routes answer only a request
/// carrying the node's provider key as <c>Authorization: Bearer &lt;key&gt;</c> (compared in
/// constant time), and a 401 problem otherwise.
/// </summary>
internal static class ProviderKeyFilter
{
    private const string Scheme = "Bearer ";

    /// <summary>Requires the provider key on the routes of <paramref name="builder"/>.</summary>
    public static TBuilder RequireProviderKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            IsProvider(context.HttpContext) ? await next(context) : Refusal(context.HttpContext));

    /// <summary>
    /// For routes that are not route handlers (the metrics scrape): true when the request carries the
    /// provider key; otherwise writes the same 401 problem and returns false.
    /// </summary>
    public static async Task<bool> ChallengeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (IsProvider(http))
        {
            return true;
        }

        await Refusal(http).ExecuteAsync(http);
        return false;
    }

    private static bool IsProvider(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        return http.RequestServices.GetRequiredService<EdgeNodeRuntime>().ProviderKey.Matches(presented);
    }

    private static ProblemHttpResult Refusal(HttpContext http)
    {
        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return TypedResults.Problem(
            "This read is the provider's: send the node's provider key (provider.key in the node's data folder) as 'Authorization: Bearer <key>'.",
            statusCode: StatusCodes.Status401Unauthorized, title: "Provider key required", type: EdgeNodeProblemTypes.ProviderKeyRequired);
    }
}
