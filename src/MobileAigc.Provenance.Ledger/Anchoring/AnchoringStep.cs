namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>What one pass of the anchoring worker did.</summary>
public enum AnchoringStep
{
    /// <summary>Another replica holds the anchoring lease; this one did nothing.</summary>
    NotLeaseHolder = 0,

    /// <summary>No batch is unfinished and none is due yet.</summary>
    Idle = 1,

    /// <summary>An <c>anchorBatch</c> transaction was sent (first time, or again after it was lost).</summary>
    Sent = 2,

    /// <summary>The unfinished batch waits: its transaction is pending or not confirmed yet.</summary>
    Waiting = 3,

    /// <summary>A batch reached <see cref="Storage.AnchorBatchState.Anchored"/>.</summary>
    Anchored = 4,
}
