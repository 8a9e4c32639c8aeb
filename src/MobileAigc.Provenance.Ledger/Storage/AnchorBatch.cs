using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>Where a batch is on its way to the chain.</summary>
public enum AnchorBatchState
{
    /// <summary>Records assigned and root computed; no transaction known yet.</summary>
    Planned = 0,

    /// <summary>The <c>anchorBatch</c> transaction was sent; waiting for it to be mined and confirmed.</summary>
    Submitted = 1,

    /// <summary>Mined and confirmed by the configured number of blocks.</summary>
    Anchored = 2,
}

/// <summary>
/// A Merkle batch of records: planned by the anchoring worker, then anchored on chain with
/// <c>ProvenanceLedger.anchorBatch(root, firstSequence, recordCount)</c>.
/// </summary>
public sealed class AnchorBatch
{
    /// <summary>Local id, in planning order.</summary>
    public long Id { get; set; }

    /// <summary>The ledger sequence of the batch's first record; batches are contiguous, as the contract requires.</summary>
    public long FirstSequence { get; set; }

    /// <summary>How many records the batch holds.</summary>
    public int RecordCount { get; set; }

    /// <summary>The Merkle root over the records' digests in leaf order.</summary>
    public Bytes32 Root { get; set; }

    /// <summary>Where the batch is.</summary>
    public AnchorBatchState State { get; set; }

    /// <summary>When the batch was planned.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last <c>anchorBatch</c> transaction sent for it.</summary>
    public Bytes32? TransactionHash { get; set; }

    /// <summary>The block that holds the anchoring transaction (once mined).</summary>
    public long? BlockNumber { get; set; }

    /// <summary>That block's hash, to notice a reorganisation.</summary>
    public Bytes32? BlockHash { get; set; }

    /// <summary>The batch's number among its anchorer's batches on the contract (from the <c>BatchAnchored</c> event; each anchorer's start at 1).</summary>
    public long? ChainBatchId { get; set; }

    /// <summary>The gas the anchoring transaction used.</summary>
    public long? GasUsed { get; set; }

    /// <summary>
    /// The timestamp of the block that anchored the batch (chain time), set when the batch reached
    /// <see cref="AnchorBatchState.Anchored"/>; the ledger's clock only when the node did not return the block.
    /// </summary>
    public DateTimeOffset? AnchoredAt { get; set; }

    /// <summary>How many transactions were sent for it (more than one after a lost transaction or a reorganisation).</summary>
    public int SubmitAttempts { get; set; }

    /// <summary>
    /// The <c>ProvenanceLedger</c> the batch is anchored on, set when it is planned: its records are signed in that
    /// contract's domain. After a contract upgrade older batches keep theirs (docs/upgrades.md). Null only for a batch
    /// planned before this column existed, until the ledger's first start stamps it (<see cref="LedgerDeploymentRow"/>).
    /// </summary>
    public EvmAddress? LedgerContract { get; set; }

    /// <summary>
    /// The anchorer account's nonce the batch's transaction is signed with, stored (fenced by the lease) before the
    /// transaction leaves: the database says which nonce carries which records even after a crash. Every replacement
    /// of a stuck or dropped transaction keeps it; it is cleared only when the chain used the nonce for a transaction
    /// that did not anchor the batch (then the batch gets a new one). Null while no transaction was prepared.
    /// </summary>
    public long? Nonce { get; set; }

    /// <summary>The EIP-1559 fee cap (wei per gas) of the last transaction prepared for it; a replacement raises it.</summary>
    public long? MaxFeePerGas { get; set; }

    /// <summary>The EIP-1559 priority fee (wei per gas) of the last transaction prepared for it; a replacement raises it.</summary>
    public long? MaxPriorityFeePerGas { get; set; }

    /// <summary>When the last transaction for it was signed and sent, on the ledger's clock: a stuck one is replaced after a while.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// While the batch's records do not carry their batch, leaf index and proof yet: their ids in leaf order
    /// (<see cref="RecordIdRanges"/>), stored with the batch before its first transaction leaves, so that what the root
    /// covers is durable without waiting for the records' update, which follows the broadcast. Null once the records
    /// carry them (in the same transaction), and for every batch planned before this column existed. No batch is planned
    /// while one holds it, so no record can be in two batches.
    /// </summary>
    public byte[]? PendingRecordIds { get; set; }

    /// <summary>The latest problem met while anchoring it, for operators.</summary>
    public string? LastError { get; set; }

    /// <summary>The batch's records, when loaded.</summary>
    public List<StoredRecord> Records { get; set; } = [];
}
