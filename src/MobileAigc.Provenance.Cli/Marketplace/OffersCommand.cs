using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Client.Discovery;
using MobileAigc.Provenance.Core.Endpoints;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>
/// <c>provenance offers --ledger URL --model X</c>: the edge nodes serving a model, ranked by
/// price and the latency measured from here, with each provider's track record from the ledger.
/// </summary>
internal static class OffersCommand
{
    public static Command Create()
    {
        var ledger = new Option<string>("--ledger") { Description = "The ledger service's base URL.", Required = true };
        var model = new Option<string>("--model") { Description = "The model: 0x hash or .onnx file.", Required = true };
        var local = new Option<bool>("--allow-local-endpoints")
        {
            Description = "Also probe endpoints on loopback, private and link-local addresses (a local development network only).",
        };
        var offers = new Command("offers", "List the nodes serving a model, best first (reachable, cheapest, fastest), with their track records (creators).") { ledger, model, local };
        offers.SetAction((parse, cancellationToken) => CliErrors.RunAsync("offers", async () =>
        {
            var modelHash = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(model)!, cancellationToken);
            using var http = ServiceHttp.Create("--ledger", parse.GetValue(ledger)!);
            var scope = parse.GetValue(local) ? EndpointScope.LocalDevelopment : EndpointScope.Public;
            IReadOnlyList<RankedOffer> ranked;
            try
            {
                ranked = await new OfferSelector(http, scope).RankAsync(modelHash, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new InvalidOperationException($"The ledger at {http.BaseAddress} does not answer ({e.Message}).", e);
            }

            if (ranked.Count == 0)
            {
                Console.WriteLine($"no node serves model {modelHash}");
            }

            foreach (var (offer, index) in ranked.Select((o, i) => (o, i)))
            {
                var latency = offer.Latency is { } l ? $"{l.TotalMilliseconds:0} ms" : "unreachable";
                var record = offer.Offer.TrackRecord;
                Console.WriteLine($"{(index == 0 ? "*" : " ")} {offer.Offer.Node} at {offer.Offer.Endpoint ?? "(no endpoint)"}: price {offer.Price}, {latency}; " +
                    $"{record.RecordsAnchored} records anchored, {record.RecordsPending} pending, {record.RecordsRevoked} revoked, {record.Settlements} settlements");
            }

            return 0;
        }));
        return offers;
    }
}
