using System.CommandLine;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>An account that sends transactions to the contracts of one deployment file.</summary>
/// <param name="Web3">Signs as the keystore's account, on the deployment's chain.</param>
/// <param name="Sender">The keystore's address.</param>
/// <param name="Contracts">The deployment's contracts.</param>
/// <param name="Rpc">The chain node's URL.</param>
internal sealed record OperatorAccount(IWeb3 Web3, EvmAddress Sender, ProvenanceContracts Contracts, Uri Rpc);

/// <summary>
/// <c>--deployment</c>, <c>--rpc</c>, <c>--keystore</c> and <c>--passphrase-file</c>: the options of every command that
/// sends a transaction to a deployment's contracts. The chain node must be on the deployment's chain.
/// </summary>
internal sealed class OperatorAccountOptions(string keystoreDescription)
{
    public Option<FileInfo> Deployment { get; } = ChainOptions.Deployment();

    public Option<string> Rpc { get; } = ChainOptions.Rpc();

    public Option<FileInfo> Keystore { get; } = ChainOptions.Keystore("--keystore", keystoreDescription);

    public Option<FileInfo?> PassphraseFile { get; } = ChainOptions.PassphraseFile("A file holding the keystore's passphrase. Default: asked on the terminal.");

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Deployment, Rpc, Keystore, PassphraseFile })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Reads the deployment file, checks the node's chain, then opens the keystore.</summary>
    /// <exception cref="FileNotFoundException">When the deployment file or the keystore is missing.</exception>
    /// <exception cref="FormatException">When the deployment file is not one.</exception>
    /// <exception cref="ArgumentException">When the node is on another chain than the deployment, or the keystore does not open.</exception>
    /// <exception cref="InvalidOperationException">When the node does not answer.</exception>
    public async Task<OperatorAccount> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var deployment = await ReadDeploymentAsync(parse, cancellationToken);
        var chain = await ConnectAsync(parse, deployment);
        var key = KeystoreFile.Open(parse.GetValue(Keystore)!, parse.GetValue(PassphraseFile));
        return new OperatorAccount(chain.SignerFor(key), EvmAddress.Parse(key.GetPublicAddress()), deployment.Contracts, chain.Rpc);
    }

    /// <summary>The deployment file given by <see cref="Deployment"/>.</summary>
    public Task<DeploymentFile> ReadDeploymentAsync(ParseResult parse, CancellationToken cancellationToken) =>
        DeploymentFile.ReadAsync(parse.GetValue(Deployment)!.FullName, cancellationToken);

    /// <summary>The chain node given by <see cref="Rpc"/>, checked to be on <paramref name="deployment"/>'s chain and to hold its contracts.</summary>
    public async Task<ChainConnection> ConnectAsync(ParseResult parse, DeploymentFile deployment)
    {
        var chain = await ChainConnection.OpenAsync(parse.GetValue(Rpc)!);
        await chain.CheckDeploymentAsync(deployment, parse.GetValue(Deployment)!.FullName);
        return chain;
    }
}
