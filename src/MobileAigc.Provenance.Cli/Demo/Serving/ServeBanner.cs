using System.Globalization;
using System.Text.RegularExpressions;
using MobileAigc.Provenance.Core.Api;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo.Serving;

/// <summary>
/// What <c>provenance demo --serve</c> prints once the network is up: where everything is, every actor's keystore,
/// and commands a second terminal can paste as they are. Plain text (no markup): paths and commands are copied from it.
/// </summary>
internal static partial class ServeBanner
{
    /// <summary>The last line of the banner: the network is up. Scripts and tests wait for it.</summary>
    public const string ReadyLine = "ready: serving until Ctrl-C (SIGINT) or SIGTERM";

    /// <summary>The prefix of every copy-paste command line.</summary>
    public const string CommandPrefix = "  $ ";

    /// <summary>
    /// Prints the banner for <paramref name="network"/> and <paramref name="keys"/>: its title on <paramref name="console"/>, its
    /// lines on <paramref name="output"/> as they are (never wrapped: a wrapped command cannot be pasted).
    /// </summary>
    public static void Print(IAnsiConsole console, TextWriter output, ServedNetwork network, ActorKeystores keys)
    {
        var ledger = network.Ledger.BaseAddress;
        var node = network.Node.BaseAddress;
        var services = network.Services;
        var adminKey = Path.Combine(services.LedgerDirectory, "admin.key");
        console.Write(new Rule("[bold]local network serving[/]").LeftJustified());
        foreach (var line in new[]
        {
            $"Verification page  {ledger}",
            $"API reference      {ledger}scalar/v1 (OpenAPI description: {ledger}openapi/v1.json)",
            $"Ledger             {ledger} (process {network.Ledger.ProcessId}, log {network.Ledger.LogFile}); admin key file {adminKey}",
            $"Edge node          {node} (process {network.Node.ProcessId}, log {network.Node.LogFile}); node address {network.Served.Node}; provider key file {services.NodeProviderKeyFile.FullName}",
            $"Models             image {network.Served.Image.Name} {network.Served.Image.ModelHash}, text {network.Served.Text.Name} {network.Served.Text.ModelHash}",
            $"Chain (anvil)      {network.Anvil.RpcUrl} chain id {network.Anvil.ChainId.ToString(CultureInfo.InvariantCulture)}",
            $"Deployment file    {services.DeploymentFile}",
            "Keystores          (role, address, keystore, passphrase file)",
        })
        {
            output.WriteLine(line);
        }

        foreach (var key in keys.All)
        {
            output.WriteLine($"  {key.Role,-12} {key.Actor.Address} {key.Keystore} {key.PassphraseFile}");
        }

        output.WriteLine($"Data               in {network.OutputDirectory}; the next --serve start wipes node/, ledger/ and keys/ there (the chain starts afresh).");
        output.WriteLine("From a second terminal (curl and jq for the HTTP ones):");
        foreach (var (what, command) in Commands(network, keys, adminKey))
        {
            output.WriteLine($"  # {what}");
            output.WriteLine(CommandPrefix + command);
        }

        output.WriteLine(ReadyLine);
        output.Flush();
    }

    /// <summary>The copy-paste commands: generate, verify, pay, earn, audit, each as the role that would run it.</summary>
    public static IReadOnlyList<(string What, string Command)> Commands(ServedNetwork network, ActorKeystores keys, string adminKey)
    {
        var ledger = network.Ledger.BaseAddress.ToString();
        var node = network.Node.BaseAddress.ToString();
        var cli = $"dotnet {Quote(Path.Combine(AppContext.BaseDirectory, "provenance.dll"))}";
        return
        [
            ("A creator generates a text through the node (the text model is free) into text.txt",
                $"curl -sf -X POST {node}{EdgeRoutes.GenerateText} -H 'Content-Type: application/json' -d '{{\"prompt\":\"And it came to pass\",\"maxNewTokens\":200}}' | jq -j .text > text.txt"),
            ("Anyone verifies it on the ledger (the node delivers its record within a second)",
                $"curl -sf -F file=@text.txt {ledger}{LedgerVerification.VerifyPath}"),
            ("The creator opens a payment channel for the image model at this node (0.001 ETH)",
                $"{cli} channel open --rpc {network.Anvil.RpcUrl} --deployment {Quote(network.Services.DeploymentFile)} --keystore {Quote(keys.Creator.Keystore)} "
                + $"--passphrase-file {Quote(keys.Creator.PassphraseFile)} --node-address {network.Served.Node} --model {network.Served.Image.ModelHash} --amount 1000000000000000"),
            ("The provider reads the node's earnings",
                $"{cli} earnings --node {node} --provider-key-file {Quote(network.Services.NodeProviderKeyFile.FullName)}"),
            ("The auditor lists the ledger's records",
                $"curl -sf -H \"Authorization: Bearer $(cat {Quote(adminKey)})\" {ledger}api/audit/records"),
        ];
    }

    // Paths are pasted into a shell: quoted when they hold anything a shell would read.
    private static string Quote(string text) => SafeForShell().IsMatch(text) ? text : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    [GeneratedRegex("^[A-Za-z0-9_./:=@+-]+$")]
    private static partial Regex SafeForShell();
}
