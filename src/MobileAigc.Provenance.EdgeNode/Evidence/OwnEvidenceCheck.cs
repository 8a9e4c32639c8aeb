using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Availability;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;

namespace MobileAigc.Provenance.EdgeNode.Evidence;

/// <summary>Why the node refused evidence a ledger handed it (the <c>reason</c> label of the refusal counter).</summary>
public static class EvidenceRefusals
{
    /// <summary>The evidence is of a record the node did not ask for (another node's, or one it never delivered).</summary>
    public const string NotRequested = "not-requested";

    /// <summary>The evidence names another contract or chain than the one the node signs for.</summary>
    public const string OtherDeployment = "other-deployment";

    /// <summary>The proof does not lead from the node's record to the root, or the evidence lacks its parts (<see cref="EvidenceCheck"/>).</summary>
    public const string BadEvidence = "bad-evidence";

    /// <summary>The root is not anchored on the contract, or not in the block the evidence names.</summary>
    public const string RootNotAnchored = "root-not-anchored";

    /// <summary>The root was anchored by an account that is not one of <see cref="EvidenceOptions.Anchorers"/>.</summary>
    public const string OtherAnchorer = "other-anchorer";
}

/// <summary>What the node decided of one piece of evidence.</summary>
/// <param name="Kept">The evidence to keep (the node's own signed record with the ledger's proof); null when not kept.</param>
/// <param name="Refusal">One of <see cref="EvidenceRefusals"/> when refused; null when kept or when it is too early to tell.</param>
/// <param name="Detail">Said in words, for the log.</param>
public sealed record EvidenceVerdict(RecordEvidence? Kept, string? Refusal, string Detail);

/// <summary>
/// Checks evidence a ledger hands the node before anything of it is kept: nothing a lying ledger says is believed.
/// The record kept is the node's own (its outbox copy, whose digest the node computed when it signed), never the
/// ledger's; the ledger contributes only the proof, which must lead from that digest to a root
/// (<see cref="EvidenceCheck"/>: the same check as <c>provenance verify --export</c> and <c>ledger rebuild</c>) that the
/// node's contract holds, anchored in the block the evidence names (<see cref="AnchoredRoots"/>), with
/// <see cref="EvidenceOptions.Confirmations"/> blocks on top, by one of <see cref="EvidenceOptions.Anchorers"/> when
/// any is listed. Roots are read from the chain once per instance: make one per pass. Not thread-safe.
/// </summary>
public sealed class OwnEvidenceCheck(IWeb3 web3, AnchoringDeployment deployment, EvidenceOptions options, ulong head)
{
    private readonly Dictionary<(Bytes32 Root, long? Block), (string? Refusal, string Detail)> _roots = [];
    private readonly HashSet<EvmAddress> _anchorers = [.. options.Anchorers.Select(EvmAddress.Parse)];

    /// <summary>Checks <paramref name="offered"/> as the evidence of <paramref name="own"/>.</summary>
    public async Task<EvidenceVerdict> CheckAsync(UnprovenRecord own, RecordEvidence offered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(offered);
        if (offered.Deployment is not { } theirs || theirs.ProvenanceLedger != deployment.ProvenanceLedger || theirs.ChainId != deployment.ChainId)
        {
            return new EvidenceVerdict(null, EvidenceRefusals.OtherDeployment,
                $"the evidence names contract {offered.Deployment?.ProvenanceLedger} on chain {offered.Deployment?.ChainId}; the node signs for {deployment.ProvenanceLedger} on chain {deployment.ChainId}");
        }

        if (offered.Inclusion is not { } inclusion || inclusion.RecordDigest != own.RecordDigest)
        {
            return new EvidenceVerdict(null, EvidenceRefusals.BadEvidence, "the evidence carries no proof of the record's digest");
        }

        var evidence = new RecordEvidence(own.SignedRecord with { ManifestStore = null }, inclusion, deployment);
        if (EvidenceCheck.Check(evidence) is var fault && fault != EvidenceFault.None)
        {
            return new EvidenceVerdict(null, EvidenceRefusals.BadEvidence, EvidenceCheck.Describe(fault));
        }

        if (inclusion.Batch?.BlockNumber is not { } block || block < 0)
        {
            return new EvidenceVerdict(null, EvidenceRefusals.BadEvidence, "the evidence names no anchoring block");
        }

        if ((ulong)block + (ulong)options.Confirmations > head)
        {
            return new EvidenceVerdict(null, null, $"block {block} has fewer than {options.Confirmations} confirmations (head {head})");
        }

        if (!_roots.TryGetValue((inclusion.Root, block), out var root))
        {
            root = await CheckRootAsync(evidence, cancellationToken);
            _roots[(inclusion.Root, block)] = root;
        }

        return root.Refusal is null ? new EvidenceVerdict(evidence, null, root.Detail) : new EvidenceVerdict(null, root.Refusal, root.Detail);
    }

    private async Task<(string? Refusal, string Detail)> CheckRootAsync(RecordEvidence evidence, CancellationToken cancellationToken)
    {
        var anchoring = await AnchoredRoots.CheckAsync(web3, evidence, cancellationToken);
        if (!anchoring.Anchored)
        {
            return (EvidenceRefusals.RootNotAnchored, anchoring.Detail);
        }

        if (_anchorers.Count > 0)
        {
            var ledger = new ProvenanceLedgerClient(web3, deployment.ProvenanceLedger, deployment.ChainId);
            var anchorer = await ledger.AnchorerOfRootAsync(evidence.Inclusion.Root, cancellationToken);
            if (anchorer is not { } account || !_anchorers.Contains(account))
            {
                return (EvidenceRefusals.OtherAnchorer, $"root {evidence.Inclusion.Root} was anchored by {anchorer}, not by one of the ledger's anchorers");
            }
        }

        return (null, anchoring.Detail);
    }
}
