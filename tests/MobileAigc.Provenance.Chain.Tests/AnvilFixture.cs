using System.Numerics;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace MobileAigc.Provenance.Chain.Tests;

/// <summary>One real anvil for the whole test collection, on a free loopback port.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    private static readonly BigInteger HundredEth = BigInteger.Pow(10, 20);

    public AnvilNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await AnvilNode.StartAsync(new AnvilOptions());

    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>A fresh key with 100 ETH and a Web3 that signs with it.</summary>
    public async Task<ChainAccount> NewAccountAsync()
    {
        var key = EthECKey.GenerateKey();
        var account = new Account(key, (BigInteger)Node.ChainId);
        var address = EvmAddress.Parse(account.Address);
        await Node.SetBalanceAsync(address, HundredEth);
        var web3 = Node.Web3For(account);
        web3.TransactionManager.UseLegacyAsDefault = false;
        return new ChainAccount(key, address, web3);
    }

    /// <summary>A fresh deployment of the three contracts, owned by a fresh account.</summary>
    public async Task<(ProvenanceContracts Contracts, ChainAccount Owner)> DeployAsync()
    {
        var owner = await NewAccountAsync();
        return (await ProvenanceContracts.DeployAsync(owner.Web3), owner);
    }
}

/// <summary>A funded account: its key, its address and a Web3 that sends from it.</summary>
public sealed record ChainAccount(EthECKey Key, EvmAddress Address, IWeb3 Web3);

[CollectionDefinition(Name)]
public sealed class AnvilCollection : ICollectionFixture<AnvilFixture>
{
    public const string Name = "anvil";
}
