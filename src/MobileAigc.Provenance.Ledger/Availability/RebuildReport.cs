using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Availability;

/// <summary>Why a copy's entry was not placed in the rebuilt ledger.</summary>
public enum RebuildRefusal
{
    /// <summary>The entry holds no usable evidence (an unanchored record, a malformed entry).</summary>
    NoEvidence,

    /// <summary>The record, signature or proof do not hold (<see cref="Core.Availability.EvidenceFault"/> in the detail).</summary>
    BadEvidence,

    /// <summary>The evidence is for another contract or chain than the one rebuilt.</summary>
    OtherDeployment,

    /// <summary>The proof leads to a root that no <c>BatchAnchored</c> event of the contract holds.</summary>
    RootNotAnchored,

    /// <summary>The root was anchored, by an account that is not the rebuilt ledger's anchorer.</summary>
    OtherAnchorer,

    /// <summary>The leaf index or ledger sequence does not fit the anchored batch, or another record holds that leaf.</summary>
    PositionConflict,

    /// <summary>Another placed record holds the same node sequence number or creator proof (ingest would have refused one of them).</summary>
    RecordConflict,
}

/// <summary>One entry the rebuild refused, with where it came from.</summary>
/// <param name="Source">The copy and entry (<c>path#index</c>).</param>
/// <param name="RecordDigest">The record digest the entry claims; null when it claims none.</param>
/// <param name="Reason">Why it was refused.</param>
/// <param name="Detail">Said in words.</param>
public sealed record RefusedEvidence(string Source, Bytes32? RecordDigest, RebuildRefusal Reason, string Detail);

/// <summary>An anchored batch restored without all its records: the copies held only part of it.</summary>
/// <param name="ChainBatchId">The contract's batch id.</param>
/// <param name="Root">Its root.</param>
/// <param name="RecordCount">How many records it covers on chain.</param>
/// <param name="Placed">How many of them the copies gave.</param>
public sealed record IncompleteBatch(long ChainBatchId, Bytes32 Root, int RecordCount, int Placed);

/// <summary>What <see cref="LedgerRebuilder.RebuildAsync"/> did.</summary>
/// <param name="FromBlock">The first block read for <c>BatchAnchored</c> events.</param>
/// <param name="ToBlock">The last block read.</param>
/// <param name="BatchesRestored">Anchored batches of the ledger's anchorer written to the new database.</param>
/// <param name="RecordsPlaced">Records written, each in its batch at its leaf with its proof.</param>
/// <param name="DuplicatesSkipped">Entries for a record already placed from another copy (the same evidence twice).</param>
/// <param name="Incomplete">Batches with records the copies did not hold: their proofs are lost unless another copy turns up.</param>
/// <param name="Refused">Every entry not placed, and why.</param>
public sealed record RebuildReport(
    long FromBlock,
    long ToBlock,
    int BatchesRestored,
    int RecordsPlaced,
    int DuplicatesSkipped,
    IReadOnlyList<IncompleteBatch> Incomplete,
    IReadOnlyList<RefusedEvidence> Refused)
{
    /// <summary>True when every anchored record was placed and no entry was refused.</summary>
    public bool IsComplete => Incomplete.Count == 0 && Refused.Count == 0;
}
