using System.CommandLine;
using System.Globalization;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>
/// <c>provenance model lineage --ledger URL --model HASH|FILE</c>: a model's lineage as the ledger indexed it
/// (<c>GET api/models/{hash}/lineage</c>), the model first and its root last, with each model's name, owner, terms and
/// the royalties its owners received.
/// </summary>
internal static class ModelLineageCommand
{
    public static Command Create()
    {
        var ledger = new Option<string>("--ledger") { Description = "The ledger service's base URL.", Required = true };
        var model = new Option<string>("--model") { Description = "The model: its 0x SHA-256, or its .onnx file.", Required = true };
        var lineage = new Command(
            "lineage",
            "A model's lineage as the ledger indexed it: the model, its parent, up to the root, with each one's owner, price, royalty rate and the royalties received.")
        {
            ledger, model,
        };
        lineage.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model lineage", async () =>
        {
            var hash = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(model)!, cancellationToken);
            using var http = ServiceHttp.Create("--ledger", parse.GetValue(ledger)!);
            var answer = await ServiceHttp.GetAsync<ModelLineage>(http, LedgerModels.LineagePath(hash), cancellationToken);
            foreach (var line in Describe(answer))
            {
                Console.WriteLine(line);
            }

            return 0;
        }));
        return lineage;
    }

    /// <summary>The lines printed for <paramref name="lineage"/>: a heading, then one line per model, derivative first.</summary>
    internal static IEnumerable<string> Describe(ModelLineage lineage)
    {
        var registry = lineage.RegistryIndexedThroughBlock is { } r ? $"registry indexed through block {r}" : "registry not indexed yet";
        var settlements = lineage.SettlementsIndexedThroughBlock is { } s ? $"settlements through block {s}" : "settlements not indexed";
        yield return $"model {lineage.ModelHash}: {lineage.Models.Count} model(s), derivative first, root last ({registry}, {settlements})";
        foreach (var m in lineage.Models)
        {
            var role = m.ParentHash is null ? "root" : m.Depth == 0 ? "derivative" : "parent";
            var name = m.Name is null ? "" : $" \"{m.Name}\"";
            var since = m.OwnerSinceBlock is { } block ? string.Create(CultureInfo.InvariantCulture, $" since block {block}") : "";
            yield return $"  depth {m.Depth} {role} {m.ModelHash}{name}: owner {m.Owner}{since}, price {m.PricePerGeneration}, "
                + $"royalty {m.RoyaltyBasisPoints} bps, {(m.Active ? "active" : "inactive")}; royalties received: {Royalties(m.RoyaltiesReceived)}";
        }

        if (!lineage.Complete)
        {
            yield return "  (incomplete: the ledger's mirror lacks a parent or holds a longer lineage than the contract allows; its data may be altered)";
        }
    }

    private static string Royalties(IReadOnlyList<ReceivedRoyalty>? royalties) =>
        royalties is null or { Count: 0 }
            ? "none"
            : string.Join(", ", royalties.Select(r => $"{r.Amount} in {ModelCommand.TokenName(r.Token)} from {r.Payments} settled voucher(s)"));
}
