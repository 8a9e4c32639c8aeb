using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Fixtures;

/// <summary>One real anvil for the test collection; each test deploys its own contracts on it.</summary>
public sealed class LedgerChainFixture : IAsyncLifetime
{
    /// <summary>The anvil process.</summary>
    public AnvilNode Node { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Node = await AnvilNode.StartAsync(new AnvilOptions());

    /// <inheritdoc />
    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A fresh key with 100 ETH and a Web3 that signs with it.</summary>
    public Task<FundedAccount> NewAccountAsync() => FundedAccounts.CreateAsync(Node);

    /// <summary>
    /// A fresh deployment whose owner is also the anchorer, with one registered model and one
    /// node key registered for it (with the key's consent) and approved by the model's owner: what a
    /// ledger test needs to ingest and anchor records. Its registry clients mine the blocks a model
    /// commitment must age.
    /// </summary>
    public async Task<TestDeployment> DeployAsync()
    {
        var owner = await NewAccountAsync();
        var contracts = await ProvenanceContracts.DeployAsync(owner.Web3) with { AwaitBlock = Node.MineUntilAsync };
        var modelHash = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var registry = contracts.RegistryFor(owner.Web3);
        await registry.RegisterModelAsync(modelHash, "ipfs://model", pricePerGeneration: 0, royaltyBasisPoints: 500);
        var nodeKey = EthECKey.GenerateKey();
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        await registry.RegisterNodeAsync(nodeKey, [modelHash]);
        await registry.SetNodeApprovalAsync(modelHash, node, approved: true);
        var options = new LedgerChainOptions
        {
            RpcUrl = Node.RpcUrl,
            ChainId = (long)Node.ChainId,
            ModelRegistry = contracts.ModelRegistry.ToString(),
            ProvenanceLedger = contracts.ProvenanceLedger.ToString(),
            PaymentChannels = contracts.PaymentChannels.ToString(),
            Confirmations = 0,
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        return new TestDeployment(contracts, owner, LedgerChain.Open(options, owner.Key), modelHash, nodeKey);
    }
}

/// <summary>A deployment ready for ledger tests.</summary>
/// <param name="Contracts">The three contracts.</param>
/// <param name="Owner">Deployer, contract owner and anchorer.</param>
/// <param name="Chain">The ledger's chain access, anchoring as <paramref name="Owner"/>.</param>
/// <param name="ModelHash">A registered model.</param>
/// <param name="NodeKey">A node key registered (by <paramref name="Owner"/>) for that model and approved for it.</param>
public sealed record TestDeployment(ProvenanceContracts Contracts, FundedAccount Owner, LedgerChain Chain, Bytes32 ModelHash, EthECKey NodeKey);

/// <summary>The anvil shared by the chain tests that have no collection of their own (see LedgerChainCollections.cs).</summary>
[CollectionDefinition(Name)]
public sealed class LedgerChainCollection : ICollectionFixture<LedgerChainFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ledger-chain";
}
