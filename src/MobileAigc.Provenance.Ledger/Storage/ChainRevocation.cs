using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// A <c>RecordRevoked</c> event of <c>ProvenanceLedger</c>, kept whether or not the ledger holds the
/// record yet: a node's operator may revoke a record before the node's outbox has delivered it, and
/// the revocation must still reach the record when it arrives.
/// </summary>
public sealed class ChainRevocation
{
    /// <summary>The revoked record's EIP-712 digest.</summary>
    public Bytes32 Digest { get; set; }

    /// <summary>The record's node.</summary>
    public EvmAddress Node { get; set; }

    /// <summary>The node's operator, who revoked it.</summary>
    public EvmAddress RevokedBy { get; set; }

    /// <summary>The time of the event's block.</summary>
    public DateTimeOffset RevokedAt { get; set; }

    /// <summary>The operator's reason.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The event's block.</summary>
    public long BlockNumber { get; set; }

    /// <summary>True once the stored record carries it (<see cref="StoredRecord.RevokedAt"/>); false while the ledger lacks the record.</summary>
    public bool Applied { get; set; }
}
