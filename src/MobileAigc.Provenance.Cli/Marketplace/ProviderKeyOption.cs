using System.CommandLine;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>The <c>--provider-key-file</c> option of the commands that read an edge node's provider-only routes.</summary>
internal static class ProviderKeyOption
{
    /// <summary>The option; <paramref name="required"/> when the command reads nothing else.</summary>
    public static Option<FileInfo> Create(bool required) => new("--provider-key-file")
    {
        Description = "The node's provider key file (provider.key in the node's data folder): provider-only reads present it as a bearer token.",
        Required = required,
    };
}
