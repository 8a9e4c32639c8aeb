using System.CommandLine;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>
/// <c>provenance model register|approve-node|open|terms|show|royalties|lineage</c>: a model owner's tasks. A model's id is
/// the SHA-256 of its .onnx file; registering it (commit, then reveal) mints the ERC-721 that carries its terms;
/// nodes serve it only once its owner approves them or opens it.
/// </summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var account = new ChainAccountOptions();
        var registryOption = new Option<string>("--registry") { Description = "The ModelRegistry contract address (or give --deployment)." };
        var modelOption = new Option<string>("--model") { Description = "The model: its 0x SHA-256, or its .onnx file.", Required = true };
        var price = new Option<string>("--price") { Description = "Price per generation in the smallest unit of the channel's token (wei for ETH).", DefaultValueFactory = _ => "0" };
        var royalty = new Option<ushort>("--royalty-bps") { Description = $"The owner's share of every payment, in 1/10,000 (0 to {ModelRegistryClient.MaxRoyaltyBasisPoints:N0}).", DefaultValueFactory = _ => 0 };
        var metadata = new Option<string>("--metadata-uri") { Description = "Where the model's description lives.", DefaultValueFactory = _ => "" };
        var parent = new Option<string?>("--parent") { Description = "For a fine-tuned or personalised model: the model it derives from (0x hash or .onnx file)." };
        var inactive = new Option<bool>("--inactive") { Description = "Refuse new channels for the model (existing ones still settle)." };
        var devMine = new Option<bool>("--dev-mine") { Description = "On a local dev chain that mines only per transaction (anvil): mine the blocks the commitment must age with anvil_mine instead of waiting for them." };
        var node = new Option<string>("--node") { Description = "The node key's address.", Required = true };
        var withdraw = new Option<bool>("--withdraw") { Description = "Withdraw the approval instead of giving it." };
        var close = new Option<bool>("--close") { Description = "Close the model to all but approved nodes instead of opening it." };

        var register = new Command("register",
            $"Register a model from its .onnx file (or hash) with price, royalty and optional parent; you become its owner. Commits first (the commitment hides the hash), waits {ModelRegistryClient.MinCommitmentAge} blocks, then reveals, so nobody watching can register it before you.")
        {
            registryOption, modelOption, price, royalty, metadata, parent, devMine,
        };
        account.AddTo(register);
        register.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model register", async () =>
        {
            var (web3, _, sender, _) = await account.OpenAsync(parse);
            var miner = parse.GetValue(devMine) ? AnvilNode.MinerAt(new Uri(parse.GetValue(account.Rpc)!)) : null;
            var registry = new ModelRegistryClient(web3, await account.ContractAsync(parse, registryOption, c => c.ModelRegistry, cancellationToken), miner);
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var parentHash = parse.GetValue(parent) is { } parentText ? await MarketplaceArguments.ModelAsync("--parent", parentText, cancellationToken) : Bytes32.Zero;
            var claim = ModelClaim.Create(model, parse.GetValue(metadata)!, MarketplaceArguments.Amount("--price", parse.GetValue(price)!), parse.GetValue(royalty), parentHash);
            var commit = await registry.CommitModelAsync(claim, cancellationToken);
            Console.WriteLine($"committed {claim.CommitmentBy(sender)} (transaction {commit.Hash}, block {commit.BlockNumber}); revealing from block {commit.BlockNumber + ModelRegistryClient.MinCommitmentAge}");
            await registry.WaitUntilRevealableAsync(commit.BlockNumber, cancellationToken);
            var transaction = await registry.RevealModelAsync(claim, cancellationToken);
            Console.WriteLine($"registered model {model} to {sender}: price {claim.PricePerGeneration}, royalty {claim.RoyaltyBasisPoints} bps{(parentHash.IsZero ? "" : $", derived from {parentHash}")}; closed to nodes until you approve them (transaction {transaction.Hash}, block {transaction.BlockNumber})");
            return 0;
        }));

        var approve = new Command("approve-node", "Approve a node to serve your model (or withdraw the approval with --withdraw); owner only.")
        {
            registryOption, modelOption, node, withdraw,
        };
        account.AddTo(approve);
        approve.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model approve-node", async () =>
        {
            var (web3, _, _, _) = await account.OpenAsync(parse);
            var registry = new ModelRegistryClient(web3, await account.ContractAsync(parse, registryOption, c => c.ModelRegistry, cancellationToken));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var nodeAddress = MarketplaceArguments.Address("--node", parse.GetValue(node)!);
            var approved = !parse.GetValue(withdraw);
            var transaction = await registry.SetNodeApprovalAsync(model, nodeAddress, approved, cancellationToken);
            Console.WriteLine($"node {nodeAddress} {(approved ? "approved" : "no longer approved")} for model {model}; authorised now: {await registry.IsNodeAuthorizedAsync(nodeAddress, model, cancellationToken)} (transaction {transaction.Hash})");
            return 0;
        }));

        var open = new Command("open", "Open your model to any node that serves it (or close it again with --close); owner only.")
        {
            registryOption, modelOption, close,
        };
        account.AddTo(open);
        open.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model open", async () =>
        {
            var (web3, _, _, _) = await account.OpenAsync(parse);
            var registry = new ModelRegistryClient(web3, await account.ContractAsync(parse, registryOption, c => c.ModelRegistry, cancellationToken));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var isOpen = !parse.GetValue(close);
            var transaction = await registry.SetModelOpenAsync(model, isOpen, cancellationToken);
            Console.WriteLine($"model {model} {(isOpen ? "open to any node" : "closed to all but approved nodes")} (transaction {transaction.Hash})");
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
            var registry = new ModelRegistryClient(web3, await account.ContractAsync(parse, registryOption, c => c.ModelRegistry, cancellationToken));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var newPrice = MarketplaceArguments.Amount("--price", parse.GetValue(price)!);
            var transaction = await registry.UpdateTermsAsync(model, newPrice, parse.GetValue(royalty), active: !parse.GetValue(inactive), cancellationToken);
            Console.WriteLine($"model {model}: price {newPrice}, royalty {parse.GetValue(royalty)} bps, {(parse.GetValue(inactive) ? "inactive" : "active")} (transaction {transaction.Hash})");
            return 0;
        }));

        var show = new Command("show", "A model's owner, terms and lineage as the chain holds them.") { registryOption, modelOption, account.Rpc, account.Deployment };
        show.SetAction((parse, cancellationToken) => CliErrors.RunAsync("model show", async () =>
        {
            var registry = new ModelRegistryClient(new Nethereum.Web3.Web3(parse.GetValue(account.Rpc)), await account.ContractAsync(parse, registryOption, c => c.ModelRegistry, cancellationToken));
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var registered = await registry.GetModelAsync(model, cancellationToken);
            Console.WriteLine($"model {model}: owner {registered.Owner}, price {registered.PricePerGeneration}, royalty {registered.RoyaltyBasisPoints} bps, {(registered.Active ? "active" : "inactive")}, {(await registry.IsModelOpenAsync(model, cancellationToken) ? "open to any node" : "approved nodes only")}, metadata '{registered.MetadataUri}'");
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

        return new Command("model", "Register models and their terms, approve the nodes that serve them, and see their royalties (model owners).")
        {
            register, approve, open, terms, show, royalties, ModelLineageCommand.Create(),
        };
    }

    internal static string TokenName(EvmAddress token) => token.IsZero ? "ETH (wei)" : token.ToString();
}
