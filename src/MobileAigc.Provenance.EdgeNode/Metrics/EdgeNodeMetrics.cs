using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MobileAigc.Provenance.EdgeNode.Metrics;

/// <summary>
/// The edge node's instruments for its provider, on the meter <see cref="MeterName"/> (exported at
/// <c>/metrics</c> by the host, behind the provider key; docs/operations.md lists each with its
/// Prometheus name). Labels are low-cardinality only: kinds, outcomes and problem types are fixed
/// sets; no creator, channel, record or amount ever becomes a label.
/// </summary>
/// <remarks>Thread-safe; meant to be a singleton.</remarks>
public sealed class EdgeNodeMetrics
{
    /// <summary>The meter's name, to subscribe to (<c>AddMeter</c>).</summary>
    public const string MeterName = "MobileAigc.Provenance.EdgeNode";

    /// <summary>The outcome label of a generation that was served.</summary>
    public const string Generated = "generated";

    /// <summary>The outcome label of a generation that failed with an unexpected error (a 500).</summary>
    public const string Failed = "failed";

    private readonly Counter<long> _generations;
    private readonly Histogram<double> _generationDuration;
    private readonly Counter<long> _paymentsRefused;
    private readonly Counter<long> _vouchersAccepted;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _settlementsSubmitted;
    private readonly Counter<long> _settlementsSettled;
    private readonly Counter<long> _settlementsSkipped;
    private readonly Counter<long> _evidenceKept;
    private readonly Counter<long> _evidenceRefused;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    /// <param name="meters">The host's meter factory.</param>
    /// <param name="outboxCounts">
    /// Reads the outbox's pending and held records for the gauge (at each collection); a delegate, so that the outbox,
    /// which counts its deliveries here, is not a dependency of the metrics in turn.
    /// </param>
    public EdgeNodeMetrics(IMeterFactory meters, Func<(long Pending, long Held)> outboxCounts)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(outboxCounts);
        var meter = meters.Create(MeterName);
        _generations = meter.CreateCounter<long>("provenance.node.generations", "{generation}",
            "Generation requests by kind (image, text) and outcome (generated, failed, or the refusal's problem type).");
        _generationDuration = meter.CreateHistogram<double>("provenance.node.generation.duration", "s",
            "Time to answer a generation request, by kind and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _paymentsRefused = meter.CreateCounter<long>("provenance.node.payments.refused", "{request}",
            "Paid or unpaid requests refused by the payment gate, by problem type.");
        _vouchersAccepted = meter.CreateCounter<long>("provenance.node.vouchers.accepted", "{voucher}",
            "Vouchers accepted for a generation that was served.");
        _deliveries = meter.CreateCounter<long>("provenance.node.outbox.deliveries", "{record}",
            "Records the outbox sent to the ledger, by result: accepted, held (refused for good), retried (refused for now or not answered).");
        _settlementsSubmitted = meter.CreateCounter<long>("provenance.node.settlements.submitted", "{voucher}",
            "Vouchers put in a settlement transaction the node signed and sent.");
        _settlementsSettled = meter.CreateCounter<long>("provenance.node.settlements.settled", "{voucher}",
            "Vouchers settled on chain (their settlement transaction mined and the contract took them).");
        _settlementsSkipped = meter.CreateCounter<long>("provenance.node.settlements.skipped", "{voucher}",
            "Vouchers the contract skipped in a mined settlement, by the contract's reason.");
        _evidenceKept = meter.CreateCounter<long>("provenance.node.evidence.kept", "{record}",
            "Records whose evidence (Merkle proof to a root checked on chain) the node kept after anchoring.");
        _evidenceRefused = meter.CreateCounter<long>("provenance.node.evidence.refused", "{record}",
            "Evidence the ledger answered that the node refused to keep, by reason (not-requested, other-deployment, bad-evidence, root-not-anchored, other-anchorer).");
        meter.CreateObservableGauge("provenance.node.outbox.records", () => ObserveOutbox(outboxCounts), "{record}",
            "Records in the outbox by state: pending (waiting to be delivered) or held (refused for good by the ledger, listed at v1/node/held).");
    }

    /// <summary>Counts and times one generation request.</summary>
    /// <param name="kind">image or text.</param>
    /// <param name="outcome"><see cref="Generated"/>, <see cref="Failed"/> or the refusal's problem type.</param>
    /// <param name="duration">How long the request took.</param>
    public void RecordGeneration(string kind, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "kind", kind }, { "outcome", outcome } };
        _generations.Add(1, tags);
        _generationDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Counts a request refused by the payment gate.</summary>
    public void RecordPaymentRefused(string problemType) =>
        _paymentsRefused.Add(1, new KeyValuePair<string, object?>("problem_type", problemType));

    /// <summary>Counts a voucher accepted for a served generation.</summary>
    public void RecordVoucherAccepted() => _vouchersAccepted.Add(1);

    /// <summary>Counts the records of one delivery round by result.</summary>
    public void RecordDeliveries(int accepted, int held, int retried)
    {
        Add(_deliveries, accepted, "result", "accepted");
        Add(_deliveries, held, "result", "held");
        Add(_deliveries, retried, "result", "retried");
    }

    /// <summary>Counts the vouchers of a settlement transaction sent.</summary>
    public void RecordSettlementSubmitted(int vouchers) => _settlementsSubmitted.Add(vouchers);

    /// <summary>Counts a mined settlement's settled and skipped vouchers (skipped by the contract's reason).</summary>
    public void RecordSettlementMined(int settled, IEnumerable<string> skippedReasons)
    {
        ArgumentNullException.ThrowIfNull(skippedReasons);
        _settlementsSettled.Add(settled);
        foreach (var reason in skippedReasons)
        {
            _settlementsSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    /// <summary>Counts records whose checked evidence was kept.</summary>
    public void RecordEvidenceKept(int kept) => Add(_evidenceKept, kept);

    /// <summary>Counts one piece of evidence refused, by reason.</summary>
    public void RecordEvidenceRefused(string reason) => _evidenceRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    // One read of the outbox per scrape for both states.
    private static Measurement<long>[] ObserveOutbox(Func<(long Pending, long Held)> outboxCounts)
    {
        var counts = outboxCounts();
        return
        [
            new Measurement<long>(counts.Pending, new KeyValuePair<string, object?>("state", "pending")),
            new Measurement<long>(counts.Held, new KeyValuePair<string, object?>("state", "held")),
        ];
    }

    private static void Add(Counter<long> counter, int count)
    {
        if (count > 0)
        {
            counter.Add(count);
        }
    }

    private static void Add(Counter<long> counter, int count, string label, string value)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>(label, value));
        }
    }
}
