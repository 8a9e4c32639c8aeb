using System.CommandLine;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>
/// <c>provenance deploy</c>: deploys the registry, the ledger contract and the payment channels from an operator's
/// keystore to any JSON-RPC node, and writes the deployment file (<see cref="DeploymentFile"/>) that the other
/// commands take as <c>--deployment</c>. The deployer owns the ledger contract and is its first anchorer.
/// </summary>
internal static class DeployCommand
{
    private static readonly (DeploymentStep Step, string Label)[] Steps =
    [
        (DeploymentStep.ModelRegistry, "Deploy ModelRegistry"),
        (DeploymentStep.ProvenanceLedger, "Deploy ProvenanceLedger"),
        (DeploymentStep.PaymentChannels, "Deploy PaymentChannels"),
        (DeploymentStep.DeployerAnchorer, "Make the deployer an anchorer"),
    ];

    public static Command Create()
    {
        var rpc = ChainOptions.Rpc();
        var keystore = ChainOptions.Keystore("--keystore", "The deployer's encrypted keystore; it pays the gas and owns the ledger contract.");
        var passphraseFile = ChainOptions.PassphraseFile("A file holding the keystore's passphrase. Default: asked on the terminal.");
        var output = new Option<FileInfo>("--out") { Description = "Where to write the deployment file.", DefaultValueFactory = _ => new FileInfo("deployment.json") };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing deployment file." };
        var chainId = new Option<long?>("--chain-id") { Description = "The chain id the node must report; deploying to another chain is refused. Default: whatever the node reports." };

        var deploy = new Command("deploy", "Deploy the three contracts from your keystore and write a deployment file (addresses, chain id, deployment block, deployer).")
        {
            rpc, chainId, keystore, passphraseFile, output, force,
        };
        deploy.SetAction((parse, cancellationToken) => CliErrors.RunAsync("deploy", async () =>
        {
            var file = parse.GetValue(output)!;
            var overwrite = parse.GetValue(force);
            if (file.Exists && !overwrite)
            {
                throw new IOException($"A deployment file exists at '{file.FullName}' already; pass --force to replace it.");
            }

            var chain = await ChainConnection.OpenAsync(parse.GetValue(rpc)!);
            if (parse.GetValue(chainId) is { } expected && chain.ChainId != expected)
            {
                throw new ArgumentException($"The node at {chain.Rpc} is on chain {chain.ChainId}, not {expected} (--chain-id); nothing was deployed.");
            }

            var key = KeystoreFile.Open(parse.GetValue(keystore)!, parse.GetValue(passphraseFile));
            var web3 = chain.SignerFor(key);
            var deployer = EvmAddress.Parse(key.GetPublicAddress());

            var contracts = await DeployWithProgressAsync(web3, cancellationToken);
            // Printed before the file is written: should writing fail, the deployed addresses are not lost.
            Console.WriteLine($"deployed on chain {contracts.ChainId} from block {contracts.DeploymentBlock} by {deployer}:");
            Console.WriteLine($"  ModelRegistry    {contracts.ModelRegistry}");
            Console.WriteLine($"  ProvenanceLedger {contracts.ProvenanceLedger} (owner and anchorer {deployer})");
            Console.WriteLine($"  PaymentChannels  {contracts.PaymentChannels}");
            await new DeploymentFile(contracts, deployer).WriteAsync(file.FullName, overwrite, cancellationToken);
            Console.WriteLine($"deployment file: {file.FullName}");
            return 0;
        }));
        return deploy;
    }

    private static async Task<ProvenanceContracts> DeployWithProgressAsync(IWeb3 web3, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            // Logs and pipes (a container's init step): a line per step as it is mined, not a live display.
            return await ProvenanceContracts.DeployAsync(web3, new StepsDone(step =>
                Console.WriteLine($"done: {Steps.Single(s => s.Step == step).Label}")), cancellationToken);
        }

        ProvenanceContracts? contracts = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = Steps.ToDictionary(s => s.Step, s => context.AddTask(s.Label, maxValue: 1));
                contracts = await ProvenanceContracts.DeployAsync(web3, new StepsDone(step =>
                {
                    tasks[step].Value = 1;
                    tasks[step].StopTask();
                }), cancellationToken);
            });
        return contracts!;
    }

    /// <summary>Reports each step on the deploying thread, in order (unlike <see cref="Progress{T}"/>, which posts them).</summary>
    private sealed class StepsDone(Action<DeploymentStep> done) : IProgress<DeploymentStep>
    {
        public void Report(DeploymentStep value) => done(value);
    }
}
