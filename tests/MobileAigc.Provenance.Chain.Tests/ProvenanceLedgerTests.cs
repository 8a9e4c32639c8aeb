using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;
using Xunit.Abstractions;
using Abi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Tests;

[Collection(AnvilCollection.Name)]
public sealed class ProvenanceLedgerTests(AnvilFixture anvil, ITestOutputHelper output) : IAsyncLifetime
{
    private ProvenanceContracts _contracts = null!;
    private FundedAccount _owner = null!;
    private FundedAccount _operator = null!;
    private ProvenanceLedgerClient _ledger = null!;
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly Bytes32 _model = TestData.RandomBytes32();

    private EvmAddress Node => EvmAddress.Parse(_nodeKey.GetPublicAddress());

    public async Task InitializeAsync()
    {
        (_contracts, _owner) = await anvil.DeployAsync();
        _operator = await anvil.NewAccountAsync();
        _ledger = _contracts.LedgerFor(_owner.Web3);
        await _contracts.RegistryFor(_owner.Web3).RegisterModelAsync(_model, "ipfs://model", 1000, 500);
        await _contracts.RegistryFor(_operator.Web3).RegisterNodeAsync(_nodeKey, [_model]);
        await _contracts.RegistryFor(_owner.Web3).SetNodeApprovalAsync(_model, Node, approved: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task HashRecord_AnyRecord_EqualsTheCSharpDigest()
    {
        var record = TestData.Record(Node, _model, 1) with
        {
            Creator = EvmAddress.Zero,
            CreatorCommitment = TestData.RandomBytes32(),
            Timestamp = ulong.MaxValue,
            Sequence = ulong.MaxValue,
            Version = ushort.MaxValue,
            Extensions = TestData.RandomBytes32(),
        };

        Assert.Equal(ProvenanceRecordTypedData.Digest(record, _ledger.Domain), await _ledger.HashRecordAsync(record));
    }

    [Fact]
    public async Task Attest_RecordSignedInCSharp_IsAccepted()
    {
        var record = TestData.Record(Node, _model, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, _ledger.Domain, _nodeKey);

        var relayer = await anvil.NewAccountAsync(); // anyone may relay
        var transaction = await _contracts.LedgerFor(relayer.Web3).AttestAsync(record, signature);

        Assert.Equal(transaction.BlockNumber, await _ledger.AttestedAtAsync(ProvenanceRecordTypedData.Digest(record, _ledger.Domain)));
    }

    [Fact]
    public async Task Attest_TamperedRecord_RevertsWithInvalidRecordSigner()
    {
        var record = TestData.Record(Node, _model, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, _ledger.Domain, _nodeKey);
        var tampered = record with { ContentHash = TestData.RandomBytes32() };

        var error = await ChainAssert.RevertsWithAsync<Abi.InvalidRecordSignerError>(() => _ledger.AttestAsync(tampered, signature));

        Assert.Equal(ProvenanceRecordTypedData.Digest(tampered, _ledger.Domain).ToArray(), error.RecordDigest);
        Assert.Equal(Node, EvmAddress.Parse(error.Node));
        Assert.NotEqual(Node, EvmAddress.Parse(error.Recovered));
    }

    [Fact]
    public async Task Attest_SignedForAnotherChain_RevertsWithInvalidRecordSigner()
    {
        var record = TestData.Record(Node, _model, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, _ledger.Domain with { ChainId = 1 }, _nodeKey);

        await ChainAssert.RevertsWithAsync<Abi.InvalidRecordSignerError>(() => _ledger.AttestAsync(record, signature));
    }

    [Fact]
    public async Task Attest_UnregisteredNode_RevertsWithNodeNotAuthorized()
    {
        var stranger = EthECKey.GenerateKey();
        var record = TestData.Record(EvmAddress.Parse(stranger.GetPublicAddress()), _model, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, _ledger.Domain, stranger);

        var error = await ChainAssert.RevertsWithAsync<Abi.NodeNotAuthorizedError>(() => _ledger.AttestAsync(record, signature));

        Assert.Equal(record.Node, EvmAddress.Parse(error.Node));
    }

    [Fact]
    public async Task Attest_ModelTheNodeDoesNotServe_RevertsWithNodeNotAuthorized()
    {
        var record = TestData.Record(Node, TestData.RandomBytes32(), 1);
        var signature = ProvenanceRecordTypedData.Sign(record, _ledger.Domain, _nodeKey);

        var error = await ChainAssert.RevertsWithAsync<Abi.NodeNotAuthorizedError>(() => _ledger.AttestAsync(record, signature));

        Assert.Equal(record.ModelHash.ToArray(), error.ModelHash);
    }

    [Fact]
    public async Task Attest_SameRecordTwice_RevertsWithRecordAlreadyAttested()
    {
        var record = TestData.Record(Node, _model, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, _ledger.Domain, _nodeKey);
        var first = await _ledger.AttestAsync(record, signature);

        var error = await ChainAssert.RevertsWithAsync<Abi.RecordAlreadyAttestedError>(() => _ledger.AttestAsync(record, signature));

        Assert.Equal(first.BlockNumber, error.BlockNumber);
    }

    [Fact]
    public async Task Attest_MalleableTwinOfAValidSignature_IsRefused()
    {
        // C# refuses to even build the high-s twin; sent raw, the contract refuses it too.
        var record = TestData.Record(Node, _model, 1);
        var bytes = ProvenanceRecordTypedData.Sign(record, _ledger.Domain, _nodeKey).ToArray();
        var n = System.Numerics.BigInteger.Parse(
            "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        (n - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(bytes.AsSpan(32, 32));
        bytes[64] ^= 0b11;

        Assert.Throws<InvalidSignatureException>(() => EcdsaSignature.FromBytes(bytes));
        var service = new Generated.ProvenanceLedger.ProvenanceLedgerService(_owner.Web3, _ledger.Address.ToString());
        var error = await ChainAssert.RevertsWithAsync<Abi.ECDSAInvalidSignatureSError>(() => RevertDecoder.SendAsync("ProvenanceLedger", cancellation =>
            service.AttestRequestAndWaitForReceiptAsync(record.ToContractStruct(), bytes, cancellation)));

        Assert.Equal(bytes[32..64], error.S);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(65)]
    public async Task AnchorBatch_CSharpTree_ContractAcceptsEveryProof(int count)
    {
        var digests = Enumerable.Range(0, count)
            .Select(i => ProvenanceRecordTypedData.Digest(TestData.Record(Node, _model, (ulong)i), _ledger.Domain))
            .ToList();
        var tree = MerkleTree.Build(digests);

        var (batchId, _) = await _ledger.AnchorBatchAsync(tree.Root, 0, (uint)count);

        var batch = await _ledger.GetBatchAsync(tree.Root);
        Assert.NotNull(batch);
        Assert.Equal((batchId, tree.Root, 0UL, (uint)count, _owner.Address), (batch.BatchId, batch.Root, batch.FirstSequence, batch.RecordCount, batch.Anchorer));
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _ledger.VerifyInclusionAsync(tree.Root, digests[i], tree.GetProof(i)), $"leaf {i} of {count}");
        }
    }

    [Fact]
    public async Task VerifyInclusion_WrongLeafOrTamperedProof_IsFalse()
    {
        var digests = Enumerable.Range(0, 5).Select(_ => TestData.RandomBytes32()).ToList();
        var tree = MerkleTree.Build(digests);
        await _ledger.AnchorBatchAsync(tree.Root, 0, 5);
        var proof = tree.GetProof(1).ToList();

        Assert.False(await _ledger.VerifyInclusionAsync(tree.Root, digests[2], proof));
        proof[^1] = TestData.RandomBytes32();
        Assert.False(await _ledger.VerifyInclusionAsync(tree.Root, digests[1], proof));
    }

    [Fact]
    public async Task VerifyInclusion_RootNeverAnchored_RevertsWithRootNotAnchored()
    {
        var tree = MerkleTree.Build([TestData.RandomBytes32()]);

        var error = await ChainAssert.RevertsWithAsync<Abi.RootNotAnchoredError>(
            () => _ledger.VerifyInclusionAsync(tree.Root, TestData.RandomBytes32(), []));

        Assert.Equal(tree.Root.ToArray(), error.Root);
    }

    [Fact]
    public async Task AnchorBatch_Consecutive_AdvancesTheSequence()
    {
        await _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 0, 10);
        await _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 10, 3);

        Assert.Equal(13UL, await _ledger.NextSequenceAsync(_owner.Address));
    }

    [Fact]
    public async Task AnchorBatch_GapOrOverlapInSequence_RevertsWithBatchSequenceMismatch()
    {
        await _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 0, 10);

        var error = await ChainAssert.RevertsWithAsync<Abi.BatchSequenceMismatchError>(
            () => _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 5, 10));

        Assert.Equal((5UL, 10UL), (error.FirstSequence, error.ExpectedSequence));
    }

    [Fact]
    public async Task AnchorBatch_SameRootTwice_RevertsWithRootAlreadyAnchored()
    {
        var root = TestData.RandomBytes32();
        await _ledger.AnchorBatchAsync(root, 0, 1);

        await ChainAssert.RevertsWithAsync<Abi.RootAlreadyAnchoredError>(() => _ledger.AnchorBatchAsync(root, 1, 1));
    }

    [Fact]
    public async Task SendAnchorBatch_Mined_IsFoundByRootWithItsTransactionAndBlock()
    {
        var root = TestData.RandomBytes32();
        Assert.Null(await _ledger.FindBatchAnchoredAsync(root));

        var hash = await _ledger.SendAnchorBatchAsync(root, 0, 7);
        // Sent is not mined: anvil mines right after answering, so wait for the receipt.
        await _owner.Web3.TransactionReceiptPolling.PollForReceiptAsync(hash);

        var found = await _ledger.FindBatchAnchoredAsync(root);
        Assert.NotNull(found);
        Assert.Equal((1, root, 0UL, 7U, _owner.Address), ((int)found.BatchId, found.Root, found.FirstSequence, found.RecordCount, found.Anchorer));
        Assert.Equal(hash, found.TransactionHash, ignoreCase: true);
        var block = await _owner.Web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(
            new Nethereum.RPC.Eth.DTOs.BlockParameter(found.BlockNumber));
        Assert.Equal(Bytes32.Parse(block.BlockHash), found.BlockHash);
        Assert.Equal(1, (int)await _ledger.BatchIdOfRootAsync(root));
        Assert.Equal(1, (int)await _ledger.BatchCountAsync(_owner.Address));
    }

    [Fact]
    public async Task SendAnchorBatch_OutOfSequence_RevertsBeforeSendingWithBatchSequenceMismatch()
    {
        await ChainAssert.RevertsWithAsync<Abi.BatchSequenceMismatchError>(() => _ledger.SendAnchorBatchAsync(TestData.RandomBytes32(), 3, 1));

        Assert.Equal(0, (int)await _ledger.BatchCountAsync(_owner.Address));
    }

    [Fact]
    public async Task GetBatch_RootNeverAnchored_IsNull()
    {
        await _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 0, 2);

        Assert.Null(await _ledger.GetBatchAsync(TestData.RandomBytes32()));
        Assert.Null(await _ledger.FindBatchAnchoredAsync(TestData.RandomBytes32()));
    }

    [Fact]
    public async Task FindBatchAnchored_ContractWithoutBatchOfRoot_SaysToDeployTheCurrentContracts()
    {
        // The registry, like a ProvenanceLedger deployed before issue 16, has no batchOfRoot: the call reverts without data.
        var notCurrent = new ProvenanceLedgerClient(_owner.Web3, _contracts.RegistryFor(_owner.Web3).Address, _ledger.Domain.ChainId);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => notCurrent.FindBatchAnchoredAsync(TestData.RandomBytes32()));

        Assert.Contains("refused batchOfRoot(bytes32)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("docs/upgrades.md", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnchorBatch_TwoAnchorers_NumbersBatchesPerAnchorer()
    {
        var other = await anvil.NewAccountAsync();
        await _ledger.SetAnchorerAsync(other.Address, allowed: true);
        var otherLedger = _contracts.LedgerFor(other.Web3);
        var (mine, theirs, mineAgain) = (TestData.RandomBytes32(), TestData.RandomBytes32(), TestData.RandomBytes32());

        var (first, _) = await _ledger.AnchorBatchAsync(mine, 0, 4);
        var (otherFirst, _) = await otherLedger.AnchorBatchAsync(theirs, 0, 9);
        var (second, secondTransaction) = await _ledger.AnchorBatchAsync(mineAgain, 4, 2);

        Assert.Equal((1, 1, 2), ((int)first, (int)otherFirst, (int)second));
        Assert.Equal((2, 1), ((int)await _ledger.BatchCountAsync(_owner.Address), (int)await _ledger.BatchCountAsync(other.Address)));
        var found = await _ledger.FindBatchAnchoredAsync(theirs);
        Assert.Equal((1, 0UL, 9U, other.Address), ((int)found!.BatchId, found.FirstSequence, found.RecordCount, found.Anchorer));
        var batch = await _ledger.GetBatchAsync(mineAgain);
        Assert.Equal(
            (2, 4UL, 2U, _owner.Address, secondTransaction.BlockNumber),
            ((int)batch!.BatchId, batch.FirstSequence, batch.RecordCount, batch.Anchorer, batch.BlockNumber));
    }

    /// <summary>
    /// Issue 16's gas target, on a real receipt: a batch of 1,024 records costs at most 60 gas per record for the whole
    /// transaction (base, calldata, execution), in the steady state of a ledger that already anchored a batch.
    /// </summary>
    [Fact]
    public async Task AnchorBatch_1024Records_ReceiptWithin60GasPerRecord()
    {
        const uint records = 1_024;
        await _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 0, records);

        var (_, transaction) = await _ledger.AnchorBatchAsync(TestData.RandomBytes32(), records, records);

        output.WriteLine($"anchorBatch of {records} records: {transaction.GasUsed} gas, {(double)transaction.GasUsed / records:F1} per record");
        Assert.InRange((double)transaction.GasUsed / records, 45.5, 60.0);
    }

    [Fact]
    public async Task GetBatchAnchoredLog_OtherBlockOrRoot_IsNull()
    {
        var root = TestData.RandomBytes32();
        await _ledger.SendAnchorBatchAsync(root, 0, 1);
        var found = (await _ledger.FindBatchAnchoredAsync(root))!;

        Assert.Null(await _ledger.GetBatchAnchoredLogAsync(found.BatchId, root, found.BlockNumber - 1));
        Assert.Null(await _ledger.GetBatchAnchoredLogAsync(found.BatchId, TestData.RandomBytes32(), found.BlockNumber));
        Assert.Equal(found, await _ledger.GetBatchAnchoredLogAsync(found.BatchId, root, found.BlockNumber));
    }

    [Fact]
    public async Task AnchorBatch_Oversize_RevertsWithBatchTooLarge()
    {
        var error = await ChainAssert.RevertsWithAsync<Abi.BatchTooLargeError>(
            () => _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 0, 65_537));

        Assert.Equal((65_537u, 65_536u), (error.RecordCount, error.MaxBatchSize));
    }

    [Fact]
    public async Task AnchorBatch_NoRecordsOrZeroRoot_Reverts()
    {
        await ChainAssert.RevertsWithAsync<Abi.EmptyBatchError>(() => _ledger.AnchorBatchAsync(TestData.RandomBytes32(), 0, 0));
        await ChainAssert.RevertsWithAsync<Abi.ZeroRootError>(() => _ledger.AnchorBatchAsync(Bytes32.Zero, 0, 1));
    }

    [Fact]
    public async Task AnchorBatch_NotAnAnchorer_RevertsWithNotAnchorer()
    {
        var error = await ChainAssert.RevertsWithAsync<Abi.NotAnchorerError>(
            () => _contracts.LedgerFor(_operator.Web3).AnchorBatchAsync(TestData.RandomBytes32(), 0, 1));

        Assert.Equal(_operator.Address, EvmAddress.Parse(error.Caller));
    }

    [Fact]
    public async Task Revoke_ByTheNodesOperator_MarksTheRecordRevoked()
    {
        var record = TestData.Record(Node, _model, 1);

        await _contracts.LedgerFor(_operator.Web3).RevokeAsync(record, "prompt leaked personal data");

        Assert.True(await _ledger.IsRevokedAsync(ProvenanceRecordTypedData.Digest(record, _ledger.Domain)));
        await ChainAssert.RevertsWithAsync<Abi.RecordAlreadyRevokedError>(
            () => _contracts.LedgerFor(_operator.Web3).RevokeAsync(record, "again"));
    }

    [Fact]
    public async Task Revoke_BySomeoneElse_RevertsWithNotNodeOperator()
    {
        var error = await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(
            () => _ledger.RevokeAsync(TestData.Record(Node, _model, 1), "not mine"));

        Assert.Equal((_owner.Address, _operator.Address), (EvmAddress.Parse(error.Caller), EvmAddress.Parse(error.Operator)));
    }

    [Fact]
    public async Task Revoke_AfterDeregistration_ByTheBoundOperatorOnly()
    {
        var record = TestData.Record(Node, _model, 7);
        await _contracts.RegistryFor(_operator.Web3).DeregisterNodeAsync(Node);

        var error = await ChainAssert.RevertsWithAsync<Abi.NotNodeOperatorError>(
            () => _contracts.LedgerFor(_owner.Web3).RevokeAsync(record, "someone else's key"));
        Assert.Equal(_operator.Address, EvmAddress.Parse(error.Operator));
        await _contracts.LedgerFor(_operator.Web3).RevokeAsync(record, "key retired and leaked");

        Assert.True(await _ledger.IsRevokedAsync(ProvenanceRecordTypedData.Digest(record, _ledger.Domain)));
    }
}
