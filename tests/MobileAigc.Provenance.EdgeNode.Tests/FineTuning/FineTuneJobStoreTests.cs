using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.FineTuning;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

public sealed class FineTuneJobStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private readonly TempDirectory _dir = new();
    private FineTuneJobStore _store;

    public FineTuneJobStoreTests() => _store = FineTuneJobStore.Open(_dir.File("fine-tunes.db"));

    [Fact]
    public void TryInsert_NameOfALiveJob_IsRefusedButAFailedJobsNameIsFree()
    {
        Assert.True(_store.TryInsert(Job("a", "same")));
        Assert.False(_store.TryInsert(Job("b", "same")));

        _store.End("a", FineTuneStates.Failed, "broken", (0, 0), Now);

        Assert.True(_store.TryInsert(Job("c", "same")));
    }

    [Fact]
    public void ClaimNext_TakesTheOldestQueuedJobOnce()
    {
        _store.TryInsert(Job("b", "second", Now.AddSeconds(1)));
        _store.TryInsert(Job("a", "first"));

        Assert.Equal("a", _store.ClaimNext()!.Id);
        Assert.Equal("b", _store.ClaimNext()!.Id);
        Assert.Null(_store.ClaimNext());
        Assert.Equal(FineTuneStates.Running, _store.Find("a")!.State);
    }

    [Fact]
    public void RequeueRunning_AfterReopening_QueuesTheRunsACrashCutShort()
    {
        _store.TryInsert(Job("a", "first"));
        _store.ClaimNext();
        _store.Dispose();
        _store = FineTuneJobStore.Open(_dir.File("fine-tunes.db"));

        Assert.Equal(1, _store.RequeueRunning());

        Assert.Equal((FineTuneStates.Queued, 1), (_store.Find("a")!.State, _store.QueuedCount()));
    }

    [Fact]
    public void End_PaidJob_MakesItsRefundPendingUntilSet()
    {
        var fee = new AcceptedPayment(Bytes32.Sha256([1]), 3, 1_500, 500);
        _store.TryInsert(Job("a", "paid") with { Payment = fee });
        _store.TryInsert(Job("b", "free"));

        var ended = _store.End("a", FineTuneStates.Cancelled, null, (0, 0), Now)!;
        _store.End("b", FineTuneStates.Cancelled, null, (0, 0), Now);

        Assert.Equal((FineTuneJobRecord.RefundPending, fee), (ended.Refund, ended.Payment));
        Assert.Equal(["a"], _store.PendingRefunds().Select(j => j.Id));
        Assert.Equal(FineTuneRefunds.Pending, ended.ToApi().Refund);
        _store.SetRefund("a", FineTuneRefunds.Released);
        Assert.Empty(_store.PendingRefunds());
        Assert.Equal(FineTuneRefunds.Released, _store.Find("a")!.ToApi().Refund);
    }

    [Fact]
    public void End_FinishedJob_ChangesNothing()
    {
        _store.TryInsert(Job("a", "first"));
        _store.ClaimNext();
        _store.Succeed("a", Bytes32.Sha256([9]), 2.5, 1.5, 10, Now);

        Assert.Null(_store.End("a", FineTuneStates.Cancelled, null, (0, 0), Now));
        Assert.Equal((FineTuneStates.Succeeded, 2.5, 1.5, 10), (_store.Find("a")!.State, _store.Find("a")!.LossBefore, _store.Find("a")!.LossAfter, _store.Find("a")!.Steps));
    }

    [Fact]
    public void End_OnlyQueued_LeavesARunningJob()
    {
        _store.TryInsert(Job("a", "first"));
        _store.ClaimNext();

        Assert.Null(_store.End("a", FineTuneStates.Cancelled, null, (0, 0), Now, onlyQueued: true));
        Assert.Equal(FineTuneStates.Running, _store.Find("a")!.State);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private static FineTuneJobRecord Job(string id, string name, DateTimeOffset? createdAt = null)
    {
        var salt = Commitments.NewSalt();
        return new FineTuneJobRecord(id, FineTuneStates.Queued, Bytes32.Sha256([1]), "base", name, 1, EvmAddress.Zero, ModelVisibilities.Private,
            Commitments.TrainingData(salt, ["text"]), salt, null, null, null, 0, 0, null, null, null, null, createdAt ?? Now, null);
    }
}
