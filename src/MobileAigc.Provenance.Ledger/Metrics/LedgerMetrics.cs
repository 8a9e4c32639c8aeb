using System.Diagnostics.Metrics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Ingest;

namespace MobileAigc.Provenance.Ledger.Metrics;

/// <summary>
/// The ledger's instruments for operators, on the meter <see cref="MeterName"/> (exported at
/// <c>/metrics</c> by the host; docs/operations.md lists each with its Prometheus name). Labels are
/// low-cardinality only: problem types, strategies, verdicts and indexer names are fixed sets; no
/// digest, creator, node or model ever becomes a label.
/// </summary>
/// <remarks>Thread-safe; meant to be a singleton. The gauges read the latest <see cref="LedgerStateReading"/>
/// kept by <see cref="LedgerStateSampler"/>: a scrape never queries the database.</remarks>
public sealed class LedgerMetrics
{
    /// <summary>The meter's name, to subscribe to (<c>AddMeter</c>).</summary>
    public const string MeterName = "MobileAigc.Provenance.Ledger";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _ingestDuration;
    private readonly Histogram<double> _anchoringDelay;
    private readonly Counter<long> _batchesAnchored;
    private readonly Histogram<long> _batchGas;
    private readonly Histogram<long> _batchRecords;
    private readonly Histogram<double> _verificationDuration;
    private readonly Counter<long> _settlementsIndexed;
    private LedgerStateReading? _state;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public LedgerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("provenance.ledger.records.accepted", "{record}",
            "Records accepted at ingest; outcome: stored (new) or already-stored (an identical resubmission).");
        _refused = meter.CreateCounter<long>("provenance.ledger.records.refused", "{record}",
            "Records refused at ingest, by the refusal's stable problem type.");
        _ingestDuration = meter.CreateHistogram<double>("provenance.ledger.ingest.duration", "s",
            "Time to check and store one ingest request (all its records); result: accepted, refused (every record) or failed.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _anchoringDelay = meter.CreateHistogram<double>("provenance.ledger.anchoring.delay", "s",
            "Time from a record's acceptance to the block that anchored it, per record.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 14_400, 86_400] });
        _batchesAnchored = meter.CreateCounter<long>("provenance.ledger.anchoring.batches", "{batch}", "Batches anchored and confirmed on chain.");
        _batchGas = meter.CreateHistogram<long>("provenance.ledger.anchoring.batch.gas", "{gas}", "Gas used by each anchored batch's transaction.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 500_000, 1_000_000] });
        _batchRecords = meter.CreateHistogram<long>("provenance.ledger.anchoring.batch.records", "{record}", "Records in each anchored batch.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16_384, 65_536] });
        _verificationDuration = meter.CreateHistogram<double>("provenance.ledger.verification.duration", "s",
            "Time to answer a verification, by the strategy that matched (none when nothing did), the verdict, the input (hash or file) and whether the file carried Content Credentials.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _settlementsIndexed = meter.CreateCounter<long>("provenance.ledger.settlements.indexed", "{settlement}",
            "Channel settlements (ChannelSettled events) read from the chain into the ledger's mirror.");
        meter.CreateObservableGauge("provenance.ledger.anchoring.backlog", () => Observe(s => s.BacklogRecords), "{record}",
            "Records accepted and not yet anchored (waiting for a batch or in an unconfirmed batch).");
        meter.CreateObservableGauge("provenance.ledger.anchoring.backlog.age", () => Observe(s => s.OldestWaiting?.TotalSeconds), "s",
            "How long the oldest record not yet anchored has waited; absent when none waits.");
        meter.CreateObservableGauge("provenance.ledger.indexer.lag", ObserveIndexerLag, "{block}",
            "Confirmed blocks the chain indexer has not read yet, by indexer (model-registry, payment-channels).");
    }

    /// <summary>The latest reading of the ledger's state, or null before the first.</summary>
    public LedgerStateReading? State => Volatile.Read(ref _state);

    /// <summary>Keeps <paramref name="reading"/> for the gauges and the health checks.</summary>
    public void Observe(LedgerStateReading reading) => Volatile.Write(ref _state, reading);

    /// <summary>Counts the outcomes of one ingest request and records its duration.</summary>
    public void RecordIngest(IReadOnlyList<RecordIngestOutcome> outcomes, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var stored = 0;
        var again = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Status)
            {
                case RecordIngestStatus.Stored:
                    stored++;
                    break;
                case RecordIngestStatus.AlreadyStored:
                    again++;
                    break;
                default:
                    _refused.Add(1, new KeyValuePair<string, object?>("problem_type", outcome.Refusal?.ProblemType ?? RecordProblemTypes.InvalidRequest));
                    break;
            }
        }

        Add(_accepted, stored, "outcome", "stored");
        Add(_accepted, again, "outcome", "already-stored");
        _ingestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", stored + again > 0 ? "accepted" : "refused"));
    }

    /// <summary>Records the duration of an ingest request that failed (the database did not answer).</summary>
    public void RecordIngestFailed(TimeSpan duration) =>
        _ingestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("result", "failed"));

    /// <summary>Records a batch confirmed on chain: its gas, its size and each record's wait.</summary>
    /// <param name="gasUsed">The transaction's gas; null when the receipt was not found.</param>
    /// <param name="anchoredAt">When the ledger saw the batch anchored and confirmed, on its own clock (as <paramref name="receivedAt"/>).</param>
    /// <param name="receivedAt">When each of the batch's records was accepted.</param>
    public void RecordBatchAnchored(long? gasUsed, DateTimeOffset anchoredAt, IReadOnlyCollection<DateTimeOffset> receivedAt)
    {
        ArgumentNullException.ThrowIfNull(receivedAt);
        _batchesAnchored.Add(1);
        _batchRecords.Record(receivedAt.Count);
        if (gasUsed is { } gas)
        {
            _batchGas.Record(gas);
        }

        foreach (var received in receivedAt)
        {
            _anchoringDelay.Record(AnchoringDelay(received, anchoredAt).TotalSeconds);
        }
    }

    /// <summary>
    /// A record's wait from acceptance to anchored and confirmed; never negative (the replica that accepted a record and
    /// the one that anchors it read different clocks).
    /// </summary>
    public static TimeSpan AnchoringDelay(DateTimeOffset receivedAt, DateTimeOffset anchoredAt) =>
        anchoredAt > receivedAt ? anchoredAt - receivedAt : TimeSpan.Zero;

    /// <summary>Records one verification's duration.</summary>
    /// <param name="result">The answer (its match method is the strategy, its verdict the verdict).</param>
    /// <param name="byFile">True for an uploaded file, false for a hash alone.</param>
    /// <param name="duration">How long it took.</param>
    public void RecordVerification(VerificationResult result, bool byFile, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(result);
        _verificationDuration.Record(duration.TotalSeconds,
            new KeyValuePair<string, object?>("strategy", VerificationLabels.Strategy(result.Match?.Method)),
            new KeyValuePair<string, object?>("verdict", VerificationLabels.Verdict(result.Verdict)),
            new KeyValuePair<string, object?>("input", byFile ? "file" : "hash"),
            new KeyValuePair<string, object?>("credentials", result.Credentials is { Present: true } ? "present" : "absent"));
    }

    /// <summary>Counts one settlement read from the chain.</summary>
    public void RecordSettlementIndexed() => _settlementsIndexed.Add(1);

    private static void Add(Counter<long> counter, int count, string label, string value)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>(label, value));
        }
    }

    private IEnumerable<Measurement<double>> Observe(Func<LedgerStateReading, double?> value) =>
        State is { Failed: false } state && value(state) is { } measured ? [new Measurement<double>(measured)] : [];

    private IEnumerable<Measurement<long>> ObserveIndexerLag() =>
        State is { Failed: false } state
            ? state.IndexerLag.Select(lag => new Measurement<long>(lag.Value, new KeyValuePair<string, object?>("indexer", lag.Key)))
            : [];
}
