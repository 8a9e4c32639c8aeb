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

    /// <summary>The record's timestamp is further in the future than the ledger tolerates.</summary>
    public const string InvalidTimestamp = ProblemTypePrefix.Value + "invalid-timestamp";

    /// <summary>
    /// True when re-sending the same signed record can never succeed: its signature, its fields or
    /// its sequence number are wrong for good. Registration (<see cref="NodeNotAuthorized"/>,
    /// <see cref="UnknownModel"/>) can still happen on chain, and a timestamp from the future becomes
    /// valid as time passes, so those are worth retrying; so is any type this version does not know.
    /// </summary>
    public static bool IsPermanent(string? type) => type is InvalidRequest or InvalidSignature or SequenceConflict;
}
