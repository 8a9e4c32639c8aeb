using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Payments;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>What the node's chain reader keeps and for how long, against a real anvil.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class PaymentChainReaderTests(PaymentChainFixture chain)
{
    [Fact]
    public async Task GetPriceAndOwner_ModelRegisteredAfterAReadFoundItUnregistered_AreSeenAtTheNextRead()
    {
        // The default cache (30 s) would hide a registration for that long if "not registered" were kept.
        var reader = new PaymentChainReader(
            chain.Contracts.ChannelsFor(chain.ModelOwner.Web3), chain.Contracts.RegistryFor(chain.ModelOwner.Web3), new PaymentOptions(), TimeProvider.System);
        var model = Bytes32.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Null(await reader.GetPriceAsync(model));
        Assert.Null(await reader.GetModelOwnerAsync(model));

        await chain.Contracts.RegistryFor(chain.ModelOwner.Web3).RegisterModelAsync(model, "ipfs://registered-later", 7, 0);

        Assert.Equal(new BigInteger(7), await reader.GetPriceAsync(model));
        Assert.Equal(chain.ModelOwner.Address, await reader.GetModelOwnerAsync(model));
    }

    [Fact]
    public async Task GetPrice_RegisteredModel_IsKeptForTheCacheDuration()
    {
        var registry = chain.Contracts.RegistryFor(chain.ModelOwner.Web3);
        var reader = new PaymentChainReader(chain.Contracts.ChannelsFor(chain.ModelOwner.Web3), registry, new PaymentOptions(), TimeProvider.System);
        var model = Bytes32.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await registry.RegisterModelAsync(model, "ipfs://price-changes", 7, 0);
        Assert.Equal(new BigInteger(7), await reader.GetPriceAsync(model));

        await registry.UpdateTermsAsync(model, 9, 0, active: true);

        Assert.Equal(new BigInteger(7), await reader.GetPriceAsync(model));
    }
}
