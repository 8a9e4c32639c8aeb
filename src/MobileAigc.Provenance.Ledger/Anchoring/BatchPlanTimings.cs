namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// How long each step of planning one batch took, on the ledger's clock (wall time: under load it includes waiting for
/// a core). Logged with every planned batch, so that an operator and the load generator see where planning goes.
/// </summary>
/// <param name="Read">Fencing the lease and reading the waiting records' ids and digests.</param>
/// <param name="Tree">Building the Merkle tree over their digests.</param>
/// <param name="Proofs">Deriving and packing every record's proof.</param>
/// <param name="Write">Storing the batch row and every record's batch, leaf index and proof.</param>
/// <param name="Commit">Committing the transaction.</param>
internal readonly record struct BatchPlanTimings(TimeSpan Read, TimeSpan Tree, TimeSpan Proofs, TimeSpan Write, TimeSpan Commit)
{
    /// <summary>The whole plan.</summary>
    public TimeSpan Total => Read + Tree + Proofs + Write + Commit;
}

/// <summary>A batch the planner stored, and how long each step took.</summary>
/// <param name="Batch">The batch, <see cref="Storage.AnchorBatchState.Planned"/>.</param>
/// <param name="Timings">Where the planning time went.</param>
internal sealed record PlannedBatch(Storage.AnchorBatch Batch, BatchPlanTimings Timings);
