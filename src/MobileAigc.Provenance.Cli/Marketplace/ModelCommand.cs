using System.CommandLine;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>
/// <c>provenance model register|terms|show|royalties</c>: a model owner's tasks. A model's id is
/// the SHA-256 of its .onnx file; registering it mints the ERC-721 that carries its terms.
/// </summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var account = new ChainAccountOptions();
        var registryOption = new Option<string>("--registry") { Description = "The ModelRegistry contract address.", Required = true };
        var modelOption = new Option<string>("--model") { Description = "The model: its 0x SHA-256, or its .onnx file.", Required = true };
        var price = new Option<string>("--price") { Description = "Price per generation in the smallest unit of the channel's token (wei for ETH).", DefaultValueFactory = _ => "0" };
        var royalty = new Option<ushort>("--royalty-bps") { Description = "The owner's share of every payment, in 1/10,000 (0 to 10,000).", DefaultValueFactory = _ => 0 };
        var metadata = new Option<string>("--metadata-uri") { Description = "Where the model's description lives.", DefaultValueFactory = _ => "" };
        var parent = new Option<string?>("--parent") { Description = "For a fine-tuned or personalised model: the model it derives from (0x hash or .onnx file)." };
        var inactive = new Option<bool>("--inactive") { Description = "Refuse new channels for the model (existing ones still settle)." };

        var register = new Command("register", "Register a model from its .onnx file (or hash) with price, royalty and optional parent; you become its owner.")
        {
            registryOption, modelOption, price, royalty, metadata, parent,
        };
        account.AddTo(register);
        register.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model register", async () =>
        {
            var (web3, _, sender, _) = await account.OpenAsync(parse);
            var registry = new ModelRegistryClient(web3, MarketplaceArguments.Address("--registry", parse.GetValue(registryOption)!));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var terms = (Price: MarketplaceArguments.Amount("--price", parse.GetValue(price)!), Royalty: parse.GetValue(royalty));
            var transaction = parse.GetValue(parent) is { } parentText
                ? await registry.RegisterDerivedModelAsync(model, await MarketplaceArguments.ModelAsync("--parent", parentText, cancellationToken),
                    parse.GetValue(metadata)!, terms.Price, terms.Royalty, cancellationToken)
                : await registry.RegisterModelAsync(model, parse.GetValue(metadata)!, terms.Price, terms.Royalty, cancellationToken);
            Console.WriteLine($"registered model {model} to {sender}: price {terms.Price}, royalty {terms.Royalty} bps (transaction {transaction.Hash}, block {transaction.BlockNumber})");
            return 0;
        }));

        var terms = new Command("terms", "Change a model's price, royalty and whether it takes new channels; owner only.")
        {
            registryOption, modelOption, price, royalty, inactive,
        };
        account.AddTo(terms);
        terms.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model terms", async () =>
        {
            var (web3, _, _, _) = await account.OpenAsync(parse);
            var registry = new ModelRegistryClient(web3, MarketplaceArguments.Address("--registry", parse.GetValue(registryOption)!));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var newPrice = MarketplaceArguments.Amount("--price", parse.GetValue(price)!);
            var transaction = await registry.UpdateTermsAsync(model, newPrice, parse.GetValue(royalty), active: !parse.GetValue(inactive), cancellationToken);
            Console.WriteLine($"model {model}: price {newPrice}, royalty {parse.GetValue(royalty)} bps, {(parse.GetValue(inactive) ? "inactive" : "active")} (transaction {transaction.Hash})");
            return 0;
        }));

        var show = new Command("show", "A model's owner, terms and lineage as the chain holds them.") { registryOption, modelOption, account.Rpc };
        show.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model show", async () =>
        {
            var registry = new ModelRegistryClient(new Nethereum.Web3.Web3(parse.GetValue(account.Rpc)), MarketplaceArguments.Address("--registry", parse.GetValue(registryOption)!));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var registered = await registry.GetModelAsync(model, cancellationToken);
            Console.WriteLine($"model {model}: owner {registered.Owner}, price {registered.PricePerGeneration}, royalty {registered.RoyaltyBasisPoints} bps, {(registered.Active ? "active" : "inactive")}, metadata '{registered.MetadataUri}'");
            foreach (var share in await registry.GetRoyaltyLineageAsync(model, cancellationToken))
            {
                Console.WriteLine($"  lineage {share.ModelHash}: owner {share.Owner}, royalty {share.RoyaltyBasisPoints} bps");
            }

            return 0;
        }));

        var ledger = new Option<string>("--ledger") { Description = "The ledger service's base URL.", Required = true };
        var royaltyModel = new Option<string?>("--model") { Description = "Only this model (0x hash or .onnx file). Default: every model." };
        var royalties = new Command("royalties", "Royalties received per model, lineage payouts included, as the ledger indexed the settlements.") { ledger, royaltyModel };
        royalties.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model royalties", async () =>
        {
            var query = parse.GetValue(royaltyModel) is { } text
                ? $"?model={await MarketplaceArguments.ModelAsync("--model", text, cancellationToken)}"
                : "";
            using var http = ServiceHttp.Create("--ledger", parse.GetValue(ledger)!);
            var totals = await ServiceHttp.GetAsync<IReadOnlyList<ModelRoyaltyTotals>>(http, LedgerSettlements.RoyaltiesPath + query, cancellationToken);
            foreach (var total in totals)
            {
                Console.WriteLine($"{total.ModelHash}: {total.Amount} in token {TokenName(total.Token)} from {total.Payments} settled vouchers");
            }

            if (totals.Count == 0)
            {
                Console.WriteLine("no royalties settled yet");
            }

            return 0;
        }));

        return new Command("model", "Register models and their terms, and see their royalties (model owners).") { register, terms, show, royalties };
    }

    internal static string TokenName(EvmAddress token) => token.IsZero ? "ETH (wei)" : token.ToString();
}
