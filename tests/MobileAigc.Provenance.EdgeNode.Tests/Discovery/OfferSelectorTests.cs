using System.Collections.Concurrent;
using MobileAigc.Provenance.Client.Discovery;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Primitives;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MobileAigc.Provenance.EdgeNode.Tests.Discovery;

/// <summary>
/// A creator's probes of advertised endpoints, against a real HTTP server on loopback standing in
/// for the ledger (its offers) and for every advertised node (it counts the requests each path gets).
/// </summary>
public sealed class OfferSelectorTests : IAsyncLifetime
{
    private static readonly Bytes32 Model = Bytes32.Parse("0x" + new string('7', 64));
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private List<ModelOffer> _offers = [];
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/" + LedgerOffers.OffersPath, () => Results.Ok(_offers));
        _app.MapGet("/{node}/health/live", (string node, HttpContext context) =>
        {
            _hits.AddOrUpdate(node, 1, (_, n) => n + 1);
            return node == "redirect"
                ? Results.Redirect($"http://localhost:{context.Connection.LocalPort}/target/health/live")
                : Results.Ok();
        });
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task RankAsync_EndpointWithQueryUserInfoOrFragment_IsNeverFetched()
    {
        var port = _base.Port;
        Advertise($"http://127.0.0.1:{port}/good", $"http://127.0.0.1:{port}/query?x=1", $"http://u:p@127.0.0.1:{port}/user",
            $"http://127.0.0.1:{port}/fragment#x", $"ftp://127.0.0.1:{port}/ftp");

        var ranked = await RankAsync(EndpointScope.LocalDevelopment);

        Assert.NotNull(Latency(ranked, "good"));
        Assert.All(["query", "user", "fragment", "ftp"], path => Assert.Null(Latency(ranked, path)));
        Assert.Equal(["good"], _hits.Keys);
    }

    [Fact]
    public async Task RankAsync_PublicScope_LoopbackByAddressOrByName_IsNeverFetched()
    {
        var port = _base.Port;
        Advertise($"http://127.0.0.1:{port}/address", $"http://localhost:{port}/name", $"http://[::ffff:127.0.0.1]:{port}/mapped");

        var ranked = await RankAsync(EndpointScope.Public);

        Assert.All(ranked, offer => Assert.Null(offer.Latency));
        Assert.Empty(_hits);
    }

    [Fact]
    public async Task RankAsync_RedirectToAnotherAddress_IsNotFollowed()
    {
        Advertise($"http://127.0.0.1:{_base.Port}/redirect");

        var ranked = await RankAsync(EndpointScope.LocalDevelopment);

        Assert.Null(Latency(ranked, "redirect"));
        Assert.False(_hits.ContainsKey("target"));
    }

    private void Advertise(params string[] endpoints) =>
        _offers = endpoints.Select((endpoint, i) => new ModelOffer(
            EvmAddress.Parse($"0x{i + 1:x40}"), EvmAddress.Parse("0x" + new string('a', 40)), endpoint, Model, "1",
            new ProviderTrackRecord(0, 0, 0, 0, []))).ToList();

    private async Task<IReadOnlyList<RankedOffer>> RankAsync(EndpointScope scope)
    {
        using var ledger = new HttpClient { BaseAddress = _base };
        return await new OfferSelector(ledger, scope) { ProbesPerNode = 1, ProbeTimeout = TimeSpan.FromSeconds(30) }
            .RankAsync(Model);
    }

    private static TimeSpan? Latency(IReadOnlyList<RankedOffer> ranked, string path) =>
        ranked.Single(r => r.Offer.Endpoint!.Contains("/" + path, StringComparison.Ordinal)).Latency;
}
