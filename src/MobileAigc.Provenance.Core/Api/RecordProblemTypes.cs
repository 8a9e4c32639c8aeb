namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The stable problem types (<see cref="RecordProblem.Type"/>) with which the ledger refuses a
/// submitted record, and which of them no later attempt can cure. The ledger reports them; edge
/// nodes branch on them.
/// </summary>
public static class RecordProblemTypes
{
    /// <summary>The record or a field of it is malformed or out of range (the ledger's <see cref="LedgerProblemTypes.InvalidRequest"/>).</summary>
    public const string InvalidRequest = LedgerProblemTypes.InvalidRequest;

    /// <summary>The record's signature is malformed, malleable, or not by the record's node.</summary>
    public const string InvalidSignature = ProblemTypePrefix.Value + "invalid-signature";

    /// <summary>The record's node is not registered on chain for the record's model (as far as the ledger has read the chain).</summary>
    public const string NodeNotAuthorized = ProblemTypePrefix.Value + "node-not-authorized";

    /// <summary>The record's model is not registered on chain (as far as the ledger has read the chain).</summary>
    public const string UnknownModel = ProblemTypePrefix.Value + "unknown-model";

    /// <summary>Another record with the same node and sequence number is stored.</summary>
    public const string SequenceConflict = ProblemTypePrefix.Value + "sequence-conflict";

    /// <summary>The record's timestamp is further in the future than the ledger tolerates (its <c>MaxFutureSkew</c>).</summary>
    public const string InvalidTimestamp = ProblemTypePrefix.Value + "invalid-timestamp";

    /// <summary>
    /// The record's node has submitted more records than the ledger accepts per node and window; the
    /// same record is accepted once the window has passed (a retry can cure it).
    /// </summary>
    public const string IngestQuotaExceeded = ProblemTypePrefix.Value + "ingest-quota-exceeded";

    /// <summary>
    /// The record's timestamp is further in the past than the ledger tolerates (its <c>MaxPastSkew</c>):
    /// a back-dated record, or one a node kept longer than the ledger's outage window.
    /// </summary>
    public const string TimestampTooOld = ProblemTypePrefix.Value + "timestamp-too-old";

    /// <summary>The record's format version (<c>ProvenanceRecord.Version</c>) is one this ledger cannot read.</summary>
    public const string UnsupportedRecordVersion = ProblemTypePrefix.Value + "unsupported-record-version";

    /// <summary>The record names a creator but carries no proof that the creator asked for it.</summary>
    public const string CreatorNotAuthenticated = ProblemTypePrefix.Value + "creator-not-authenticated";

    /// <summary>
    /// The record's creator proof does not prove the named creator: a signature by someone else or over
    /// other values, a voucher on a channel of another creator, model or provider.
    /// </summary>
    public const string InvalidCreatorProof = ProblemTypePrefix.Value + "invalid-creator-proof";

    /// <summary>The creator proof (request nonce, voucher) already named the creator of another record.</summary>
    public const string CreatorProofReplayed = ProblemTypePrefix.Value + "creator-proof-replayed";

    /// <summary>The voucher proving the creator is on a channel the ledger has not read from the chain (yet).</summary>
    public const string UnknownChannel = ProblemTypePrefix.Value + "unknown-channel";

    /// <summary>
    /// A manifest store sent with a record does not belong to it: it is no valid C2PA manifest store, its active
    /// manifest is not the record's (<c>RecordManifestLabel</c>), it was not signed by a certificate bound to the
    /// record's node, or it is larger than the ledger keeps. The store is not kept; the record is
    /// (<see cref="SubmittedRecord.NotKept"/>).
    /// </summary>
    public const string InvalidManifestStore = ProblemTypePrefix.Value + "invalid-manifest-store";

    /// <summary>
    /// The ledger already keeps another manifest store for the record: the first accepted store is kept
    /// and never replaced (re-sending the same bytes is accepted).
    /// </summary>
    public const string ManifestStoreConflict = ProblemTypePrefix.Value + "manifest-store-conflict";

    /// <summary>
    /// A delivered-file statement sent with a record (<c>SignedProvenanceRecord.DeliveredFile</c>) is not the record
    /// node's statement about that record: its signature recovers to another key, or it names another record. Not
    /// kept; the record is (<see cref="SubmittedRecord.NotKept"/>).
    /// </summary>
    public const string InvalidDeliveredFile = ProblemTypePrefix.Value + "invalid-delivered-file";

    /// <summary>
    /// A delivered-file statement came with a record the ledger had already stored with another statement or
    /// none: the hash of the delivered file is kept only from the record's first storage, so that a node cannot
    /// later claim a file for an older record. Not kept; the record stays as stored.
    /// </summary>
    public const string DeliveredFileConflict = ProblemTypePrefix.Value + "delivered-file-conflict";

    /// <summary>
    /// True when re-sending the same signed record can never succeed: its signature, its fields, its
    /// sequence number, its age or its creator proof are wrong for good. Registration
    /// (<see cref="NodeNotAuthorized"/>, <see cref="UnknownModel"/>) and a channel (<see cref="UnknownChannel"/>)
    /// can still appear on chain, and a timestamp from the future becomes valid as time passes, so those
    /// are worth retrying; so is any type this version does not know.
    /// </summary>
    public static bool IsPermanent(string? type) => type is InvalidRequest or InvalidSignature or SequenceConflict or TimestampTooOld
        or UnsupportedRecordVersion or CreatorNotAuthenticated or InvalidCreatorProof or CreatorProofReplayed;
}
