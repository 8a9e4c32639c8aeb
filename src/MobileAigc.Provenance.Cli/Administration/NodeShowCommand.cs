using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Marketplace;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>
/// <c>provenance node show --node 0x… [--model …]</c>: what the registry holds about a node key (registered or not, its
/// operator, its endpoint) and, per model given, whether its owner approved the node and whether the node is authorised.
/// Reads only: no keystore. Scripts (the compose init) read its stable words to decide which step is still to do.
/// </summary>
internal static class NodeShowCommand
{
    /// <summary>The line's start when the key is registered: <c>node 0x…: registered, operator 0x…</c>.</summary>
    public const string Registered = "registered, operator";

    /// <summary>The line's start when it is not: <c>node 0x…: not registered</c>.</summary>
    public const string NotRegistered = "not registered";

    public static Command Create()
    {
        var deployment = ChainOptions.Deployment();
        var rpc = ChainOptions.Rpc();
        var node = new Option<string>("--node") { Description = "The node key's address.", Required = true };
        var models = new Option<string[]>("--model") { Description = "A model to report approval and authorisation for: its 0x SHA-256 or its .onnx file (repeatable).", AllowMultipleArgumentsPerToken = true };
        var show = new Command("show", "What the registry holds about a node: registered, operator, endpoint, and per model approved and authorised.") { deployment, rpc, node, models };
        show.SetAction((parse, cancellationToken) => CliErrors.RunAsync("node show", async () =>
        {
            var nodeAddress = MarketplaceArguments.Address("--node", parse.GetValue(node)!);
            var file = parse.GetValue(deployment)!;
            var read = await Chain.Deployment.DeploymentFile.ReadAsync(file.FullName, cancellationToken);
            var chain = await ChainConnection.OpenAsync(parse.GetValue(rpc)!);
            await chain.CheckDeploymentAsync(read, file.FullName);
            var registry = read.Contracts.RegistryFor(new Nethereum.Web3.Web3(chain.Rpc.ToString()));

            var nodeOperator = await registry.NodeOperatorAsync(nodeAddress, cancellationToken);
            if (nodeOperator.IsZero)
            {
                var bound = await registry.NodeKeyOperatorAsync(nodeAddress, cancellationToken);
                Console.WriteLine($"node {nodeAddress}: {NotRegistered}{(bound.IsZero ? "" : $" (deregistered; the key stays bound to operator {bound})")}");
            }
            else
            {
                var endpoint = await registry.GetNodeEndpointAsync(nodeAddress, cancellationToken);
                Console.WriteLine($"node {nodeAddress}: {Registered} {nodeOperator}, endpoint {endpoint?.ToString() ?? "none"}");
            }

            foreach (var text in parse.GetValue(models) ?? [])
            {
                var model = await MarketplaceArguments.ModelAsync("--model", text, cancellationToken);
                var approved = await registry.IsNodeApprovedAsync(nodeAddress, model, cancellationToken);
                var authorised = await registry.IsNodeAuthorizedAsync(nodeAddress, model, cancellationToken);
                Console.WriteLine($"  model {model}: approved {YesNo(approved)}, authorised {YesNo(authorised)}");
            }

            return 0;
        }));
        return show;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
