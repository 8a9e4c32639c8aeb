namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>What one indexing step did.</summary>
/// <param name="FromBlock">The first block read; equal to <paramref name="ToBlock"/> + 1 when nothing was read.</param>
/// <param name="ToBlock">The last block read.</param>
/// <param name="EventsApplied">How many events were applied.</param>
/// <param name="CaughtUp">True when the cursor has reached the confirmed head: the caller may wait before the next step.</param>
public readonly record struct ChainIndexStep(long FromBlock, long ToBlock, int EventsApplied, bool CaughtUp)
{
    /// <summary>How many blocks the step read.</summary>
    public long BlocksRead => Math.Max(0, ToBlock - FromBlock + 1);
}
