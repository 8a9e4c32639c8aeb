using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Client.Discovery;

/// <summary>An offer with the latency this client measured to its node.</summary>
/// <param name="Offer">The ledger's offer: node, endpoint, price, track record.</param>
/// <param name="Latency">The median of the health probes' round trips; null when the node did not answer or advertised no usable endpoint.</param>
public sealed record RankedOffer(ModelOffer Offer, TimeSpan? Latency)
{
    /// <summary>The price as a number.</summary>
    public BigInteger Price => BigInteger.Parse(Offer.PricePerGeneration, NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>
/// A creator's discovery: reads the offers for a model from the ledger (<c>GET api/offers</c>),
/// measures each advertised node's latency from here (<c>GET health/live</c> under its endpoint, a few probes, median), and
/// ranks them: reachable first, then cheapest, then fastest. The ledger's track record travels
/// with each offer for the caller to show or filter on.
/// </summary>
/// <remarks>
/// Endpoints are whatever node operators wrote on chain, so a probe goes only to an endpoint that
/// passes <see cref="NodeEndpoint"/>'s rule in <paramref name="scope"/>, through
/// <see cref="EndpointHttp"/> (the address connected to is checked, no redirect, bounded answer):
/// an advertised endpoint cannot make the creator's machine reach its own network.
/// </remarks>
/// <param name="ledger">An HttpClient whose base address is the ledger service.</param>
/// <param name="scope">Which addresses a probed endpoint may have; <see cref="EndpointScope.LocalDevelopment"/> only for a local network.</param>
public sealed class OfferSelector(HttpClient ledger, EndpointScope scope = EndpointScope.Public)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a probe asks a node for, under its endpoint: the cheap liveness check.</summary>
    public const string HealthPath = "health/live";

    /// <summary>How many probes per node. Default: 3.</summary>
    public int ProbesPerNode { get; init; } = 3;

    /// <summary>How long one probe may take, connection included. Default: 2 seconds.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The ranked offers for <paramref name="modelHash"/>, best first.</summary>
    /// <exception cref="InvalidOperationException">When the ledger refuses (unknown model: 404), with its problem's detail.</exception>
    /// <exception cref="HttpRequestException">When the ledger does not answer.</exception>
    public async Task<IReadOnlyList<RankedOffer>> RankAsync(Bytes32 modelHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        using var response = await ledger.GetAsync(new Uri($"{LedgerOffers.OffersPath}?model={modelHash}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            NodeProblem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<NodeProblem>(Json, cancellationToken);
            }
            catch (JsonException)
            {
                // Not a problem document (a proxy's error page): the status says enough.
            }

            throw new InvalidOperationException(
                $"The ledger refused the offers for model {modelHash} ({(int)response.StatusCode} {problem?.Type}): {problem?.Detail ?? response.ReasonPhrase}");
        }

        var offers = await response.Content.ReadFromJsonAsync<IReadOnlyList<ModelOffer>>(Json, cancellationToken) ?? [];
        var ranked = new List<RankedOffer>(offers.Count);
        using var probes = EndpointHttp.CreateClient(scope, ProbeTimeout);
        foreach (var offer in offers)
        {
            ranked.Add(new RankedOffer(offer, await MeasureAsync(probes, offer.Endpoint, cancellationToken)));
        }

        return ranked
            .OrderBy(r => r.Latency is null)
            .ThenBy(r => r.Price)
            .ThenBy(r => r.Latency ?? TimeSpan.MaxValue)
            .ToList();
    }

    private async Task<TimeSpan?> MeasureAsync(HttpClient probes, string? endpoint, CancellationToken cancellationToken)
    {
        if (!NodeEndpoint.TryParse(endpoint, scope, out var valid, out _))
        {
            // The contract bounds only the length of what operators advertise: whatever breaks the rule is never fetched.
            return null;
        }

        var health = new Uri(valid, valid.AbsolutePath.TrimEnd('/') + "/" + HealthPath);

        var samples = new List<TimeSpan>(ProbesPerNode);
        for (var i = 0; i < ProbesPerNode; i++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var answer = await probes.GetAsync(health, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (answer.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    return null;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            samples.Add(Stopwatch.GetElapsedTime(started));
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }
}
