using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Metrics;

namespace MobileAigc.Provenance.Ledger.Tests.Metrics;

public sealed class LedgerMetricsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RecordIngest_MixedOutcomes_CountsEachByOutcomeAndProblemType()
    {
        using var recorder = new MeterRecorder();
        var metrics = new LedgerMetrics(recorder.Factory);
        RecordIngestOutcome Outcome(RecordIngestStatus status, RecordRefusalReason? reason = null) =>
            new(Bytes32.Sha256(Guid.NewGuid().ToByteArray()), status, reason is { } r ? new RecordRefusal(r, "test") : null);

        metrics.RecordIngest(
            [Outcome(RecordIngestStatus.Stored), Outcome(RecordIngestStatus.Stored), Outcome(RecordIngestStatus.AlreadyStored),
             Outcome(RecordIngestStatus.Refused, RecordRefusalReason.UnknownModel), Outcome(RecordIngestStatus.Refused, RecordRefusalReason.UnknownModel),
             Outcome(RecordIngestStatus.Refused, RecordRefusalReason.QuotaExceeded)],
            TimeSpan.FromMilliseconds(250));
        metrics.RecordIngest([Outcome(RecordIngestStatus.Refused, RecordRefusalReason.InvalidSignature)], TimeSpan.FromMilliseconds(5));

        Assert.Equal([2d], recorder.Values("provenance.ledger.records.accepted", ("outcome", "stored")));
        Assert.Equal([1d], recorder.Values("provenance.ledger.records.accepted", ("outcome", "already-stored")));
        Assert.Equal(2, recorder.Values("provenance.ledger.records.refused", ("problem_type", RecordProblemTypes.UnknownModel)).Sum());
        Assert.Equal(1, recorder.Values("provenance.ledger.records.refused", ("problem_type", RecordProblemTypes.IngestQuotaExceeded)).Sum());
        Assert.Equal([0.25], recorder.Values("provenance.ledger.ingest.duration", ("result", "accepted")));
        Assert.Equal([0.005], recorder.Values("provenance.ledger.ingest.duration", ("result", "refused")));
    }

    [Fact]
    public void RecordVerification_LabelsAreTheApiWords()
    {
        using var recorder = new MeterRecorder();
        var metrics = new LedgerMetrics(recorder.Factory);
        var traced = new VerificationResult(VerificationVerdict.ModifiedButTraced, "", Bytes32.Zero, new VerificationMatch(VerificationMatchMethod.PerceptualHash, 3, 10, null),
            null, null, null, null, null, null);
        var unknown = new VerificationResult(VerificationVerdict.Unknown, "", Bytes32.Zero, null, null, null, null, null, null, null);

        metrics.RecordVerification(traced, byFile: true, TimeSpan.FromSeconds(1));
        metrics.RecordVerification(unknown, byFile: false, TimeSpan.FromSeconds(2));

        Assert.Equal([1d], recorder.Values("provenance.ledger.verification.duration",
            ("strategy", "perceptual-hash"), ("verdict", "modified-but-traced"), ("input", "file"), ("credentials", "absent")));
        Assert.Equal([2d], recorder.Values("provenance.ledger.verification.duration", ("strategy", "none"), ("verdict", "unknown"), ("input", "hash")));
    }

    [Theory]
    [InlineData(VerificationMatchMethod.ContentHash, "content-hash")]
    [InlineData(VerificationMatchMethod.ImageWatermark, "image-watermark")]
    [InlineData(VerificationMatchMethod.PerceptualHash, "perceptual-hash")]
    [InlineData(VerificationMatchMethod.TextWatermark, "text-watermark")]
    public void Strategy_EveryMatchMethod_HasItsApiName(VerificationMatchMethod method, string label) =>
        Assert.Equal(label, VerificationLabels.Strategy(method));

    [Fact]
    public void Verdict_EveryVerdict_HasADistinctLabel()
    {
        var labels = Enum.GetValues<VerificationVerdict>().Select(VerificationLabels.Verdict).ToList();

        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.Contains("signature-invalid", labels);
        Assert.Equal(VerificationLabels.NoMatch, VerificationLabels.Strategy(null));
    }

    [Fact]
    public void AnchoringDelay_ChainClockBehind_IsZeroNotNegative()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), LedgerMetrics.AnchoringDelay(Start, Start.AddSeconds(90)));
        Assert.Equal(TimeSpan.Zero, LedgerMetrics.AnchoringDelay(Start, Start.AddSeconds(-3)));
    }

    [Theory]
    [InlineData(100, 0, 101, 0)] // caught up: the next block to read is past the head
    [InlineData(100, 0, 91, 10)]
    [InlineData(100, 2, 91, 8)] // blocks inside the confirmations are not owed yet
    [InlineData(100, 2, 200, 0)] // a cursor ahead of a node that restarted its chain: never negative
    public void Lag_HeadConfirmationsAndCursor_IsTheConfirmedBlocksNotRead(long head, int confirmations, long nextBlock, long lag) =>
        Assert.Equal(lag, LedgerStateReading.Lag(head, confirmations, nextBlock));

    [Fact]
    public void IndexersBehind_OnlyThoseOverTheLimit_InNameOrder()
    {
        var reading = new LedgerStateReading(Start, 0, null, new Dictionary<string, long> { ["payment-channels"] = 500, ["model-registry"] = 101, ["other"] = 100 });

        Assert.Equal(["model-registry", "payment-channels"], reading.IndexersBehind(100).Select(l => l.Key));
        Assert.Empty(reading.IndexersBehind(500));
    }

    [Fact]
    public void FailedReading_IsNeverOlderThanAThreshold_AndObservesNothing()
    {
        using var recorder = new MeterRecorder();
        var metrics = new LedgerMetrics(recorder.Factory);
        var failed = LedgerStateReading.FailedAt(Start, "database away");

        metrics.Observe(failed);
        recorder.Observe();

        Assert.False(failed.BacklogOlderThan(TimeSpan.FromSeconds(1)));
        Assert.Empty(recorder.Values("provenance.ledger.anchoring.backlog"));
        Assert.Empty(recorder.Values("provenance.ledger.indexer.lag"));
    }
}
