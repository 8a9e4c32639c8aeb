namespace MobileAigc.Provenance.Ledger.Metrics;

/// <summary>One reading of the ledger's state for operators (<see cref="LedgerStateSampler"/>).</summary>
/// <param name="ReadAt">When it was taken.</param>
/// <param name="BacklogRecords">Records accepted and not yet anchored.</param>
/// <param name="OldestWaiting">How long the oldest of them has waited; null when none waits.</param>
/// <param name="IndexerLag">Confirmed blocks each chain indexer has not read yet, by indexer name; empty when the chain did not answer.</param>
/// <param name="Failure">Why the reading failed (the database did not answer); null when it succeeded.</param>
public sealed record LedgerStateReading(
    DateTimeOffset ReadAt, long BacklogRecords, TimeSpan? OldestWaiting, IReadOnlyDictionary<string, long> IndexerLag, string? Failure = null)
{
    /// <summary>True when the reading could not be taken: the gauges then report nothing.</summary>
    public bool Failed => Failure is not null;

    /// <summary>A failed reading.</summary>
    public static LedgerStateReading FailedAt(DateTimeOffset readAt, string failure) =>
        new(readAt, 0, null, new Dictionary<string, long>(), failure);

    /// <summary>True when the oldest record not yet anchored has waited longer than <paramref name="maxAge"/>.</summary>
    public bool BacklogOlderThan(TimeSpan maxAge) => !Failed && OldestWaiting > maxAge;

    /// <summary>The indexers more than <paramref name="maxLag"/> blocks behind, with their lag, by name.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> IndexersBehind(long maxLag) =>
        [.. IndexerLag.Where(l => l.Value > maxLag).OrderBy(l => l.Key, StringComparer.Ordinal)];

    /// <summary>
    /// How many confirmed blocks an indexer has not read: the head less the confirmations it waits for,
    /// less the last block it read (<paramref name="nextBlock"/> − 1); never negative.
    /// </summary>
    public static long Lag(long head, int confirmations, long nextBlock) => Math.Max(0, head - confirmations - (nextBlock - 1));
}
