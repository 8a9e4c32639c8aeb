using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.EdgeNode.Outbox;

/// <summary>One signed record waiting in (or delivered from) the outbox.</summary>
/// <param name="Sequence">The node's sequence number of the record.</param>
/// <param name="SignedRecord">The record and its signature.</param>
/// <param name="Attempts">How many deliveries were tried.</param>
/// <param name="LastError">Why the last delivery failed, if it did.</param>
public sealed record OutboxEntry(ulong Sequence, SignedProvenanceRecord SignedRecord, int Attempts, string? LastError);

/// <summary>How many records the outbox holds, by state.</summary>
/// <param name="Pending">Signed, not yet accepted by the ledger, to be sent (again).</param>
/// <param name="Delivered">Accepted by the ledger.</param>
/// <param name="Held">Refused by the ledger for a reason no retry can cure (see <see cref="RecordOutbox.MarkHeld"/>): kept for the operator, never sent again.</param>
public readonly record struct OutboxCounts(long Pending, long Delivered, long Held);

/// <summary>A record the ledger refused for good, kept in the outbox for the operator.</summary>
/// <param name="Sequence">The node's sequence number of the record.</param>
/// <param name="RecordDigest">The record's EIP-712 digest.</param>
/// <param name="Problem">The ledger's problem type and detail, as stored.</param>
/// <param name="HeldAt">When the node stopped sending it.</param>
public sealed record HeldRecord(ulong Sequence, Bytes32 RecordDigest, string Problem, DateTimeOffset HeldAt);

/// <summary>A record the ledger accepted without keeping everything sent with it (see <see cref="RecordOutbox.MarkDelivered(ulong, string, DateTimeOffset)"/>).</summary>
/// <param name="Sequence">The node's sequence number of the record.</param>
/// <param name="RecordDigest">The record's EIP-712 digest.</param>
/// <param name="Note">The ledger's problem types and details of what it did not keep.</param>
/// <param name="DeliveredAt">When the ledger accepted the record.</param>
public sealed record DeliveryNote(ulong Sequence, Bytes32 RecordDigest, string Note, DateTimeOffset DeliveredAt);
