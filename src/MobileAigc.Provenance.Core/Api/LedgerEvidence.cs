using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's public bulk route of records' evidence: <c>POST api/records/evidence</c>.</summary>
public static class LedgerEvidence
{
    /// <summary>The route, relative to the ledger's base address.</summary>
    public const string EvidencePath = "api/records/evidence";

    /// <summary>The most digests one request may name: as many records as one ingest request carries.</summary>
    public const int MaxDigestsPerRequest = LedgerIngest.MaxRecordsPerRequest;
}

/// <summary>Body of <c>POST api/records/evidence</c>.</summary>
/// <param name="Digests">1 to <see cref="LedgerEvidence.MaxDigestsPerRequest"/> record digests (EIP-712); a digest named twice counts once.</param>
public sealed record RecordEvidenceRequest(IReadOnlyList<Bytes32> Digests);

/// <summary>
/// Answer of <c>POST api/records/evidence</c>: the evidence of each named record whose batch is anchored, in no
/// particular order, and the named records the ledger does not hold at all. A record the ledger holds unanchored is in
/// neither list: asking again later is the way to learn it was anchored since. Nothing here is more than
/// <c>GET api/records/{digest}</c> answers of each (evidence, or 404).
/// </summary>
/// <param name="Evidence">One <see cref="RecordEvidence"/> per anchored record named.</param>
/// <param name="Unknown">
/// The named digests the ledger holds no record of (null from a ledger older than this list): a node that delivered one
/// sends it again, since the ledger lost it (a database restored or rebuilt from the chain and the nodes' copies).
/// </param>
public sealed record RecordEvidenceResponse(IReadOnlyList<RecordEvidence> Evidence, IReadOnlyList<Bytes32>? Unknown = null);
