using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Payments;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>A fee given back: released while its voucher is the channel's latest, else a durable credit that lowers the next voucher.</summary>
public sealed class FeeRefundsTests : IDisposable
{
    private readonly ScratchPayments _payments = new();

    [Fact]
    public void GiveBack_FeeVoucherStillTheLatest_ReleasesIt()
    {
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 10, 1, 10));
        Assert.Null(_payments.Offer(channel, 510, 2, 500));

        var outcome = new FeeRefunds(_payments.Database).GiveBack(new AcceptedPayment(channel.ChannelId, 2, 510, 500), ScratchPayments.Now);

        Assert.Equal(FineTuneRefunds.Released, outcome);
        var latest = _payments.Vouchers.Find(channel.ChannelId)!;
        Assert.Equal((1UL, 10), (latest.Nonce, (int)latest.CumulativeAmount));
        // The next voucher adds one generation's price to the amount before the fee, as if the fee was never taken.
        Assert.Null(_payments.Offer(channel, 20, 3, 10));
    }

    [Fact]
    public void GiveBack_CreatorUsedTheChannelSince_CreditsTheFeeAndTheNextVouchersAddLess()
    {
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 500, 1, 500));
        Assert.Null(_payments.Offer(channel, 510, 2, 10));
        var refunds = new FeeRefunds(_payments.Database);

        var outcome = refunds.GiveBack(new AcceptedPayment(channel.ChannelId, 1, 500, 500), ScratchPayments.Now);

        Assert.Equal(FineTuneRefunds.Credited, outcome);
        Assert.Equal(500, (int)refunds.Credit(channel.ChannelId));
        // A generation at price 10 now needs nothing more than the latest amount (a new nonce), and uses 10 of the credit.
        Assert.Null(_payments.Offer(channel, 510, 3, 10));
        Assert.Equal(490, (int)refunds.Credit(channel.ChannelId));
    }

    [Fact]
    public void GiveBack_Credit_SurvivesReopeningTheDatabase()
    {
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 500, 1, 500));
        Assert.Null(_payments.Offer(channel, 510, 2, 10));
        new FeeRefunds(_payments.Database).GiveBack(new AcceptedPayment(channel.ChannelId, 1, 500, 500), ScratchPayments.Now);
        _payments.Database.Dispose();

        using var reopened = PaymentsDatabase.Open(_payments.Path, Core.Primitives.EvmAddress.Zero);

        Assert.Equal(500, (int)new FeeRefunds(reopened).Credit(channel.ChannelId));
    }

    [Fact]
    public void GiveBack_Twice_GivesBackOnce()
    {
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 500, 1, 500));
        Assert.Null(_payments.Offer(channel, 510, 2, 10));
        var refunds = new FeeRefunds(_payments.Database);
        var fee = new AcceptedPayment(channel.ChannelId, 1, 500, 500);

        refunds.GiveBack(fee, ScratchPayments.Now);
        var again = refunds.GiveBack(fee, ScratchPayments.Now);

        Assert.Equal(FineTuneRefunds.Credited, again);
        Assert.Equal(500, (int)refunds.Credit(channel.ChannelId));
    }

    [Fact]
    public void TryAccept_WithCredit_StillRefusesAVoucherBelowTheLatestAmountLessNothing()
    {
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 5, 1, 5));
        Assert.Null(_payments.Offer(channel, 15, 2, 10));
        new FeeRefunds(_payments.Database).GiveBack(new AcceptedPayment(channel.ChannelId, 1, 5, 5), ScratchPayments.Now);

        // Credit 5 against a price of 10: the next voucher must still add 5.
        var refusal = _payments.Offer(channel, 19, 3, 10);

        Assert.Equal((PaymentProblemTypes.VoucherUnderpaid, 20), (refusal!.Type, (int)refusal.RequiredAmount!.Value));
        Assert.Null(_payments.Offer(channel, 20, 3, 10));
    }

    public void Dispose() => _payments.Dispose();
}
