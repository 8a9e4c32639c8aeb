using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

public sealed class VoucherBookTests : IDisposable
{
    private readonly ScratchPayments _payments = new();

    [Fact]
    public void TryAccept_NextVouchers_BecomeTheChannelsLatestWithAHistoryRowEach()
    {
        var channel = ScratchPayments.Channel(modelHash: Bytes32.Sha256([7]));

        Assert.Null(_payments.Offer(channel, 10, 1, 10));
        Assert.Null(_payments.Offer(channel, 25, 2, 10));

        var latest = _payments.Vouchers.Find(channel.ChannelId)!;
        Assert.Equal((2UL, 25, 2L, 0UL), (latest.Nonce, (int)latest.CumulativeAmount, latest.Generations, latest.SettledNonce));
        Assert.Equal(Bytes32.Sha256([7]), latest.ModelHash);
        Assert.Equal(2, _payments.Vouchers.AcceptedCount());
    }

    [Fact]
    public void TryAccept_ReplayedNonce_IsRefusedAndStoresNothing()
    {
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 10, 1, 10));

        var refusal = _payments.Offer(channel, 20, 1, 10);

        Assert.Equal(PaymentProblemTypes.VoucherNonceStale, refusal!.Type);
        Assert.Equal(1, _payments.Vouchers.AcceptedCount());
    }

    [Fact]
    public void TryAccept_BelowLatestPlusPrice_NamesTheRequiredAmount()
    {
        var channel = ScratchPayments.Channel() with { Paid = 5, LastNonce = 1 };

        var refusal = _payments.Offer(channel, 14, 2, 10);

        Assert.Equal((PaymentProblemTypes.VoucherUnderpaid, 15), (refusal!.Type, (int)refusal.RequiredAmount!.Value));
        Assert.Null(_payments.Vouchers.Find(channel.ChannelId));
    }

    [Fact]
    public void Release_LatestVoucher_RestoresTheOneBeforeAndForgetsAChannelLeftEmpty()
    {
        var channel = ScratchPayments.Channel();
        var other = ScratchPayments.Channel();
        _payments.Offer(channel, 10, 1, 10);
        _payments.Offer(channel, 20, 2, 10);
        _payments.Offer(other, 10, 1, 10);

        Assert.False(_payments.Vouchers.Release(channel.ChannelId, 1));
        Assert.True(_payments.Vouchers.Release(channel.ChannelId, 2));
        Assert.True(_payments.Vouchers.Release(other.ChannelId, 1));

        Assert.Equal((1UL, 10, 1L), (_payments.Vouchers.Find(channel.ChannelId)!.Nonce, (int)_payments.Vouchers.Find(channel.ChannelId)!.CumulativeAmount,
            _payments.Vouchers.Find(channel.ChannelId)!.Generations));
        Assert.Null(_payments.Vouchers.Find(other.ChannelId));
        Assert.Equal(1, _payments.Vouchers.AcceptedCount());
    }

    [Fact]
    public void Release_VoucherInASettlement_IsKept()
    {
        var channel = ScratchPayments.Channel();
        _payments.Offer(channel, 10, 1, 10);
        var (voucher, _) = _payments.Voucher(channel, 10, 1);
        _payments.Settlements.Begin("0x01", "0x02", [voucher], ScratchPayments.Now);

        Assert.False(_payments.Vouchers.Release(channel.ChannelId, 1));
        Assert.Equal(1UL, _payments.Vouchers.Find(channel.ChannelId)!.Nonce);
    }

    [Fact]
    public void Earnings_ChannelsOfOneModel_AreSummedPerModelAndToken()
    {
        var model = Bytes32.Sha256([9]);
        var first = ScratchPayments.Channel(modelHash: model);
        var second = ScratchPayments.Channel(modelHash: model);
        _payments.Offer(first, 10, 1, 10);
        _payments.Offer(first, 20, 2, 10);
        _payments.Offer(second, 10, 1, 10);
        _payments.Settlements.RecordChainSettled(first.ChannelId, 1, 10);

        var earnings = _payments.Vouchers.Earnings(EvmAddress.Zero);

        Assert.Equal(new HashSet<Bytes32> { first.ChannelId, second.ChannelId }, earnings.Channels.Select(c => c.ChannelId).ToHashSet());
        var perModel = Assert.Single(earnings.Models);
        Assert.Equal((model, 2, 3L, 30, 10, 20), (perModel.ModelHash, perModel.Channels, perModel.Generations,
            (int)perModel.Accepted, (int)perModel.Settled, (int)perModel.Pending));
    }

    public void Dispose() => _payments.Dispose();
}
