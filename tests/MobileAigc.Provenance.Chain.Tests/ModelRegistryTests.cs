using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.Generated.ModelRegistry;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using Nethereum.Signer;
using Abi = MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Tests;

[Collection(AnvilCollection.Name)]
public sealed class ModelRegistryTests(AnvilFixture anvil) : IAsyncLifetime
{
    private ProvenanceContracts _contracts = null!;
    private FundedAccount _modelOwner = null!;
    private FundedAccount _stranger = null!;

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
    public async Task RegisterModel_ZeroHashOrRoyaltyOverTheMaximum_Reverts()
    {
        var registry = _contracts.RegistryFor(_modelOwner.Web3);

        await ChainAssert.RevertsWithAsync<Abi.ZeroModelHashError>(() => registry.RegisterModelAsync(Bytes32.Zero, "ipfs://a", 1, 0));
        var error = await ChainAssert.RevertsWithAsync<Abi.RoyaltyTooHighError>(
            () => registry.RegisterModelAsync(TestData.RandomBytes32(), "ipfs://a", 1, ModelRegistryClient.MaxRoyaltyBasisPoints + 1));
        Assert.Equal((2_001, 2_000), (error.RoyaltyBps, error.MaxRoyaltyBps));
    }

    [Fact]
    public async Task ModelClaim_Commitment_EqualsTheContracts()
    {
        var claim = ModelClaim.Create(TestData.RandomBytes32(), "ipfs://ü-model", 123_456_789, 1_999, TestData.RandomBytes32());
        var service = new ModelRegistryService(_stranger.Web3, _contracts.ModelRegistry.ToString());

        var onChain = await service.ModelCommitmentQueryAsync(claim.ModelHash.ToArray(), claim.ParentModelHash.ToArray(), claim.MetadataUri,
            claim.PricePerGeneration, claim.RoyaltyBasisPoints, _modelOwner.Address.ToString(), claim.Salt.ToArray());

        Assert.Equal(claim.CommitmentBy(_modelOwner.Address), Bytes32.FromBytes(onChain));
        Assert.NotEqual(claim.CommitmentBy(_modelOwner.Address), claim.CommitmentBy(_stranger.Address));
    }

    [Fact]
    public async Task RevealModel_BeforeTheCommitmentAged_RevertsWithCommitmentTooFresh()
    {
        var registry = _contracts.RegistryFor(_modelOwner.Web3);
        var claim = ModelClaim.Create(TestData.RandomBytes32(), "ipfs://a", 1, 100);
        var commit = await registry.CommitModelAsync(claim);
        Assert.Equal(commit.BlockNumber, await registry.CommitmentBlockAsync(claim));

        var error = await ChainAssert.RevertsWithAsync<Abi.CommitmentTooFreshError>(() => registry.RevealModelAsync(claim));

        Assert.Equal(commit.BlockNumber + ModelRegistryClient.MinCommitmentAge, (ulong)error.ReadyBlock);
        await registry.WaitUntilRevealableAsync(commit.BlockNumber);
        await registry.RevealModelAsync(claim);
        Assert.Equal(_modelOwner.Address, (await registry.GetModelAsync(claim.ModelHash)).Owner);
        Assert.Null(await registry.CommitmentBlockAsync(claim));
    }

    [Fact]
    public async Task RevealModel_ByAFrontRunnerCopyingTheReveal_RevertsWithCommitmentNotFound()
    {
        var owner = _contracts.RegistryFor(_modelOwner.Web3);
        var claim = ModelClaim.Create(TestData.RandomBytes32(), "ipfs://a", 1, 2_000);
        var commit = await owner.CommitModelAsync(claim);
        await owner.WaitUntilRevealableAsync(commit.BlockNumber);

        // The watcher sees the pending reveal (hash, terms, salt) and sends the same from its own account.
        var error = await ChainAssert.RevertsWithAsync<Abi.CommitmentNotFoundError>(
            () => _contracts.RegistryFor(_stranger.Web3).RevealModelAsync(claim));

        Assert.Equal(_stranger.Address, EvmAddress.Parse(error.Committer));
        await owner.RevealModelAsync(claim);
        Assert.Equal(_modelOwner.Address, (await owner.GetModelAsync(claim.ModelHash)).Owner);
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
    public async Task RegisterDerivedModel_ThenRead_ReturnsParentLineageAndRoyaltyShares()
    {
        var root = TestData.RandomBytes32();
        var child = TestData.RandomBytes32();
        var grandchild = TestData.RandomBytes32();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(root, "ipfs://root", 1, 1_000);
        await _contracts.RegistryFor(_stranger.Web3).RegisterDerivedModelAsync(child, root, "ipfs://child", 2, 500);
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterDerivedModelAsync(grandchild, child, "ipfs://grandchild", 3, 250);
        var registry = _contracts.RegistryFor(_stranger.Web3);

        Assert.Equal(child, (await registry.GetModelAsync(grandchild)).ParentModelHash);
        Assert.True((await registry.GetModelAsync(root)).ParentModelHash.IsZero);
        Assert.Equal([root, child, grandchild], await registry.GetLineageAsync(grandchild));
        Assert.Equal([root], await registry.GetLineageAsync(root));
        Assert.Equal(
            [
                new LineageRoyaltyShare(root, _modelOwner.Address, 1_000),
                new LineageRoyaltyShare(child, _stranger.Address, 500),
                new LineageRoyaltyShare(grandchild, _modelOwner.Address, 250),
            ],
            await registry.GetRoyaltyLineageAsync(grandchild));
    }

    [Fact]
    public async Task ClientLimits_EqualTheContractConstants()
    {
        var service = new ModelRegistryService(_stranger.Web3, _contracts.ModelRegistry.ToString());

        Assert.Equal(ModelRegistryClient.MaxLineageLength, (int)await service.MaxLineageLengthQueryAsync());
        Assert.Equal(ModelRegistryClient.MaxEndpointLength, (int)await service.MaxEndpointLengthQueryAsync());
        Assert.Equal(ModelRegistryClient.MaxRoyaltyBasisPoints, await service.MaxRoyaltyBpsQueryAsync());
        Assert.Equal(ModelRegistryClient.MinCommitmentAge, await service.MinCommitmentAgeQueryAsync());
        Assert.Equal(ModelRegistryClient.MaxCommitmentAge, await service.MaxCommitmentAgeQueryAsync());
    }

    [Fact]
    public async Task RegisterDerivedModel_ZeroParent_RegistersRootModel()
    {
        var model = TestData.RandomBytes32();

        await _contracts.RegistryFor(_modelOwner.Web3).RegisterDerivedModelAsync(model, Bytes32.Zero, "ipfs://a", 1, 0);

        Assert.Equal([model], await _contracts.RegistryFor(_stranger.Web3).GetLineageAsync(model));
    }

    [Fact]
    public async Task RegisterDerivedModel_UnknownParent_RevertsWithParentModelNotRegistered()
    {
        var model = TestData.RandomBytes32();
        var parent = TestData.RandomBytes32();

        var error = await ChainAssert.RevertsWithAsync<Abi.ParentModelNotRegisteredError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).RegisterDerivedModelAsync(model, parent, "ipfs://a", 1, 0));

        Assert.Equal((model, parent), (Bytes32.FromBytes(error.ModelHash), Bytes32.FromBytes(error.ParentHash)));
    }

    [Fact]
    public async Task RegisterDerivedModel_BeyondMaxLineageLength_RevertsWithLineageTooDeep()
    {
        var registry = _contracts.RegistryFor(_modelOwner.Web3);
        var parent = TestData.RandomBytes32();
        await registry.RegisterModelAsync(parent, "ipfs://root", 1, 0);
        for (var i = 1; i < ModelRegistryClient.MaxLineageLength; i++)
        {
            var child = TestData.RandomBytes32();
            await registry.RegisterDerivedModelAsync(child, parent, "ipfs://child", 1, 0);
            parent = child;
        }

        var error = await ChainAssert.RevertsWithAsync<Abi.LineageTooDeepError>(
            () => registry.RegisterDerivedModelAsync(TestData.RandomBytes32(), parent, "ipfs://too-deep", 1, 0));

        Assert.Equal((5, ModelRegistryClient.MaxLineageLength), ((int)error.Length, (int)error.MaxLength));
    }

    [Fact]
    public async Task GetLineage_Unknown_RevertsWithModelNotRegistered() =>
        await ChainAssert.RevertsWithAsync<Abi.ModelNotRegisteredError>(
            () => _contracts.RegistryFor(_stranger.Web3).GetLineageAsync(TestData.RandomBytes32()));

    [Fact]
    public async Task NodeConsentDigest_EqualsTheContracts()
    {
        var registry = _contracts.RegistryFor(_stranger.Web3);
        var consent = new NodeConsent(NewNodeAddress(), _stranger.Address, 3, 1_800_000_000);
        var service = new ModelRegistryService(_stranger.Web3, _contracts.ModelRegistry.ToString());

        var onChain = await service.HashNodeConsentQueryAsync(consent.Node.ToString(), consent.Operator.ToString(), consent.Nonce, consent.Deadline);

        Assert.Equal(NodeConsentTypedData.Digest(consent, await registry.DomainAsync()), Bytes32.FromBytes(onChain));
    }

    [Fact]
    public async Task SetNodeEndpoint_ByOperator_IsReadBackAndWithdrawnWithNull()
    {
        var key = EthECKey.GenerateKey();
        var node = AddressOf(key);
        var registry = _contracts.RegistryFor(_stranger.Web3);
        await registry.RegisterNodeAsync(key, []);
        Assert.Null(await registry.GetNodeEndpointAsync(node));

        await registry.SetNodeEndpointAsync(node, new Uri("https://node-1.example:8443/v1"));
        Assert.Equal(new Uri("https://node-1.example:8443/v1"), await registry.GetNodeEndpointAsync(node));

        await registry.SetNodeEndpointAsync(node, null);
        Assert.Null(await registry.GetNodeEndpointAsync(node));
    }

    [Fact]
    public async Task SetNodeEndpoint_ByNonOperatorOrUnregistered_RevertsWithTheirErrors()
    {
        var key = EthECKey.GenerateKey();
        var node = AddressOf(key);
        var endpoint = new Uri("https://node.example");

        await ChainAssert.RevertsWithAsync<Abi.NodeNotRegisteredError>(
            () => _contracts.RegistryFor(_stranger.Web3).SetNodeEndpointAsync(node, endpoint));
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(key, []);
        var error = await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).SetNodeEndpointAsync(node, endpoint));
        Assert.Equal(_stranger.Address, EvmAddress.Parse(error.Operator));
    }

    [Fact]
    public async Task SetNodeEndpoint_NotHttpOrTooLong_ThrowsBeforeSending()
    {
        var key = EthECKey.GenerateKey();
        var node = AddressOf(key);
        var registry = _contracts.RegistryFor(_stranger.Web3);
        await registry.RegisterNodeAsync(key, []);

        await Assert.ThrowsAsync<InvalidEndpointException>(() => registry.SetNodeEndpointAsync(node, new Uri("ftp://node.example")));
        await Assert.ThrowsAsync<InvalidEndpointException>(() => registry.SetNodeEndpointAsync(node, new Uri("/relative", UriKind.Relative)));
        await Assert.ThrowsAsync<InvalidEndpointException>(
            () => registry.SetNodeEndpointAsync(node, new Uri("https://node.example/" + new string('a', ModelRegistryClient.MaxEndpointLength))));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/")]
    [InlineData("http://localhost:5080/")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("https://node.example/?next=1")]
    [InlineData("https://node.example/#top")]
    [InlineData("https://user:secret@node.example/")]
    public async Task SetNodeEndpoint_BreaksTheEndpointRule_ThrowsBeforeSending(string endpoint)
    {
        // Not registered: a call that reached the contract would revert NodeNotRegistered instead.
        var registry = _contracts.RegistryFor(_stranger.Web3);

        await Assert.ThrowsAsync<InvalidEndpointException>(() => registry.SetNodeEndpointAsync(NewNodeAddress(), new Uri(endpoint)));
    }

    [Fact]
    public async Task SetNodeEndpoint_LoopbackWithLocalDevelopmentScope_PassesTheRule()
    {
        var registry = _contracts.RegistryFor(_stranger.Web3);

        // The rule lets it through; the contract then refuses the unregistered node.
        await Assert.ThrowsAsync<ContractRevertException>(() => registry.SetNodeEndpointAsync(
            NewNodeAddress(), new Uri("http://127.0.0.1:5080/"), EndpointScope.LocalDevelopment));
    }

    [Fact]
    public async Task ListNodesServing_ReturnsNodesAuthorisedForTheModelNow_WithEndpoints()
    {
        var model = TestData.RandomBytes32();
        var owner = _contracts.RegistryFor(_modelOwner.Web3);
        await owner.RegisterModelAsync(model, "ipfs://a", 1, 0);
        var registry = _contracts.RegistryFor(_stranger.Web3);
        var (advertised, silent, stopped, gone, other, unapproved) =
            (EthECKey.GenerateKey(), EthECKey.GenerateKey(), EthECKey.GenerateKey(), EthECKey.GenerateKey(), EthECKey.GenerateKey(), EthECKey.GenerateKey());
        await registry.RegisterNodeAsync(advertised, [model]);
        await registry.SetNodeEndpointAsync(AddressOf(advertised), new Uri("https://a.example:8443"));
        await registry.RegisterNodeAsync(silent, [model]);
        await registry.RegisterNodeAsync(stopped, [model]);
        await registry.SetNodeModelAsync(AddressOf(stopped), model, serves: false);
        await registry.RegisterNodeAsync(gone, [model]);
        await registry.DeregisterNodeAsync(AddressOf(gone));
        await registry.RegisterNodeAsync(other, []);
        await registry.RegisterNodeAsync(unapproved, [model]);
        foreach (var approved in new[] { advertised, silent, stopped, gone, other })
        {
            await owner.SetNodeApprovalAsync(model, AddressOf(approved), approved: true);
        }

        var serving = await owner.ListNodesServingAsync(model);

        Assert.Equal(
            [
                new ServingNode(AddressOf(advertised), _stranger.Address, new Uri("https://a.example:8443")),
                new ServingNode(AddressOf(silent), _stranger.Address, null),
            ],
            serving);
    }

    [Fact]
    public async Task RegisterNode_AuthorisedOnlyWithTheOwnersApproval_UntilDeregistered()
    {
        var model = TestData.RandomBytes32();
        var other = TestData.RandomBytes32();
        var owner = _contracts.RegistryFor(_modelOwner.Web3);
        await owner.RegisterModelAsync(model, "ipfs://a", 1, 0);
        await owner.RegisterModelAsync(other, "ipfs://b", 1, 0);
        var key = EthECKey.GenerateKey();
        var node = AddressOf(key);
        var registry = _contracts.RegistryFor(_stranger.Web3);

        await registry.RegisterNodeAsync(key, [model]);
        Assert.Equal(_stranger.Address, await registry.NodeOperatorAsync(node));
        Assert.Equal(_stranger.Address, await registry.NodeKeyOperatorAsync(node));
        Assert.False(await registry.IsNodeAuthorizedAsync(node, model)); // serving, not approved

        await owner.SetNodeApprovalAsync(model, node, approved: true);
        Assert.True(await registry.IsNodeApprovedAsync(node, model));
        Assert.True(await registry.IsNodeAuthorizedAsync(node, model));
        Assert.False(await registry.IsNodeAuthorizedAsync(node, other));

        await registry.SetNodeModelAsync(node, other, serves: true);
        await owner.SetModelOpenAsync(other, open: true);
        Assert.True(await registry.IsModelOpenAsync(other));
        Assert.True(await registry.IsNodeAuthorizedAsync(node, other));

        await owner.SetNodeApprovalAsync(model, node, approved: false);
        Assert.False(await registry.IsNodeAuthorizedAsync(node, model));

        await registry.DeregisterNodeAsync(node);
        Assert.False(await registry.IsNodeAuthorizedAsync(node, other));
        Assert.True((await registry.NodeOperatorAsync(node)).IsZero);
        Assert.Equal(_stranger.Address, await registry.NodeKeyOperatorAsync(node));
    }

    [Fact]
    public async Task RegisterNode_WithAConsentForAnotherOperator_RevertsWithInvalidNodeConsent()
    {
        var key = EthECKey.GenerateKey();
        var operatorRegistry = _contracts.RegistryFor(_stranger.Web3);
        var consent = NodeConsentTypedData.Sign(
            await operatorRegistry.ConsentToRequestAsync(AddressOf(key)), await operatorRegistry.DomainAsync(), key);

        // A squatter replays the consent the key gave its operator.
        var error = await ChainAssert.RevertsWithAsync<Abi.InvalidNodeConsentError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).RegisterNodeAsync(consent, []));

        Assert.Equal(AddressOf(key), EvmAddress.Parse(error.Node));
        await operatorRegistry.RegisterNodeAsync(consent, []);
        Assert.Equal(_stranger.Address, await operatorRegistry.NodeOperatorAsync(AddressOf(key)));
    }

    [Fact]
    public async Task RegisterNode_AfterDeregistrationByAnotherAccount_RevertsWithNodeKeyBoundToOtherOperator()
    {
        var key = EthECKey.GenerateKey();
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(key, []);
        await _contracts.RegistryFor(_stranger.Web3).DeregisterNodeAsync(AddressOf(key));

        // Even with the key's own fresh consent, another account cannot take the key over.
        var error = await ChainAssert.RevertsWithAsync<Abi.NodeKeyBoundToOtherOperatorError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).RegisterNodeAsync(key, []));

        Assert.Equal(_stranger.Address, EvmAddress.Parse(error.BoundOperator));
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(key, []);
        Assert.Equal(2, (int)await _contracts.RegistryFor(_stranger.Web3).NodeConsentNonceAsync(AddressOf(key)));
    }

    [Fact]
    public async Task RegisterNode_AlreadyRegistered_RevertsWithNodeAlreadyRegistered()
    {
        var key = EthECKey.GenerateKey();
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(key, []);

        var error = await ChainAssert.RevertsWithAsync<Abi.NodeAlreadyRegisteredError>(
            () => _contracts.RegistryFor(_modelOwner.Web3).RegisterNodeAsync(key, []));

        Assert.Equal(_stranger.Address, EvmAddress.Parse(error.Operator));
    }

    [Fact]
    public async Task NodeChanges_ByNonOperator_RevertWithNotNodeOperator()
    {
        var key = EthECKey.GenerateKey();
        await _contracts.RegistryFor(_stranger.Web3).RegisterNodeAsync(key, []);
        var intruder = _contracts.RegistryFor(_modelOwner.Web3);

        await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(() => intruder.DeregisterNodeAsync(AddressOf(key)));
        await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(() => intruder.SetNodeModelAsync(AddressOf(key), TestData.RandomBytes32(), true));
    }

    [Fact]
    public async Task NodeChanges_UnregisteredNode_RevertWithNodeNotRegistered()
    {
        var node = NewNodeAddress();

        await ChainAssert.RevertsWithAsync<Abi.NodeNotRegisteredError>(() => _contracts.RegistryFor(_stranger.Web3).DeregisterNodeAsync(node));
    }

    [Fact]
    public async Task SetNodeApproval_ByNonOwner_RevertsWithNotModelOwner()
    {
        var model = TestData.RandomBytes32();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(model, "ipfs://a", 1, 0);

        await ChainAssert.RevertsWithAsync<Abi.NotModelOwnerError>(
            () => _contracts.RegistryFor(_stranger.Web3).SetNodeApprovalAsync(model, NewNodeAddress(), approved: true));
        await ChainAssert.RevertsWithAsync<Abi.NotModelOwnerError>(() => _contracts.RegistryFor(_stranger.Web3).SetModelOpenAsync(model, open: true));
    }

    private static EvmAddress AddressOf(EthECKey key) => EvmAddress.Parse(key.GetPublicAddress());

    private static EvmAddress NewNodeAddress() => AddressOf(EthECKey.GenerateKey());
}
