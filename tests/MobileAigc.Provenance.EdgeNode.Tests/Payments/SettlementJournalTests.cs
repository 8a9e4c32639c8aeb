using System.Numerics;
using MobileAigc.Provenance.EdgeNode.Payments;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

public sealed class SettlementJournalTests : IDisposable
{
    private readonly ScratchPayments _payments = new();

    [Fact]
    public void Due_ByExpiryOrValue_PicksOnlyTheDueChannels()
    {
        var now = ScratchPayments.Now;
        var soon = Accept(now.AddMinutes(30), 10);
        var rich = Accept(now.AddDays(2), 5_000);
        Accept(now.AddDays(2), 10);
        Accept(now.AddMinutes(-1), 5_000); // expired: can no longer be settled

        var due = _payments.Settlements.Due(now, TimeSpan.FromHours(1), 1_000, 10);

        Assert.Equal([soon.ChannelId, rich.ChannelId], due.Select(d => d.ChannelId));
        Assert.Equal([soon.ChannelId], _payments.Settlements.Due(now, TimeSpan.FromHours(1), 1_000, max: 1).Select(d => d.ChannelId));
    }

    [Fact]
    public void Begin_StoresTheSignedTransactionAndTakesItsChannelsOutOfTheDue()
    {
        var channel = Accept(ScratchPayments.Now.AddDays(1), 10);
        var voucher = Assert.Single(Due()).Voucher;

        var id = _payments.Settlements.Begin("0xab", "0xcd", [voucher], ScratchPayments.Now);

        var pending = Assert.Single(_payments.Settlements.Pending());
        Assert.Equal((id, "0xab", "0xcd", ScratchPayments.Now), (pending.Id, pending.TransactionHash, pending.RawTransaction, pending.SignedAt));
        Assert.Equal([voucher], pending.Vouchers);
        Assert.Empty(Due());
        Assert.Equal(("signed", 1), (_payments.Settlements.All().Single().State, _payments.Settlements.All().Single().Channels));
        Assert.Equal(0UL, _payments.Vouchers.Find(channel.ChannelId)!.SettledNonce);
    }

    [Fact]
    public void Complete_MinedSettlement_SettlesItsChannels()
    {
        var channel = Accept(ScratchPayments.Now.AddDays(1), 10);
        var id = _payments.Settlements.Begin("0xab", "0xcd", [Assert.Single(Due()).Voucher], ScratchPayments.Now);

        _payments.Settlements.Complete(id, 7, 50_000, ScratchPayments.Now);

        Assert.Empty(_payments.Settlements.Pending());
        Assert.Empty(Due());
        var settled = _payments.Vouchers.Find(channel.ChannelId)!;
        Assert.Equal((1UL, new BigInteger(10)), (settled.SettledNonce, settled.SettledAmount));
        Assert.Equal(("mined", 7UL), (_payments.Settlements.All().Single().State, _payments.Settlements.All().Single().BlockNumber));
    }

    [Fact]
    public void Fail_RevertedSettlement_MakesItsChannelsDueAgain()
    {
        Accept(ScratchPayments.Now.AddDays(1), 10);
        var id = _payments.Settlements.Begin("0xab", "0xcd", [Assert.Single(Due()).Voucher], ScratchPayments.Now);

        _payments.Settlements.Fail(id, "reverted in block 7", ScratchPayments.Now);

        Assert.Single(Due());
        Assert.Equal(("failed", "reverted in block 7"), (_payments.Settlements.All().Single().State, _payments.Settlements.All().Single().Error));
    }

    [Fact]
    public void MarkUnsettleable_KeepsTheChannelOutUntilItsNextVoucher()
    {
        var channel = Accept(ScratchPayments.Now.AddDays(1), 10);

        _payments.Settlements.MarkUnsettleable(channel.ChannelId, "channel closed");
        Assert.Empty(Due());
        Assert.Null(_payments.Offer(channel, 20, 2, 10));

        Assert.Equal(2UL, Assert.Single(Due()).Voucher.Nonce);
    }

    public void Dispose() => _payments.Dispose();

    private IReadOnlyList<SettlementCandidate> Due() => _payments.Settlements.Due(ScratchPayments.Now, TimeSpan.Zero, 1, 10);

    private ChannelFacts Accept(DateTimeOffset expiresAt, BigInteger amount)
    {
        var channel = ScratchPayments.Channel(expiresAt);
        Assert.Null(_payments.Offer(channel, amount, 1, 1));
        return channel;
    }
}
