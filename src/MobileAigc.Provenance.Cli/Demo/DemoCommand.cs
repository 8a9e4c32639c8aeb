using System.CommandLine;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Errors;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo;

/// <summary><c>provenance demo</c>: the whole round trip on a managed local anvil.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var records = new Option<int>("--records")
        {
            Description = "How many provenance records to sign and anchor in the Merkle batch (1 to 65,536).",
            DefaultValueFactory = _ => 8,
        };
        records.Validators.Add(result =>
        {
            if (result.GetValue(records) is < 1 or > 65_536)
            {
                result.AddError("--records must be between 1 and 65,536.");
            }
        });
        var modelFile = new Option<FileInfo>("--model-file")
        {
            Description = "A model file (.onnx) whose SHA-256 becomes the registered model id. Default: a built-in descriptor.",
        };
        modelFile.AcceptExistingOnly();
        var anvilPath = new Option<string?>("--anvil")
        {
            Description = "The anvil executable. Default: ANVIL_PATH, else contracts/node_modules/.bin/anvil.",
        };

        var command = new Command("demo", "Start a local anvil, deploy the contracts and run one round trip: register a model and a node, sign and anchor a batch of records, verify them on chain, open a payment channel, settle it and close it.")
        {
            records, modelFile, anvilPath,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await using var anvil = await AnvilNode.StartAsync(new AnvilOptions { ExecutablePath = parse.GetValue(anvilPath) }, cancellationToken);
                await new RoundTrip(anvil, AnsiConsole.Console, TimeProvider.System).RunAsync(parse.GetValue(records), parse.GetValue(modelFile), cancellationToken);
                return 0;
            }
            catch (Exception e) when (e is ContractRevertException or FileNotFoundException or TimeoutException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"demo failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
