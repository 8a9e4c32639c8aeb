using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Audit;

// The answers of api/dashboard. Every time in them is Unix seconds, as the window's bounds.

/// <summary>The headline numbers of a window (<c>GET api/dashboard/summary</c>).</summary>
/// <param name="From">The window's first second.</param>
/// <param name="To">The window's last second.</param>
/// <param name="Records">Records whose signed timestamp is in the window.</param>
/// <param name="Pending">Of them, waiting for a batch.</param>
/// <param name="Anchoring">Of them, in a batch not yet confirmed.</param>
/// <param name="Anchored">Of them, in a confirmed batch.</param>
/// <param name="Revoked">Of them, revoked.</param>
/// <param name="Models">Distinct models among them.</param>
/// <param name="Nodes">Distinct nodes among them.</param>
/// <param name="Batches">Batches confirmed in the window.</param>
/// <param name="BatchedRecords">The records those batches hold.</param>
/// <param name="GasUsed">The gas their transactions used.</param>
/// <param name="GasPerRecord"><paramref name="GasUsed"/> / <paramref name="BatchedRecords"/>; null without batches.</param>
/// <param name="Settlements">Vouchers settled in the window.</param>
public sealed record DashboardSummary(
    long From, long To, long Records, long Pending, long Anchoring, long Anchored, long Revoked, int Models, int Nodes,
    long Batches, long BatchedRecords, long GasUsed, double? GasPerRecord, long Settlements);

/// <summary>Records per hour, one series per model or node (<c>GET api/dashboard/records-per-hour</c>).</summary>
/// <param name="From">The window's first second.</param>
/// <param name="To">The window's last second.</param>
/// <param name="BucketSeconds">The width of a point: 3,600.</param>
/// <param name="By"><c>model</c> or <c>node</c>.</param>
/// <param name="Total">Every record in the window (after the filters).</param>
/// <param name="Series">One per key, the largest first.</param>
public sealed record RecordActivity(long From, long To, int BucketSeconds, string By, long Total, IReadOnlyList<ActivitySeries> Series);

/// <summary>One model's or node's records per hour.</summary>
/// <param name="Key">The model hash or node address, 0x-prefixed lower-case hex.</param>
/// <param name="Total">Its records in the window.</param>
/// <param name="Points">Its non-empty hours, oldest first (an hour absent from the list had none).</param>
public sealed record ActivitySeries(string Key, long Total, IReadOnlyList<HourCount> Points);

/// <summary>A count in one hour.</summary>
/// <param name="Start">The hour's first second.</param>
/// <param name="Count">How many.</param>
public sealed record HourCount(long Start, long Count);

/// <summary>The batches confirmed in a window (<c>GET api/dashboard/anchoring</c>).</summary>
/// <param name="From">The window's first second.</param>
/// <param name="To">The window's last second.</param>
/// <param name="Truncated">True when the window holds more than <see cref="AnchoringQuery.MaxBatches"/> batches: only the latest are listed.</param>
/// <param name="Batches">Oldest first.</param>
public sealed record AnchoringActivity(long From, long To, bool Truncated, IReadOnlyList<BatchAnchoring> Batches);

/// <summary>One confirmed batch: its cost and how long its records waited.</summary>
/// <param name="BatchId">The ledger's batch id.</param>
/// <param name="ChainBatchId">The batch's number among its anchorer's batches on the contract.</param>
/// <param name="AnchoredAt">When its block was mined.</param>
/// <param name="RecordCount">Its records.</param>
/// <param name="GasUsed">Its transaction's gas.</param>
/// <param name="GasPerRecord"><paramref name="GasUsed"/> / <paramref name="RecordCount"/>.</param>
/// <param name="MedianDelaySeconds">The median of its records' waits from acceptance to anchoring (nearest rank).</param>
/// <param name="P95DelaySeconds">The 95th percentile of those waits (nearest rank).</param>
/// <param name="MaxDelaySeconds">The longest wait.</param>
public sealed record BatchAnchoring(
    long BatchId, long? ChainBatchId, long AnchoredAt, int RecordCount, long? GasUsed, double? GasPerRecord,
    double? MedianDelaySeconds, double? P95DelaySeconds, double? MaxDelaySeconds);

/// <summary>Settlements and royalties per hour, one series per token (<c>GET api/dashboard/settlements</c>).</summary>
/// <param name="From">The window's first second.</param>
/// <param name="To">The window's last second.</param>
/// <param name="BucketSeconds">The width of a point: 3,600.</param>
/// <param name="Tokens">One per token, ETH (the zero address) included when settled.</param>
public sealed record SettlementActivity(long From, long To, int BucketSeconds, IReadOnlyList<TokenSettlements> Tokens);

/// <summary>One token's settlements in the window.</summary>
/// <param name="Token">The ERC-20, or the zero address for ETH.</param>
/// <param name="Settlements">Vouchers settled.</param>
/// <param name="Paid">Everything paid (royalties included), decimal, in the token's smallest unit.</param>
/// <param name="Royalties">The royalties part of it, decimal.</param>
/// <param name="Points">Non-empty hours, oldest first.</param>
public sealed record TokenSettlements(EvmAddress Token, long Settlements, string Paid, string Royalties, IReadOnlyList<SettlementHour> Points);

/// <summary>One hour of one token's settlements.</summary>
/// <param name="Start">The hour's first second.</param>
/// <param name="Settlements">Vouchers settled.</param>
/// <param name="Paid">Paid, decimal.</param>
/// <param name="Royalties">Royalties, decimal.</param>
public sealed record SettlementHour(long Start, long Settlements, string Paid, string Royalties);

/// <summary>The reconciliations run in a window and the latest one's findings (<c>GET api/dashboard/reconciliations</c>).</summary>
/// <param name="From">The window's first second.</param>
/// <param name="To">The window's last second.</param>
/// <param name="Truncated">True when the window holds more than <see cref="ReconciliationHistory.MaxRuns"/> runs: only the latest are listed.</param>
/// <param name="Runs">Oldest first.</param>
/// <param name="Latest">The latest run ever (in the window or not), with its differing batches; null before the first.</param>
public sealed record ReconciliationActivity(long From, long To, bool Truncated, IReadOnlyList<ReconciliationRunSummary> Runs, ReconciliationRunDetail? Latest);

/// <summary>What one reconciliation found, in numbers.</summary>
/// <param name="CheckedAt">When it ran.</param>
/// <param name="ChainHead">The block it read events up to.</param>
/// <param name="BatchesChecked">Batches checked, those only on chain included.</param>
/// <param name="Ok">Batches that agree.</param>
/// <param name="Pending">Batches not confirmed yet.</param>
/// <param name="Differing">Batches that differ.</param>
public sealed record ReconciliationRunSummary(long CheckedAt, long ChainHead, int BatchesChecked, int Ok, int Pending, int Differing);

/// <summary>A reconciliation with its differing batches (at most <see cref="Storage.ReconciliationRun.MaxKeptDifferences"/>).</summary>
/// <param name="Run">Its numbers.</param>
/// <param name="Differences">Its differing batches, as the reconcile report gave them.</param>
public sealed record ReconciliationRunDetail(ReconciliationRunSummary Run, IReadOnlyList<BatchReconciliation> Differences);
