using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Availability;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Audit;

namespace MobileAigc.Provenance.Ledger.Availability;

/// <summary>A record placed at its leaf, with its creator claim checked again as at ingest.</summary>
/// <param name="Evidence">Its evidence.</param>
/// <param name="Creator">Its creator claim; one that does not hold is stored without its proof.</param>
internal sealed record PlacedRecord(RecordEvidence Evidence, CreatorClaimCheck Creator);

/// <summary>
/// The rebuild's sorting of copied evidence against the chain's anchored batches: each entry is placed at its leaf of
/// an anchored batch, skipped as a duplicate, or refused with its reason. Not thread-safe (one rebuild, one reader).
/// </summary>
internal sealed class EvidencePlacement
{
    private readonly RebuildTarget _target;
    private readonly Dictionary<Bytes32, ChainBatchEvent> _byRoot = [];
    private readonly Dictionary<Bytes32, SortedDictionary<int, PlacedRecord>> _placed = [];
    private readonly HashSet<Bytes32> _digests = [];
    private readonly Dictionary<(EvmAddress Node, ulong Sequence), Bytes32> _nodeSequences = [];
    private readonly Dictionary<Bytes32, Bytes32> _creatorProofs = [];
    private readonly Bytes32 _ledgerSeparator;
    private readonly List<RefusedEvidence> _refused = [];

    public EvidencePlacement(RebuildTarget target, IEnumerable<ChainBatchEvent> anchored)
    {
        _target = target;
        _ledgerSeparator = new RecordSignatureVerifier(ContractDomain.ForProvenanceLedger(target.ChainId, target.ProvenanceLedger)).DomainSeparator;
        foreach (var batch in anchored)
        {
            // The contract refuses a root anchored twice; the first event is the one that counts.
            _byRoot.TryAdd(batch.Root, batch);
        }
    }

    /// <summary>Entries that repeated a record already placed.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Every entry refused so far.</summary>
    public IReadOnlyList<RefusedEvidence> Refused => _refused;

    /// <summary>Sorts one entry.</summary>
    public void Offer(EvidenceEntry entry)
    {
        if (entry.Evidence is not { } evidence)
        {
            Refuse(entry, null, RebuildRefusal.NoEvidence, entry.Problem ?? "no evidence");
            return;
        }

        var digest = evidence.Inclusion.RecordDigest;
        if (_digests.Contains(digest))
        {
            Duplicates++;
            return;
        }

        if (evidence.Deployment.ChainId != _target.ChainId || evidence.Deployment.ProvenanceLedger != _target.ProvenanceLedger)
        {
            Refuse(entry, digest, RebuildRefusal.OtherDeployment,
                $"the evidence is for {evidence.Deployment.ProvenanceLedger} on chain {evidence.Deployment.ChainId}, not {_target.ProvenanceLedger} on chain {_target.ChainId}");
            return;
        }

        // The proof and the batch are checked against the root the evidence names; the chain says whether that root counts.
        if (EvidenceCheck.Check(evidence) is var fault && fault != EvidenceFault.None)
        {
            Refuse(entry, digest, RebuildRefusal.BadEvidence, EvidenceCheck.Describe(fault));
            return;
        }

        var root = evidence.Inclusion.Root;
        if (!_byRoot.TryGetValue(root, out var anchored))
        {
            Refuse(entry, digest, RebuildRefusal.RootNotAnchored, $"no BatchAnchored event of {_target.ProvenanceLedger} holds root {root}");
            return;
        }

        if (anchored.Anchorer != _target.Anchorer)
        {
            Refuse(entry, digest, RebuildRefusal.OtherAnchorer, $"root {root} was anchored by {anchored.Anchorer}, not by the ledger's anchorer {_target.Anchorer}");
            return;
        }

        var leaf = evidence.Inclusion.LeafIndex;
        if (leaf < 0 || leaf >= anchored.RecordCount || evidence.Inclusion.LedgerSequence != anchored.FirstSequence + leaf)
        {
            Refuse(entry, digest, RebuildRefusal.PositionConflict,
                $"leaf {leaf} at sequence {evidence.Inclusion.LedgerSequence} does not fit batch {anchored.BatchId} ({anchored.RecordCount} records from sequence {anchored.FirstSequence})");
            return;
        }

        if (!_placed.TryGetValue(root, out var leaves))
        {
            _placed[root] = leaves = [];
        }

        if (leaves.TryGetValue(leaf, out var holder))
        {
            Refuse(entry, digest, RebuildRefusal.PositionConflict,
                $"leaf {leaf} of batch {anchored.BatchId} is already held by record {holder.Evidence.Inclusion.RecordDigest}");
            return;
        }

        // What ingest holds unique holds here too: a node's sequence number and a creator proof name one record each.
        var record = evidence.SignedRecord.Record;
        if (_nodeSequences.TryGetValue((record.Node, record.Sequence), out var sameSequence))
        {
            Refuse(entry, digest, RebuildRefusal.RecordConflict,
                $"node {record.Node}'s sequence {record.Sequence} is already held by record {sameSequence}");
            return;
        }

        var creator = CreatorClaims.Check(record, evidence.SignedRecord.CreatorProof, _ledgerSeparator, channels: null);
        if (creator is { Holds: true, ProofId: { } proofId } && _creatorProofs.TryGetValue(proofId, out var sameProof))
        {
            Refuse(entry, digest, RebuildRefusal.RecordConflict, $"its creator proof {proofId} already names record {sameProof}");
            return;
        }

        leaves.Add(leaf, new PlacedRecord(evidence, creator));
        _digests.Add(digest);
        _nodeSequences[(record.Node, record.Sequence)] = digest;
        if (creator is { Holds: true, ProofId: { } id })
        {
            _creatorProofs[id] = digest;
        }
    }

    /// <summary>The records placed in the batch with <paramref name="root"/>, in leaf order.</summary>
    public IReadOnlyList<PlacedRecord> RecordsOf(Bytes32 root) =>
        _placed.TryGetValue(root, out var leaves) ? [.. leaves.Values] : [];

    private void Refuse(EvidenceEntry entry, Bytes32? digest, RebuildRefusal reason, string detail) =>
        _refused.Add(new RefusedEvidence(entry.Source, digest, reason, detail));
}
