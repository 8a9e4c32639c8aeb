using System.CommandLine;

namespace MobileAigc.Provenance.Cli.Common;

/// <summary>The chain options the operator and marketplace commands share, described the same way everywhere.</summary>
internal static class ChainOptions
{
    /// <summary>The chain node's JSON-RPC URL (default: a local anvil).</summary>
    public static Option<string> Rpc() =>
        new("--rpc") { Description = "The chain node's JSON-RPC URL.", DefaultValueFactory = _ => "http://127.0.0.1:8545" };

    /// <summary>A sender's encrypted keystore.</summary>
    public static Option<FileInfo> Keystore(string name, string description) => new(name) { Description = description, Required = true };

    /// <summary>An optional passphrase file (<c>--password-file</c> is accepted too); without it the passphrase is asked on the terminal.</summary>
    public static Option<FileInfo?> PassphraseFile(string description, string name = "--passphrase-file") =>
        new(name, name.Replace("passphrase", "password", StringComparison.Ordinal)) { Description = description };

    /// <summary>The deployment file <c>provenance deploy</c> wrote.</summary>
    public static Option<FileInfo> Deployment() =>
        new("--deployment") { Description = "The deployment file 'provenance deploy' wrote (contract addresses, chain id, deployment block).", Required = true };
}
