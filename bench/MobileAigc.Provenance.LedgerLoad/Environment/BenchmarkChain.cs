using System.Globalization;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Testing.Chain;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;
using Nethereum.Web3;

namespace MobileAigc.Provenance.LedgerLoad.Environment;

/// <summary>
/// A managed anvil with the three contracts deployed by a fresh owner (also the anchorer), one
/// registered model and one node key registered for it: the same set-up as the ledger tests'
/// <c>LedgerChainFixture.DeployAsync</c>.
/// </summary>
public sealed class BenchmarkChain : IAsyncDisposable
{
    private BenchmarkChain(AnvilNode node, ProvenanceContracts contracts, EthECKey owner, Bytes32 modelHash, EthECKey nodeKey, long deploymentBlock)
    {
        Node = node;
        Contracts = contracts;
        Owner = owner;
        ModelHash = modelHash;
        NodeKey = nodeKey;
        DeploymentBlock = deploymentBlock;
    }

    /// <summary>The anvil process (auto-mining: a block per transaction).</summary>
    public AnvilNode Node { get; }

    /// <summary>The deployment.</summary>
    public ProvenanceContracts Contracts { get; }

    /// <summary>Deployer, contract owner and anchorer.</summary>
    public EthECKey Owner { get; }

    /// <summary>The registered model.</summary>
    public Bytes32 ModelHash { get; }

    /// <summary>The node key registered for <see cref="ModelHash"/>.</summary>
    public EthECKey NodeKey { get; }

    /// <summary>The block before the deployment: where the ledger's indexers start.</summary>
    public long DeploymentBlock { get; }

    /// <summary>The domain records are signed in.</summary>
    public ContractDomain Domain => ContractDomain.ForProvenanceLedger(Contracts.ChainId, Contracts.ProvenanceLedger);

    /// <summary>A Web3 without an account, for reading receipts.</summary>
    public IWeb3 Reader => new Web3(Node.RpcUrl.ToString());

    /// <summary>Starts anvil, deploys, registers a model and a node (with its key's consent), and approves the node for the model.</summary>
    public static async Task<BenchmarkChain> StartAsync(CancellationToken cancellationToken = default)
    {
        var node = await AnvilNode.StartAsync(new AnvilOptions(), cancellationToken);
        try
        {
            var (owner, _, web3) = await FundedAccounts.CreateAsync(node, cancellationToken: cancellationToken);
            var deploymentBlock = (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            // Auto-mining anvil: the registry clients mine the blocks a model commitment must age.
            var contracts = await ProvenanceContracts.DeployAsync(web3, cancellationToken) with { AwaitBlock = node.MineUntilAsync };
            var modelHash = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
            var registry = contracts.RegistryFor(web3);
            await registry.RegisterModelAsync(modelHash, "ipfs://ledger-load-model", pricePerGeneration: 0, royaltyBasisPoints: 500, cancellationToken);
            var nodeKey = EthECKey.GenerateKey();
            await registry.RegisterNodeAsync(nodeKey, [modelHash], cancellationToken);
            await registry.SetNodeApprovalAsync(modelHash, EvmAddress.Parse(nodeKey.GetPublicAddress()), approved: true, cancellationToken);
            return new BenchmarkChain(node, contracts, owner, modelHash, nodeKey, deploymentBlock);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes the owner's key as a Web3 Secret Storage keystore and its passphrase in
    /// <paramref name="directory"/>, and returns the ledger's chain settings for this deployment.
    /// </summary>
    /// <remarks>
    /// The scrypt cost is low (N = 2^10) on purpose: a throwaway key on a development chain, decrypted
    /// once per start; production keystores keep the default cost.
    /// </remarks>
    public async Task<Dictionary<string, string>> LedgerSettingsAsync(string directory)
    {
        var keystore = Path.Combine(directory, "anchorer.json");
        var passphraseFile = Path.Combine(directory, "anchorer.passphrase");
        var passphrase = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            passphrase, Owner.GetPrivateKeyAsBytes(), Owner.GetPublicAddress(), new ScryptParams { Dklen = 32, N = 1 << 10, R = 8, P = 1 });
        await File.WriteAllTextAsync(keystore, json);
        await File.WriteAllTextAsync(passphraseFile, passphrase);
        return new Dictionary<string, string>
        {
            ["Ledger:Chain:RpcUrl"] = Node.RpcUrl.ToString(),
            ["Ledger:Chain:ChainId"] = Node.ChainId.ToString(CultureInfo.InvariantCulture),
            ["Ledger:Chain:ModelRegistry"] = Contracts.ModelRegistry.ToString(),
            ["Ledger:Chain:ProvenanceLedger"] = Contracts.ProvenanceLedger.ToString(),
            ["Ledger:Chain:DeploymentBlock"] = DeploymentBlock.ToString(CultureInfo.InvariantCulture),
            ["Ledger:Chain:AnchorerKeystorePath"] = keystore,
            ["Ledger:Chain:AnchorerPassphraseFile"] = passphraseFile,
        };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Node.DisposeAsync();
}
