using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;
using Abi = MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Tests;

[Collection(AnvilCollection.Name)]
public sealed class ModelRegistryTests(AnvilFixture anvil) : IAsyncLifetime
{
    private ProvenanceContracts _contracts = null!;
    private ChainAccount _modelOwner = null!;
    private ChainAccount _stranger = null!;

    public async Task InitializeAsync()
    {
        (_contracts, _) = await anvil.DeployAsync();
        _modelOwner = await anvil.NewAccountAsync();
        _stranger = await anvil.NewAccountAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RegisterModel_ThenGet_ReturnsTermsAndOwner()
    {
        var model = TestData.RandomBytes32();

        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(model, "ipfs://bafy-model", 2_000, 1_500);

        var registered = await _contracts.RegistryFor(_stranger.Web3).GetModelAsync(model);
        Assert.Equal(new(model, _modelOwner.Address, "ipfs://bafy-model", 2_000, 1_500, true), registered);
    }

    [Fact]
    public async Task RegisterModel_Twice_RevertsWithModelAlreadyRegistered()
    {
        var model = TestData.RandomBytes32();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(model, "ipfs://a", 1, 0);

        var error = await ChainAssert.RevertsWithAsync<Abi.ModelAlreadyRegisteredError>(
            () => _contracts.RegistryFor(_stranger.Web3).RegisterModelAsync(model, "ipfs://b", 1, 0));

        Assert.Equal(_modelOwner.Address, EvmAddress.Parse(error.Owner));
    }

    [Fact]
    public async Task RegisterModel_ZeroHashOrRoyaltyOverHundredPercent_Reverts()
    {
        var registry = _contracts.RegistryFor(_modelOwner.Web3);

        await ChainAssert.RevertsWithAsync<Abi.ZeroModelHashError>(() => registry.RegisterModelAsync(Bytes32.Zero, "ipfs://a", 1, 0));
        var error = await ChainAssert.RevertsWithAsync<Abi.RoyaltyTooHighError>(
            () => registry.RegisterModelAsync(TestData.RandomBytes32(), "ipfs://a", 1, 10_001));
        Assert.Equal((10_001, 10_000), (error.RoyaltyBps, error.MaxRoyaltyBps));
    }

    [Fact]
    public async Task UpdateTerms_ByOwner_ChangesTermsAndByOthers_RevertsWithNotModelOwner()
    {
        var model = TestData.RandomBytes32();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(model, "ipfs://a", 1, 0);

        await _contracts.RegistryFor(_modelOwner.Web3).UpdateTermsAsync(model, 5, 250, active: false);
        var error = await ChainAssert.RevertsWithAsync<Abi.NotModelOwnerError>(
            () => _contracts.RegistryFor(_stranger.Web3).UpdateTermsAsync(model, 0, 0, true));

        var terms = await _contracts.RegistryFor(_stranger.Web3).GetModelAsync(model);
        Assert.Equal((5, (ushort)250, false), ((int)terms.PricePerGeneration, terms.RoyaltyBasisPoints, terms.Active));
        Assert.Equal((_stranger.Address, _modelOwner.Address), (EvmAddress.Parse(error.Caller), EvmAddress.Parse(error.Owner)));
    }

    [Fact]
    public async Task TransferModel_MovesOwnership()
    {
        var model = TestData.RandomBytes32();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(model, "ipfs://a", 1, 100);

        await _contracts.RegistryFor(_modelOwner.Web3).TransferModelAsync(_modelOwner.Address, _stranger.Address, model);

        Assert.Equal(_stranger.Address, (await _contracts.RegistryFor(_stranger.Web3).GetModelAsync(model)).Owner);
        await ChainAssert.RevertsWithAsync<Abi.NotModelOwnerError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).UpdateTermsAsync(model, 1, 100, true));
    }

    [Fact]
    public async Task GetModel_Unknown_RevertsWithModelNotRegistered() =>
        await ChainAssert.RevertsWithAsync<Abi.ModelNotRegisteredError>(
            () => _contracts.RegistryFor(_stranger.Web3).GetModelAsync(TestData.RandomBytes32()));

    [Fact]
    public async Task RegisterNode_ServesItsModelsUntilDeregistered()
    {
        var model = TestData.RandomBytes32();
        var other = TestData.RandomBytes32();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(model, "ipfs://a", 1, 0);
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(other, "ipfs://b", 1, 0);
        var node = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());
        var registry = _contracts.RegistryFor(_stranger.Web3);

        await registry.RegisterNodeAsync(node, [model]);
        Assert.Equal(_stranger.Address, await registry.NodeOperatorAsync(node));
        Assert.True(await registry.IsNodeAuthorizedAsync(node, model));
        Assert.False(await registry.IsNodeAuthorizedAsync(node, other));

        await registry.SetNodeModelAsync(node, other, serves: true);
        Assert.True(await registry.IsNodeAuthorizedAsync(node, other));

        await registry.DeregisterNodeAsync(node);
        Assert.False(await registry.IsNodeAuthorizedAsync(node, model));
        Assert.True((await registry.NodeOperatorAsync(node)).IsZero);
    }

    [Fact]
    public async Task RegisterNode_AlreadyRegistered_RevertsWithNodeAlreadyRegistered()
    {
        var node = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(node, []);

        var error = await ChainAssert.RevertsWithAsync<Abi.NodeAlreadyRegisteredError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).RegisterNodeAsync(node, []));

        Assert.Equal(_stranger.Address, EvmAddress.Parse(error.Operator));
    }

    [Fact]
    public async Task NodeChanges_ByNonOperator_RevertWithNotNodeOperator()
    {
        var node = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(node, []);
        var intruder = _contracts.RegistryFor(_modelOwner.Web3);

        await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(() => intruder.DeregisterNodeAsync(node));
        await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(() => intruder.SetNodeModelAsync(node, TestData.RandomBytes32(), true));
    }

    [Fact]
    public async Task NodeChanges_UnregisteredNode_RevertWithNodeNotRegistered()
    {
        var node = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());

        await ChainAssert.RevertsWithAsync<Abi.NodeNotRegisteredError>(() => _contracts.RegistryFor(_stranger.Web3).DeregisterNodeAsync(node));
    }
}
