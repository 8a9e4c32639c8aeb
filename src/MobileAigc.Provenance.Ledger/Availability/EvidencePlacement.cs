using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;

namespace MobileAigc.Provenance.Ledger.Availability;

/// <summary>
/// The rebuild's sorting of copied evidence against the chain's anchored batches: each entry is placed at its leaf of
/// an anchored batch, skipped as a duplicate, or refused with its reason. Not thread-safe (one rebuild, one reader).
/// </summary>
internal sealed class EvidencePlacement
{
    private readonly RebuildTarget _target;
    private readonly Dictionary<Bytes32, ChainBatchEvent> _byRoot = [];
    private readonly Dictionary<Bytes32, SortedDictionary<int, RecordEvidence>> _placed = [];
    private readonly HashSet<Bytes32> _digests = [];
    private readonly List<RefusedEvidence> _refused = [];

    public EvidencePlacement(RebuildTarget target, IEnumerable<ChainBatchEvent> anchored)
    {
        _target = target;
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

        if (!leaves.TryAdd(leaf, evidence))
        {
            Refuse(entry, digest, RebuildRefusal.PositionConflict,
                $"leaf {leaf} of batch {anchored.BatchId} is already held by record {leaves[leaf].Inclusion.RecordDigest}");
            return;
        }

        _digests.Add(digest);
    }

    /// <summary>The records placed in the batch with <paramref name="root"/>, in leaf order.</summary>
    public IReadOnlyList<RecordEvidence> RecordsOf(Bytes32 root) =>
        _placed.TryGetValue(root, out var leaves) ? [.. leaves.Values] : [];

    private void Refuse(EvidenceEntry entry, Bytes32? digest, RebuildRefusal reason, string detail) =>
        _refused.Add(new RefusedEvidence(entry.Source, digest, reason, detail));
}
