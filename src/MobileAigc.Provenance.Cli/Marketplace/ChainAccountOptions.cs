using System.CommandLine;
using System.Numerics;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>
/// The options every command that sends a transaction shares: the chain node, its id, and the
/// sender's encrypted keystore (Web3 Secret Storage) with its passphrase in a file or asked on the
/// terminal, never a key on the command line; optionally a deployment file naming the contracts and the chain.
/// </summary>
internal sealed class ChainAccountOptions
{
    public Option<string> Rpc { get; } = ChainOptions.Rpc();

    public Option<long> ChainId { get; } = new("--chain-id") { Description = "The chain id the node must report (31337 for anvil).", DefaultValueFactory = _ => 31337 };

    public Option<FileInfo> Keystore { get; } = ChainOptions.Keystore("--keystore", "The sender's encrypted keystore (Web3 Secret Storage JSON).");

    public Option<FileInfo?> PassphraseFile { get; } = ChainOptions.PassphraseFile("A file holding the keystore's passphrase. Default: asked on the terminal.");

    public Option<FileInfo?> Deployment { get; } = new("--deployment")
    {
        Description = "The deployment file 'provenance deploy' wrote: the contract's address and the chain id come from it instead of the address option and --chain-id.",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Rpc, ChainId, Keystore, PassphraseFile, Deployment })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// A contract's address: the one <paramref name="addressOption"/> gives, or the one <paramref name="fromDeployment"/>
    /// picks out of <see cref="Deployment"/>'s file; exactly one of the two options must be given.
    /// </summary>
    /// <exception cref="ArgumentException">When neither or both are given, or the address is malformed.</exception>
    /// <exception cref="FileNotFoundException">When the deployment file is missing.</exception>
    /// <exception cref="FormatException">When the deployment file is not one.</exception>
    public async Task<EvmAddress> ContractAsync(
        ParseResult parse, Option<string> addressOption, Func<ProvenanceContracts, EvmAddress> fromDeployment, CancellationToken cancellationToken)
    {
        var text = parse.GetValue(addressOption);
        var deployment = await DeploymentAsync(parse, cancellationToken);
        return (text, deployment) switch
        {
            ({ } given, null) => MarketplaceArguments.Address(addressOption.Name, given),
            (null, { } file) => fromDeployment((await OnChainAsync(parse, file)).Contracts),
            (null, null) => throw new ArgumentException($"Give the contract with {addressOption.Name} or --deployment."),
            _ => throw new ArgumentException($"Give either {addressOption.Name} or --deployment, not both."),
        };
    }

    // Read-only commands send nothing, but would read another chain's contracts at the deployment's addresses.
    private async Task<DeploymentFile> OnChainAsync(ParseResult parse, DeploymentFile deployment)
    {
        await (await ChainConnection.OpenAsync(parse.GetValue(Rpc)!)).CheckDeploymentAsync(deployment, parse.GetValue(Deployment)!.FullName);
        return deployment;
    }

    private async Task<DeploymentFile?> DeploymentAsync(ParseResult parse, CancellationToken cancellationToken) =>
        parse.GetValue(Deployment) is { } file ? await DeploymentFile.ReadAsync(file.FullName, cancellationToken) : null;

    /// <summary>A Web3 that signs as the keystore's account, after checking the node is on the expected chain.</summary>
    /// <exception cref="ArgumentException">When the URL, the keystore or its passphrase is wrong, or the node is on another chain.</exception>
    public async Task<(IWeb3 Web3, EthECKey Key, EvmAddress Address, BigInteger ChainId)> OpenAsync(ParseResult parse)
    {
        var deployment = await DeploymentAsync(parse, CancellationToken.None);
        var chainId = deployment?.Contracts.ChainId ?? new BigInteger(parse.GetValue(ChainId));
        var expected = deployment is null ? "--chain-id" : "the deployment file";
        var chain = await ChainConnection.OpenAsync(parse.GetValue(Rpc)!);
        if (chain.ChainId != chainId)
        {
            throw new ArgumentException($"The node at {chain.Rpc} is on chain {chain.ChainId}, not {chainId} ({expected}).");
        }

        var key = KeystoreFile.Open(parse.GetValue(Keystore)!, parse.GetValue(PassphraseFile));
        return (chain.SignerFor(key), key, EvmAddress.Parse(key.GetPublicAddress()), chainId);
    }
}

/// <summary>Parsers of the marketplace commands' values, each failure naming the option.</summary>
internal static class MarketplaceArguments
{
    public static EvmAddress Address(string option, string text) =>
        EvmAddress.TryParse(text, out var address) ? address : throw new ArgumentException($"{option} must be an address (0x followed by 40 hex digits); got '{text}'.");

    public static Bytes32 Hash(string option, string text) =>
        Bytes32.TryParse(text, out var hash) ? hash : throw new ArgumentException($"{option} must be 0x followed by 64 hex digits; got '{text}'.");

    public static BigInteger Amount(string option, string text) =>
        BigInteger.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new ArgumentException($"{option} must be a whole number of the token's smallest unit (wei for ETH); got '{text}'.");

    /// <summary>The model's id: a 0x hash as given, or the SHA-256 of an .onnx file.</summary>
    public static async Task<Bytes32> ModelAsync(string option, string text, CancellationToken cancellationToken)
    {
        if (Bytes32.TryParse(text, out var hash))
        {
            return hash;
        }

        var file = new FileInfo(text);
        if (!file.Exists)
        {
            throw new ArgumentException($"{option} must be a 0x model hash or an .onnx file; no file at '{file.FullName}'.");
        }

        await using var stream = file.OpenRead();
        return Bytes32.FromBytes(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
    }
}
