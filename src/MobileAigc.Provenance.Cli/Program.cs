using System.CommandLine;
using MobileAigc.Provenance.Cli.Administration;
using MobileAigc.Provenance.Cli.Availability;
using MobileAigc.Provenance.Cli.Credentials;
using MobileAigc.Provenance.Cli.Demo;
using MobileAigc.Provenance.Cli.Edge;
using MobileAigc.Provenance.Cli.Hashing;
using MobileAigc.Provenance.Cli.Marketplace;
using MobileAigc.Provenance.Cli.Reconciliation;
using MobileAigc.Provenance.Cli.Watermarks;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Logs and pipes: one line per step instead of wrapping hashes at 80 columns.
    AnsiConsole.Profile.Width = 320;
}

var root = new RootCommand("MobileAigc.Provenance: provable, traceable and paid-for AI-generated content.")
{
    DemoCommand.Create(),
    KeystoreCommand.Create(),
    DeployCommand.Create(),
    NodeCommand.Create(),
    DevChainCommand.Create(),
    EdgeCommand.Create(),
    WatermarkCommand.Create(),
    HashCommand.Create(),
    VerifyExportCommand.Create(),
    CredentialsCommand.Create(),
    LedgerReconcileCommand.Create(),
    ModelCommand.Create(),
    ChannelCommand.Create(),
    OffersCommand.Create(),
    EarningsCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
