using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// How long each step of planning one batch took, on the ledger's clock (wall time: under load it includes waiting for
/// a core). Logged with every planned batch, so that an operator and the load generator see where planning goes.
/// </summary>
/// <param name="Read">Fencing the lease and reading the waiting records' ids and digests.</param>
/// <param name="Tree">Building the Merkle tree over their digests.</param>
/// <param name="Write">Storing the batch row with its records' ids.</param>
/// <param name="Commit">Committing the transaction.</param>
internal readonly record struct BatchPlanTimings(TimeSpan Read, TimeSpan Tree, TimeSpan Write, TimeSpan Commit)
{
    /// <summary>The whole plan.</summary>
    public TimeSpan Total => Read + Tree + Write + Commit;
}

/// <summary>How long writing one batch's records (after its broadcast) took, step by step, on the ledger's clock.</summary>
/// <param name="Rebuild">Reading the records' digests and building the tree again (only when the planner's tree is gone: a crash, another replica).</param>
/// <param name="Proofs">Deriving and packing every record's proof.</param>
/// <param name="Write">Writing every record's batch, leaf index and proof.</param>
/// <param name="Commit">Committing the transaction.</param>
internal readonly record struct BatchAssignmentTimings(TimeSpan Rebuild, TimeSpan Proofs, TimeSpan Write, TimeSpan Commit)
{
    /// <summary>The whole assignment.</summary>
    public TimeSpan Total => Rebuild + Proofs + Write + Commit;
}

/// <summary>A batch the planner stored, the tree it built, and how long each step took.</summary>
/// <param name="Batch">The batch, <see cref="AnchorBatchState.Planned"/>, its records' ids pending.</param>
/// <param name="Tree">Its Merkle tree, kept for the records' proofs.</param>
/// <param name="Timings">Where the planning time went.</param>
internal sealed record PlannedBatch(AnchorBatch Batch, MerkleTree Tree, BatchPlanTimings Timings);

/// <summary>Steps times on a <see cref="TimeProvider"/>'s monotonic clock.</summary>
/// <param name="time">The clock.</param>
internal sealed class StepClock(TimeProvider time)
{
    private long _step = time.GetTimestamp();

    /// <summary>The time since the previous lap (or since creation).</summary>
    public TimeSpan Lap()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_step, now);
        _step = now;
        return elapsed;
    }
}
