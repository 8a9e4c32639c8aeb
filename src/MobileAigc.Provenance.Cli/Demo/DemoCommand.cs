using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Cli.Demo.Serving;
using MobileAigc.Provenance.Cli.Demo.Steps;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo;

/// <summary><c>provenance demo</c>: the whole round trip on a managed local anvil, with the edge node and the ledger as their own processes.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Images the creator asks the edge node for, each paid through the channel (0 to 100).", DefaultValueFactory = _ => 2 };
        var texts = new Option<int>("--texts") { Description = "Texts the creator asks the edge node for (0 to 1,000).", DefaultValueFactory = _ => 2 };
        images.Validators.Add(r => { if (r.GetValue(images) is < 0 or > 100) { r.AddError("--images must be 0 to 100."); } });
        texts.Validators.Add(r => { if (r.GetValue(texts) is < 0 or > 1_000) { r.AddError("--texts must be 0 to 1,000."); } });
        var models = new Option<string>("--models") { Description = "The models folder the edge node serves.", DefaultValueFactory = _ => "models" };
        var output = new Option<string>("--out") { Description = "Where generated files, their records and the services' folders and logs go.", DefaultValueFactory = _ => Path.Combine("data", "demo") };
        var anvilPath = new Option<string?>("--anvil") { Description = "The anvil executable. Default: ANVIL_PATH, else contracts/node_modules/.bin/anvil." };
        var ledgerHost = new Option<string?>("--ledger-host") { Description = "The ledger host's assembly (ledger.dll). Default: its build output in this repository." };
        var nodeHost = new Option<string?>("--node-host") { Description = "The edge node host's assembly (edge-node.dll). Default: its build output in this repository." };
        var serve = new Option<bool>("--serve")
        {
            Description = "After the round trip, leave anvil, the ledger and the edge node running (on the ports below) and print how to use them, until Ctrl-C or SIGTERM. "
                + "Starts from a clean slate: wipes node/, ledger/ and keys/ in --out first.",
        };
        var anvilPort = PortOption("--anvil-port", "anvil's JSON-RPC", ServeDefaults.Anvil);
        var ledgerPort = PortOption("--ledger-port", "the ledger service (web page, API reference, API)", ServeDefaults.Ledger);
        var nodePort = PortOption("--node-port", "the edge node", ServeDefaults.Node);

        var command = new Command("demo", "Start a local anvil and deploy the contracts; start an edge node and a ledger as their own processes; have a creator pay per image through a payment channel and get watermarked images and texts with signed records; anchor them in Merkle batches; trace edited copies back to their records; settle with royalties, withdraw and close.")
        {
            images, texts, models, output, anvilPath, ledgerHost, nodeHost, serve, anvilPort, ledgerPort, nodePort,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(images) + parse.GetValue(texts) == 0)
            {
                await Console.Error.WriteLineAsync("demo: generate at least one image or text (--images, --texts).");
                return 1;
            }

            var serving = parse.GetValue(serve);
            var ports = serving ? new LocalPorts(parse.GetValue(anvilPort), parse.GetValue(ledgerPort), parse.GetValue(nodePort)) : LocalPorts.AnyFree;
            AnvilNode? anvil = null;
            try
            {
                var hosts = ServiceHosts.Find(parse.GetValue(ledgerHost), parse.GetValue(nodeHost));
                ports.EnsureFree();
                anvil = await AnvilNode.StartAsync(new AnvilOptions { ExecutablePath = parse.GetValue(anvilPath), Port = ports.Anvil }, cancellationToken);
                var modelsDirectory = Path.GetFullPath(parse.GetValue(models)!);
                if (!Directory.Exists(modelsDirectory))
                {
                    throw new DirectoryNotFoundException($"No models folder at '{modelsDirectory}' (--models).");
                }

                var plan = new RoundTripPlan(parse.GetValue(images), parse.GetValue(texts), modelsDirectory, Path.GetFullPath(parse.GetValue(output)!));
                if (serving)
                {
                    ServeDefaults.WipeEarlierRun(plan.OutputDirectory);
                }

                var script = new Script(AnsiConsole.Console, TimeProvider.System);
                await new RoundTrip(anvil, hosts, ports, script)
                    .RunAsync(plan, serving ? (network, token) => ServeSession.ServeAsync(script.Console, Console.Out, network, token) : null, cancellationToken);
                if (serving)
                {
                    var rpc = anvil.RpcUrl;
                    await anvil.DisposeAsync();
                    anvil = null;
                    script.Step("Stopped anvil", $"{rpc}: every process the demo started has stopped");
                }

                return 0;
            }
            catch (Exception e) when (e is ContractRevertException or FileNotFoundException or DirectoryNotFoundException or TimeoutException
                or InvalidOperationException or InvalidModelException or ValidationException or EdgeNodeProblemException or HttpRequestException
                or ArgumentException or IOException)
            {
                await Console.Error.WriteLineAsync($"demo failed: {e.Message}");
                return 1;
            }
            finally
            {
                if (anvil is not null)
                {
                    await anvil.DisposeAsync();
                }
            }
        });
        return command;
    }

    private static Option<int> PortOption(string name, string what, int port)
    {
        var option = new Option<int>(name) { Description = $"With --serve: the loopback port of {what}.", DefaultValueFactory = _ => port };
        option.Validators.Add(r => { if (r.GetValue(option) is < 1 or > 65_535) { r.AddError($"{name} must be 1 to 65535."); } });
        return option;
    }
}
