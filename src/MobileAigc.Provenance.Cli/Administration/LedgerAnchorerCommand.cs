using System.CommandLine;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.Generated.ProvenanceLedger;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Marketplace;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>
/// <c>provenance ledger anchorer add|remove ADDRESS</c>: the ledger contract's owner lets an account (a ledger
/// service's anchorer key) anchor batches, or stops it; <c>show ADDRESS</c> tells whether it may (no keystore).
/// </summary>
internal static class LedgerAnchorerCommand
{
    public static Command Create()
    {
        var account = new OperatorAccountOptions("The ledger contract owner's encrypted keystore (the deployer's).");
        var address = new Argument<string>("address") { Description = "The anchorer's address (a ledger service's anchorer key)." };
        var add = new Command("add", "Allow an account to anchor batches; owner only.") { address };
        account.AddTo(add);
        add.SetAction((parse, cancellationToken) => SetAsync("ledger anchorer add", account, parse, address, allowed: true, cancellationToken));
        var remove = new Command("remove", "Stop an account anchoring batches; owner only. Batches it anchored stay anchored.") { address };
        account.AddTo(remove);
        remove.SetAction((parse, cancellationToken) => SetAsync("ledger anchorer remove", account, parse, address, allowed: false, cancellationToken));
        var deployment = ChainOptions.Deployment();
        var rpc = ChainOptions.Rpc();
        var show = new Command("show", "Tell whether an account may anchor batches (prints 'may anchor' or 'may not anchor').") { address, deployment, rpc };
        show.SetAction((parse, cancellationToken) => CliErrors.RunAsync("ledger anchorer show", async () =>
        {
            var anchorer = MarketplaceArguments.Address("address", parse.GetValue(address)!);
            var file = parse.GetValue(deployment)!;
            var read = await DeploymentFile.ReadAsync(file.FullName, cancellationToken);
            var chain = await ChainConnection.OpenAsync(parse.GetValue(rpc)!);
            await chain.CheckDeploymentAsync(read, file.FullName);
            var ledger = new ProvenanceLedgerService(new Nethereum.Web3.Web3(chain.Rpc.ToString()), read.Contracts.ProvenanceLedger.ToString());
            var allowed = await ledger.IsAnchorerQueryAsync(anchorer.ToString());
            Console.WriteLine($"{anchorer} {(allowed ? "may anchor" : "may not anchor")} in ProvenanceLedger {read.Contracts.ProvenanceLedger}");
            return 0;
        }));
        return new Command("anchorer", "Choose the accounts that may anchor batches in the ledger contract.") { add, remove, show };
    }

    private static Task<int> SetAsync(string name, OperatorAccountOptions account, ParseResult parse, Argument<string> address, bool allowed,
        CancellationToken cancellationToken) => CliErrors.RunAsync(name, async () =>
    {
        var anchorer = MarketplaceArguments.Address("address", parse.GetValue(address)!);
        var sender = await account.OpenAsync(parse, cancellationToken);
        var transaction = await sender.Contracts.LedgerFor(sender.Web3).SetAnchorerAsync(anchorer, allowed, cancellationToken);
        Console.WriteLine($"{anchorer} {(allowed ? "may anchor" : "may no longer anchor")} in ProvenanceLedger {sender.Contracts.ProvenanceLedger} (transaction {transaction.Hash}, block {transaction.BlockNumber})");
        return 0;
    });
}
