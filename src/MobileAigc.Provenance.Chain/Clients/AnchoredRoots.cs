using MobileAigc.Provenance.Core.Api;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>What the chain says of the root a record's evidence names.</summary>
/// <param name="Anchored">True when the contract holds the root and the block the evidence names logged its <c>BatchAnchored</c> event.</param>
/// <param name="ChainBatchId">The contract's batch id of the root; null when it is not anchored.</param>
/// <param name="Revoked">True when the record's node operator revoked it on chain.</param>
/// <param name="Detail">Said in words.</param>
public sealed record RootAnchoring(bool Anchored, long? ChainBatchId, bool Revoked, string Detail);

/// <summary>
/// The chain half of verifying a record's evidence without its ledger: the root is anchored on the evidence's
/// contract (the root-keyed view <c>batchIdOfRoot</c>), its <c>BatchAnchored</c> event is in the block the evidence
/// names, and the record is not revoked (<c>isRevoked</c>). No batch-id-keyed storage is read.
/// </summary>
public static class AnchoredRoots
{
    /// <summary>Asks the chain about <paramref name="evidence"/>'s root and record.</summary>
    /// <exception cref="MobileAigc.Provenance.Chain.Errors.ContractRevertException">When the contract refuses a call (no contract at the address).</exception>
    public static async Task<RootAnchoring> CheckAsync(IWeb3 web3, RecordEvidence evidence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(evidence);
        var deployment = evidence.Deployment;
        var ledger = new ProvenanceLedgerClient(web3, deployment.ProvenanceLedger, deployment.ChainId);
        var root = evidence.Inclusion.Root;
        var revoked = await ledger.IsRevokedAsync(evidence.Inclusion.RecordDigest, cancellationToken);
        var batchId = await ledger.BatchIdOfRootAsync(root, cancellationToken: cancellationToken);
        if (batchId.IsZero)
        {
            return new RootAnchoring(false, null, revoked, $"root {root} is not anchored on {deployment.ProvenanceLedger}");
        }

        if (evidence.Inclusion.Batch?.BlockNumber is not { } block)
        {
            return new RootAnchoring(true, (long)batchId, revoked, $"root {root} is anchored as batch {batchId} (the evidence names no block)");
        }

        var log = await ledger.GetBatchAnchoredLogAsync(batchId, root, checked((ulong)block), cancellationToken);
        return log is null
            ? new RootAnchoring(false, (long)batchId, revoked,
                $"root {root} is anchored as batch {batchId}, but block {block}, which the evidence names, holds no BatchAnchored event for it")
            : new RootAnchoring(true, (long)batchId, revoked, $"root {root} anchored as batch {batchId} in block {block} by transaction {log.TransactionHash}");
    }
}
