using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;
using Abi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Tests;

[Collection(AnvilCollection.Name)]
public sealed class PaymentChannelsTests(AnvilFixture anvil) : IAsyncLifetime
{
    private const ushort RoyaltyBasisPoints = 1_500; // 15 %
    private static readonly BigInteger Deposit = BigInteger.Pow(10, 18);

    private ProvenanceContracts _contracts = null!;
    private FundedAccount _creator = null!;
    private FundedAccount _provider = null!;
    private FundedAccount _modelOwner = null!;
    private readonly Bytes32 _model = TestData.RandomBytes32();

    // The node channels are bound to: operated by _provider, who is credited.
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();

    private EvmAddress _node;

    private PaymentChannelsClient CreatorChannels => _contracts.ChannelsFor(_creator.Web3);

    private PaymentChannelsClient ProviderChannels => _contracts.ChannelsFor(_provider.Web3);

    public async Task InitializeAsync()
    {
        (_contracts, _) = await anvil.DeployAsync();
        _creator = await anvil.NewAccountAsync();
        _provider = await anvil.NewAccountAsync();
        _modelOwner = await anvil.NewAccountAsync();
        await _contracts.RegistryFor(_modelOwner.Web3).RegisterModelAsync(_model, "ipfs://model", 1_000, RoyaltyBasisPoints);
        _node = EvmAddress.Parse(_nodeKey.GetPublicAddress());
        await _contracts.RegistryFor(_provider.Web3).RegisterNodeAsync(_nodeKey, [_model]);
        await _contracts.RegistryFor(_modelOwner.Web3).SetNodeApprovalAsync(_model, _node, approved: true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task HashVoucher_AnyVoucher_EqualsTheCSharpDigest()
    {
        var voucher = new PaymentVoucher(TestData.RandomBytes32(), BigInteger.Pow(2, 200), ulong.MaxValue);

        Assert.Equal(PaymentVoucherTypedData.Digest(voucher, CreatorChannels.Domain), await CreatorChannels.HashVoucherAsync(voucher));
    }

    [Fact]
    public async Task Settle_VoucherSignedInCSharp_PaysProviderAndRoyalty()
    {
        var channelId = await OpenAsync();
        var amount = BigInteger.Pow(10, 17);

        var settlement = await ProviderChannels.SettleAsync([Sign(channelId, amount, 1)]);

        var royalty = amount * RoyaltyBasisPoints / 10_000;
        Assert.Equal((1, amount, royalty), (settlement.ChannelCount, settlement.TotalPaid, settlement.TotalRoyalty));
        Assert.Equal(amount - royalty, await CreatorChannels.BalanceOfAsync(EvmAddress.Zero, _provider.Address));
        Assert.Equal(royalty, await CreatorChannels.BalanceOfAsync(EvmAddress.Zero, _modelOwner.Address));
        var channel = await CreatorChannels.GetChannelAsync(channelId);
        Assert.Equal((amount, 1UL, Deposit - amount), (channel.Paid, channel.LastNonce, channel.Remaining));
    }

    [Fact]
    public async Task Settle_ManyChannelsInOneTransaction_PaysEachDifference()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await ProviderChannels.SettleAsync([Sign(first, 100, 1)]);

        var settlement = await ProviderChannels.SettleAsync([Sign(first, 250, 4), Sign(second, 40, 1)]);

        Assert.Equal((2, new BigInteger(150 + 40)), (settlement.ChannelCount, settlement.TotalPaid));
    }

    [Fact]
    public async Task Withdraw_AfterSettlement_MovesTheCreditToTheProvider()
    {
        var channelId = await OpenAsync();
        await ProviderChannels.SettleAsync([Sign(channelId, Deposit, 1)]);
        var before = (await _provider.Web3.Eth.GetBalance.SendRequestAsync(_provider.Address.ToString())).Value;

        var withdrawal = await ProviderChannels.WithdrawAsync(EvmAddress.Zero);

        var after = (await _provider.Web3.Eth.GetBalance.SendRequestAsync(_provider.Address.ToString())).Value;
        Assert.True(after > before + (Deposit * 8 / 10), $"balance went from {before} to {after} (gas {withdrawal.GasUsed})");
        await ChainAssert.RevertsWithAsync<Abi.NothingToWithdrawError>(() => ProviderChannels.WithdrawAsync(EvmAddress.Zero));
    }

    [Fact]
    public async Task Settle_VoucherSignedByAnotherKey_IsSkippedAsInvalidSigner()
    {
        var channelId = await OpenAsync();
        var voucher = new PaymentVoucher(channelId, 10, 1);
        var forged = PaymentVoucherTypedData.Sign(voucher, CreatorChannels.Domain, _provider.Key);

        var settlement = await ProviderChannels.SettleAsync([new SignedPaymentVoucher(voucher, forged)]);

        Assert.Equal([new SkippedVoucher(channelId, 1, VoucherSkipReason.InvalidSigner)], settlement.Skipped);
        Assert.Equal((0, BigInteger.Zero), (settlement.ChannelCount, settlement.TotalPaid));
    }

    [Fact]
    public async Task Settle_VoucherSignedForAnotherChain_IsSkippedAsInvalidSigner()
    {
        var channelId = await OpenAsync();
        var voucher = new PaymentVoucher(channelId, 10, 1);
        var otherChain = PaymentVoucherTypedData.Sign(voucher, CreatorChannels.Domain with { ChainId = 1 }, _creator.Key);

        var settlement = await ProviderChannels.SettleAsync([new SignedPaymentVoucher(voucher, otherChain)]);

        Assert.Equal(VoucherSkipReason.InvalidSigner, settlement.Skipped.Single().Reason);
    }

    [Fact]
    public async Task Settle_BadVouchersBesideGoodOnes_SkipsEachWithItsReasonAndSettlesTheRest()
    {
        var replayed = await OpenAsync();
        var good = await OpenAsync();
        var small = await OpenAsync();
        await ProviderChannels.SettleAsync([Sign(replayed, 20, 5), Sign(small, 20, 1)]);

        var settlement = await ProviderChannels.SettleAsync(
        [
            Sign(replayed, 20, 5), Sign(replayed, 30, 4), Sign(small, 20, 2), Sign(good, Deposit + 1, 1), Sign(TestData.RandomBytes32(), 1, 1),
            Sign(good, 70, 1),
        ]);

        Assert.Equal(
            [VoucherSkipReason.NonceTooLow, VoucherSkipReason.NonceTooLow, VoucherSkipReason.AmountNotIncreasing, VoucherSkipReason.ExceedsDeposit,
             VoucherSkipReason.UnknownChannel],
            settlement.Skipped.Select(s => s.Reason));
        Assert.Equal((1, new BigInteger(70)), (settlement.ChannelCount, settlement.TotalPaid));
        Assert.Equal(new BigInteger(70), (await CreatorChannels.GetChannelAsync(good)).Paid);
    }

    [Fact]
    public async Task Settle_ByAnyoneButTheProviderOrTheNode_IsSkipped()
    {
        var channelId = await OpenAsync();

        var settlement = await CreatorChannels.SettleAsync([Sign(channelId, 1, 1)]);

        Assert.Equal(VoucherSkipReason.NotChannelProvider, settlement.Skipped.Single().Reason);
        Assert.Equal(BigInteger.Zero, (await CreatorChannels.GetChannelAsync(channelId)).Paid);
    }

    [Fact]
    public async Task Settle_NoVouchers_RevertsWithEmptySettlement() =>
        await ChainAssert.RevertsWithAsync<Abi.EmptySettlementError>(() => ProviderChannels.SettleAsync([]));

    [Fact]
    public async Task Settle_ExpiredChannel_IsSkipped_AndCreatorTakesTheRestBack()
    {
        var channelId = await OpenAsync(TimeSpan.FromHours(1));
        await ProviderChannels.SettleAsync([Sign(channelId, 300, 1)]);
        await ChainAssert.RevertsWithAsync<Abi.ChannelNotExpiredError>(() => CreatorChannels.CloseExpiredAsync(channelId));

        await anvil.Node.IncreaseTimeAsync(TimeSpan.FromHours(2));

        Assert.Equal(VoucherSkipReason.ChannelExpired, (await ProviderChannels.SettleAsync([Sign(channelId, 400, 2)])).Skipped.Single().Reason);
        await ChainAssert.RevertsWithAsync<Abi.NotChannelCreatorError>(() => ProviderChannels.CloseExpiredAsync(channelId));
        await CreatorChannels.CloseExpiredAsync(channelId);
        Assert.True((await CreatorChannels.GetChannelAsync(channelId)).Closed);
        Assert.Equal(VoucherSkipReason.ChannelClosed, (await ProviderChannels.SettleAsync([Sign(channelId, 400, 2)])).Skipped.Single().Reason);
    }

    [Fact]
    public async Task Settle_DerivedModel_PaysEachLineageModelItsShareAndReportsIt()
    {
        var childOwner = await anvil.NewAccountAsync();
        var child = TestData.RandomBytes32();
        await _contracts.RegistryFor(childOwner.Web3).RegisterDerivedModelAsync(child, _model, "ipfs://child", 1_000, 500);
        await _contracts.RegistryFor(_provider.Web3).SetNodeModelAsync(_node, child, serves: true);
        await _contracts.RegistryFor(childOwner.Web3).SetNodeApprovalAsync(child, _node, approved: true);
        var (channelId, _) = await CreatorChannels.OpenChannelAsync(
            _node, child, EvmAddress.Zero, Deposit, await ExpiryAsync(TimeSpan.FromDays(1)));
        var (rootChannelId, _) = await CreatorChannels.OpenChannelAsync(
            _node, _model, EvmAddress.Zero, Deposit, await ExpiryAsync(TimeSpan.FromDays(1)));
        var amount = BigInteger.Pow(10, 17);

        var settlement = await ProviderChannels.SettleAsync(
            [Sign(channelId, amount, 1), Sign(rootChannelId, amount, 1), Sign(channelId, 2 * amount, 2)]);

        var parentShare = amount * RoyaltyBasisPoints / 10_000; // 15 % to the root model's owner
        var childShare = amount * 500 / 10_000; // 5 % to the derivative's owner
        Assert.Equal(
            [
                new RoyaltyPayout(_model, _modelOwner.Address, parentShare),
                new RoyaltyPayout(child, childOwner.Address, childShare),
            ],
            settlement.Vouchers[0].Royalties);
        Assert.Equal([new RoyaltyPayout(_model, _modelOwner.Address, parentShare)], settlement.Vouchers[1].Royalties);
        Assert.Equal((channelId, child, 2UL, 2 * amount, amount), (settlement.Vouchers[2].ChannelId,
            settlement.Vouchers[2].ModelHash, settlement.Vouchers[2].Nonce, settlement.Vouchers[2].CumulativeAmount, settlement.Vouchers[2].Payment));
        Assert.Equal(amount - parentShare - childShare, settlement.Vouchers[2].ProviderShare);
        Assert.Equal((3, 3 * amount, 3 * parentShare + 2 * childShare), (settlement.ChannelCount, settlement.TotalPaid, settlement.TotalRoyalty));
        Assert.Equal(
            [
                new RoyaltyPayout(_model, _modelOwner.Address, 3 * parentShare),
                new RoyaltyPayout(child, childOwner.Address, 2 * childShare),
            ],
            settlement.RoyaltyTotals);
        Assert.Equal(3 * parentShare, await CreatorChannels.BalanceOfAsync(EvmAddress.Zero, _modelOwner.Address));
        Assert.Equal(2 * childShare, await CreatorChannels.BalanceOfAsync(EvmAddress.Zero, childOwner.Address));
        Assert.Equal(3 * amount - 3 * parentShare - 2 * childShare, await CreatorChannels.BalanceOfAsync(EvmAddress.Zero, _provider.Address));
    }

    [Fact]
    public async Task GetSettlement_MinedSettlement_ReadsTheSameResultAsSettle()
    {
        var channelId = await OpenAsync();
        var settled = await ProviderChannels.SettleAsync([Sign(channelId, 1_000, 1)]);

        var read = await CreatorChannels.GetSettlementAsync(settled.Transaction.Hash);

        Assert.NotNull(read);
        Assert.Equal((settled.Transaction, settled.ChannelCount, settled.TotalPaid, settled.TotalRoyalty),
            (read.Transaction, read.ChannelCount, read.TotalPaid, read.TotalRoyalty));
        Assert.Equal(settled.Vouchers.Single().Royalties, read.Vouchers.Single().Royalties);
    }

    [Fact]
    public async Task OpenChannel_BadArguments_RevertWithTheirErrors()
    {
        var expires = await ExpiryAsync(TimeSpan.FromDays(1));

        await ChainAssert.RevertsWithAsync<Abi.ZeroAmountError>(() => CreatorChannels.OpenChannelAsync(_node, _model, EvmAddress.Zero, 0, expires));
        await ChainAssert.RevertsWithAsync<Abi.ZeroAddressError>(() => CreatorChannels.OpenChannelAsync(EvmAddress.Zero, _model, EvmAddress.Zero, 1, expires));
        await ChainAssert.RevertsWithAsync<Abi.ModelNotRegisteredError>(
            () => CreatorChannels.OpenChannelAsync(_node, TestData.RandomBytes32(), EvmAddress.Zero, 1, expires));
        await ChainAssert.RevertsWithAsync<Abi.ExpiryNotInFutureError>(
            () => CreatorChannels.OpenChannelAsync(_node, _model, EvmAddress.Zero, 1, DateTimeOffset.UnixEpoch.AddSeconds(1)));
        var error = await ChainAssert.RevertsWithAsync<Abi.NodeNotAuthorizedError>(
            () => CreatorChannels.OpenChannelAsync(_provider.Address, _model, EvmAddress.Zero, 1, expires));
        Assert.Equal(_provider.Address, EvmAddress.Parse(error.Node));
    }

    [Fact]
    public async Task OpenChannel_SnapshotsTheTerms_WhichLaterChangesDoNotReach()
    {
        var channelId = await OpenAsync();
        await _contracts.RegistryFor(_modelOwner.Web3).UpdateTermsAsync(_model, 9_999, 2_000, active: true);

        var channel = await CreatorChannels.GetChannelAsync(channelId);
        var settlement = await ProviderChannels.SettleAsync([Sign(channelId, 1_000, 1)]);

        Assert.Equal((_node, _provider.Address, new BigInteger(1_000)), (channel.Node, channel.Provider, channel.PricePerGeneration));
        Assert.Equal([RoyaltyBasisPoints], channel.RoyaltyBps);
        Assert.Equal(new BigInteger(150), settlement.TotalRoyalty);
    }

    [Fact]
    public async Task OpenChannel_InactiveModel_RevertsWithModelInactive()
    {
        await _contracts.RegistryFor(_modelOwner.Web3).UpdateTermsAsync(_model, 1_000, RoyaltyBasisPoints, active: false);

        await ChainAssert.RevertsWithAsync<Abi.ModelInactiveError>(
            async () => await CreatorChannels.OpenChannelAsync(_node, _model, EvmAddress.Zero, 1, await ExpiryAsync(TimeSpan.FromDays(1))));
    }

    [Fact]
    public async Task TopUpAndExtend_GrowTheChannel()
    {
        var channelId = await OpenAsync(TimeSpan.FromHours(1));
        var later = (await CreatorChannels.GetChannelAsync(channelId)).ExpiresAt.AddDays(1);

        await CreatorChannels.TopUpAsync(channelId, 5);
        await CreatorChannels.ExtendAsync(channelId, later);

        var channel = await CreatorChannels.GetChannelAsync(channelId);
        Assert.Equal((Deposit + 5, later), (channel.Deposit, channel.ExpiresAt));
        await ChainAssert.RevertsWithAsync<Abi.ExpiryNotExtendedError>(() => CreatorChannels.ExtendAsync(channelId, later));
        await ChainAssert.RevertsWithAsync<Abi.ZeroAmountError>(() => CreatorChannels.TopUpAsync(channelId, 0));
    }

    [Fact]
    public async Task TokenChannel_OpenTopUpSettleWithdraw_MovesTheTokens()
    {
        var token = await TestToken.DeployAsync(_creator.Web3);
        await TestToken.MintAsync(_creator.Web3, token, _creator.Address, 1_000_000);
        var (channelId, _) = await CreatorChannels.OpenChannelAsync(
            _node, _model, token, 600_000, await ExpiryAsync(TimeSpan.FromDays(1)));
        await CreatorChannels.TopUpAsync(channelId, 400_000);

        await ProviderChannels.SettleAsync([Sign(channelId, 1_000_000, 1)]);
        await ProviderChannels.WithdrawAsync(token);
        await _contracts.ChannelsFor(_modelOwner.Web3).WithdrawAsync(token);

        Assert.Equal(new BigInteger(850_000), await TestToken.BalanceOfAsync(_provider.Web3, token, _provider.Address));
        Assert.Equal(new BigInteger(150_000), await TestToken.BalanceOfAsync(_provider.Web3, token, _modelOwner.Address));
        Assert.Equal(BigInteger.Zero, await TestToken.BalanceOfAsync(_provider.Web3, token, _contracts.PaymentChannels));
    }

    [Fact]
    public async Task Settle_MoreVouchersThanTheLimit_RevertsWithSettlementTooLarge()
    {
        var channelId = await OpenAsync();
        var vouchers = Enumerable.Range(1, 513).Select(i => Sign(channelId, i, (ulong)i)).ToList();

        var error = await ChainAssert.RevertsWithAsync<Abi.SettlementTooLargeError>(() => ProviderChannels.SettleAsync(vouchers));

        Assert.Equal((new BigInteger(513), new BigInteger(512)), (error.Count, error.MaxCount));
    }

    private async Task<Bytes32> OpenAsync(TimeSpan? lifetime = null)
    {
        var (channelId, _) = await CreatorChannels.OpenChannelAsync(_node, _model, EvmAddress.Zero, Deposit, await ExpiryAsync(lifetime ?? TimeSpan.FromDays(1)));
        return channelId;
    }

    // The chain's clock, not the machine's: other tests move anvil's time forward.
    private async Task<DateTimeOffset> ExpiryAsync(TimeSpan lifetime) => (await anvil.Node.LatestBlockTimeAsync()) + lifetime;

    private SignedPaymentVoucher Sign(Bytes32 channelId, BigInteger cumulativeAmount, ulong nonce)
    {
        var voucher = new PaymentVoucher(channelId, cumulativeAmount, nonce);
        return new SignedPaymentVoucher(voucher, PaymentVoucherTypedData.Sign(voucher, CreatorChannels.Domain, _creator.Key));
    }
}
