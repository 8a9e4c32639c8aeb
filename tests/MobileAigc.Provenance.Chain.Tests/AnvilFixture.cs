using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Deployment;

namespace MobileAigc.Provenance.Chain.Tests;

/// <summary>One real anvil for the whole test collection, on a free loopback port.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    public AnvilNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await AnvilNode.StartAsync(new AnvilOptions());

    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A fresh key with 100 ETH and a Web3 that signs with it.</summary>
    public Task<FundedAccount> NewAccountAsync() => FundedAccounts.CreateAsync(Node);

    /// <summary>A fresh deployment of the three contracts, owned by a fresh account; its registry clients mine the blocks a model commitment must age.</summary>
    public async Task<(ProvenanceContracts Contracts, FundedAccount Owner)> DeployAsync()
    {
        var owner = await NewAccountAsync();
        return (await ProvenanceContracts.DeployAsync(owner.Web3) with { AwaitBlock = Node.MineUntilAsync }, owner);
    }
}

[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}
