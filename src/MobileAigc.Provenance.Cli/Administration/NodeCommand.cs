using System.CommandLine;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Marketplace;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>
/// <c>provenance node register|models add|models remove|endpoint set|deregister</c>: an edge provider's operator
/// account manages its node key in the registry. Registering needs the node key's EIP-712 consent, signed here from
/// the node's own keystore; serving a model authorises the node only once the model's owner approves it
/// (<c>provenance model approve-node</c>) or opens the model.
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var account = new OperatorAccountOptions("The operator's encrypted keystore: it sends the transactions and becomes the node's operator.");
        var nodeKeystore = ChainOptions.Keystore("--node-keystore", "The node's encrypted keystore (node-keystore.json in its data folder): it signs its consent to the operator, nothing else.");
        var nodePassphrase = ChainOptions.PassphraseFile("A file holding the node keystore's passphrase. Default: asked on the terminal.", "--node-passphrase-file");
        var models = new Option<string[]>("--model") { Description = "A model the node serves: its 0x SHA-256 or its .onnx file (repeatable).", AllowMultipleArgumentsPerToken = true };
        var node = new Option<string>("--node") { Description = "The node key's address.", Required = true };
        var requiredModels = new Option<string[]>("--model") { Description = "The model: its 0x SHA-256 or its .onnx file (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var url = new Argument<string>("url") { Description = "The node's public URL (https://…), or \"none\" to withdraw it." };
        var local = new Option<bool>("--allow-local") { Description = "Accept a loopback or private address (a local development network)." };

        var register = new Command("register", "Register the node key with its signed consent; you become its operator for ever.") { nodeKeystore, nodePassphrase, models };
        account.AddTo(register);
        register.SetAction((parse, cancellationToken) => CliErrors.RunAsync("node register", async () =>
        {
            var sender = await account.OpenAsync(parse, cancellationToken);
            var nodeKey = KeystoreFile.Open(parse.GetValue(nodeKeystore)!, parse.GetValue(nodePassphrase));
            var hashes = await ModelsAsync(parse.GetValue(models) ?? [], cancellationToken);
            var registry = sender.Contracts.RegistryFor(sender.Web3);
            var consent = NodeConsentTypedData.Sign(
                await registry.ConsentToRequestAsync(EvmAddress.Parse(nodeKey.GetPublicAddress()), cancellationToken), await registry.DomainAsync(cancellationToken), nodeKey);
            var transaction = await registry.RegisterNodeAsync(consent, hashes, cancellationToken);
            Console.WriteLine($"node {consent.Consent.Node} registered, operator {sender.Sender} (consent nonce {consent.Consent.Nonce}; transaction {transaction.Hash}, block {transaction.BlockNumber})");
            await PrintAuthorisationAsync(registry, consent.Consent.Node, hashes, cancellationToken);
            return 0;
        }));

        var add = new Command("add", "Start serving models on the node; operator only.") { node, requiredModels };
        account.AddTo(add);
        add.SetAction((parse, cancellationToken) => SetModelsAsync("node models add", account, parse, node, requiredModels, serves: true, cancellationToken));
        var remove = new Command("remove", "Stop serving models on the node; operator only.") { node, requiredModels };
        account.AddTo(remove);
        remove.SetAction((parse, cancellationToken) => SetModelsAsync("node models remove", account, parse, node, requiredModels, serves: false, cancellationToken));

        var set = new Command("set", "Advertise the URL creators reach the node at (or withdraw it with \"none\"); operator only.") { node, url, local };
        account.AddTo(set);
        set.SetAction((parse, cancellationToken) => CliErrors.RunAsync("node endpoint set", async () =>
        {
            var text = parse.GetValue(url)!;
            Uri? endpoint = null;
            if (!string.Equals(text, "none", StringComparison.OrdinalIgnoreCase) && !Uri.TryCreate(text, UriKind.Absolute, out endpoint))
            {
                throw new ArgumentException($"url must be an absolute http(s) URL or \"none\"; got '{text}'.");
            }

            var nodeAddress = MarketplaceArguments.Address("--node", parse.GetValue(node)!);
            var sender = await account.OpenAsync(parse, cancellationToken);
            var registry = sender.Contracts.RegistryFor(sender.Web3);
            var scope = parse.GetValue(local) ? EndpointScope.LocalDevelopment : EndpointScope.Public;
            var transaction = await registry.SetNodeEndpointAsync(nodeAddress, endpoint, scope, cancellationToken);
            Console.WriteLine($"node {nodeAddress} advertises {(await registry.GetNodeEndpointAsync(nodeAddress, cancellationToken))?.ToString() ?? "no endpoint"} (transaction {transaction.Hash})");
            return 0;
        }));

        var deregister = new Command("deregister", "Deregister the node; its records stay attested and the key stays bound to you; operator only.") { node };
        account.AddTo(deregister);
        deregister.SetAction((parse, cancellationToken) => CliErrors.RunAsync("node deregister", async () =>
        {
            var nodeAddress = MarketplaceArguments.Address("--node", parse.GetValue(node)!);
            var sender = await account.OpenAsync(parse, cancellationToken);
            var transaction = await sender.Contracts.RegistryFor(sender.Web3).DeregisterNodeAsync(nodeAddress, cancellationToken);
            Console.WriteLine($"node {nodeAddress} deregistered; its key stays bound to operator {sender.Sender} (transaction {transaction.Hash})");
            return 0;
        }));

        return new Command("node", "Register an edge node's key and manage what it serves and where it is reached (edge providers).")
        {
            register,
            new Command("models", "Add or remove the models a node serves.") { add, remove },
            new Command("endpoint", "Advertise the node's public URL.") { set },
            deregister,
            NodeShowCommand.Create(),
        };
    }

    private static Task<int> SetModelsAsync(string name, OperatorAccountOptions account, ParseResult parse, Option<string> node,
        Option<string[]> models, bool serves, CancellationToken cancellationToken) => CliErrors.RunAsync(name, async () =>
    {
        var nodeAddress = MarketplaceArguments.Address("--node", parse.GetValue(node)!);
        var hashes = await ModelsAsync(parse.GetValue(models)!, cancellationToken);
        var sender = await account.OpenAsync(parse, cancellationToken);
        var registry = sender.Contracts.RegistryFor(sender.Web3);
        foreach (var model in hashes)
        {
            var transaction = await registry.SetNodeModelAsync(nodeAddress, model, serves, cancellationToken);
            Console.WriteLine($"node {nodeAddress} {(serves ? "serves" : "no longer serves")} model {model} (transaction {transaction.Hash})");
        }

        await PrintAuthorisationAsync(registry, nodeAddress, serves ? hashes : [], cancellationToken);
        return 0;
    });

    private static async Task PrintAuthorisationAsync(ModelRegistryClient registry, EvmAddress node, IReadOnlyList<Bytes32> models, CancellationToken cancellationToken)
    {
        foreach (var model in models)
        {
            Console.WriteLine(await registry.IsNodeAuthorizedAsync(node, model, cancellationToken)
                ? $"  model {model}: authorised"
                : $"  model {model}: not authorised yet; its owner runs 'provenance model approve-node --node {node}' or opens the model");
        }
    }

    private static async Task<IReadOnlyList<Bytes32>> ModelsAsync(IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        var hashes = new List<Bytes32>();
        foreach (var text in texts)
        {
            hashes.Add(await MarketplaceArguments.ModelAsync("--model", text, cancellationToken));
        }

        return hashes;
    }
}
