using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// A record refused because it conflicts with an accepted one (same node and sequence, other
/// content): kept for audit, since a node signing two records with one sequence number is
/// either broken or dishonest.
/// </summary>
public sealed class RefusedRecord
{
    /// <summary>Local id.</summary>
    public long Id { get; set; }

    /// <summary>The refused record's digest.</summary>
    public Bytes32 Digest { get; set; }

    /// <summary>The node that signed it.</summary>
    public EvmAddress Node { get; set; }

    /// <summary>The node sequence it claimed.</summary>
    public long NodeSequence { get; set; }

    /// <summary>The digest of the accepted record holding that node and sequence.</summary>
    public Bytes32 ConflictsWith { get; set; }

    /// <summary>The stable problem type of the refusal.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The signed record as submitted (JSON).</summary>
    public string SignedRecordJson { get; set; } = "";

    /// <summary>When it was refused.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
