using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>The chain could not be read during a reconciliation.</summary>
public sealed class ReconciliationChainException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Checks the database against itself and against the chain: for every batch, rebuilds the
/// Merkle root from its records' digests in leaf order and compares it with the stored root,
/// re-verifies every record's stored proof, then compares the batch with the contract's
/// <c>BatchAnchored</c> event (root, first sequence, count, batch id, transaction). Events no
/// batch of the database accounts for are reported as extra. Read-only on both sides.
/// </summary>
/// <param name="databases">The ledger's database.</param>
/// <param name="web3">A connection to the chain node (no key needed).</param>
/// <param name="ledger">The <c>ProvenanceLedger</c> address.</param>
/// <param name="deploymentBlock">The first block to search for events.</param>
/// <param name="time">The clock of the report's <c>CheckedAt</c>.</param>
/// <param name="anchorers">
/// This ledger's anchorers: other anchorers' batches (the contract may allow several, each in its own
/// sequence space) are not this ledger's and are left out. Null: every batch on chain counts.
/// </param>
public sealed class BatchReconciler(
    IDbContextFactory<LedgerDbContext> databases, IWeb3 web3, EvmAddress ledger, long deploymentBlock, TimeProvider time,
    IReadOnlySet<EvmAddress>? anchorers = null)
{
    /// <summary>A reconciler over the ledger's own chain connection, options and anchorers.</summary>
    public BatchReconciler(IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, TimeProvider time)
        : this(databases, (chain ?? throw new ArgumentNullException(nameof(chain))).Web3, chain.Ledger.Address, chain.Options.DeploymentBlock, time,
            chain.TrustedAnchorers.Count > 0 ? chain.TrustedAnchorers : null)
    {
    }

    /// <summary>Runs the reconciliation.</summary>
    /// <exception cref="ReconciliationChainException">When the chain node does not answer.</exception>
    public async Task<ReconciliationReport> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var checkedAt = time.GetUtcNow();
        var (head, events) = await ReadChainAsync(cancellationToken);
        var byChainId = events.GroupBy(e => e.BatchId).ToDictionary(g => g.Key, g => g.First());
        var byRoot = events.GroupBy(e => e.Root).ToDictionary(g => g.Key, g => g.First());
        var matched = new HashSet<long>();
        var results = new List<BatchReconciliation>();

        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var batches = await db.Batches.AsNoTracking().OrderBy(b => b.Id).ToListAsync(cancellationToken);
            foreach (var batch in batches)
            {
                var leaves = await db.Records.AsNoTracking()
                    .Where(r => r.BatchId == batch.Id)
                    .OrderBy(r => r.LeafIndex).ThenBy(r => r.Id)
                    .Select(r => new Leaf(r.Digest, r.LeafIndex, r.Proof))
                    .ToListAsync(cancellationToken);
                var chainEvent = (batch.ChainBatchId is { } chainId ? byChainId.GetValueOrDefault(chainId) : null)
                    ?? byRoot.GetValueOrDefault(batch.Root);
                if (chainEvent is not null)
                {
                    matched.Add(chainEvent.BatchId);
                }

                results.Add(Reconcile(batch, leaves, chainEvent, head));
            }
        }

        foreach (var extra in events.Where(e => !matched.Contains(e.BatchId)))
        {
            results.Add(new BatchReconciliation(
                null, extra.BatchId, BatchReconciliationStatus.ExtraOnChain, null, null, extra.Root, extra.FirstSequence,
                extra.RecordCount, extra.TransactionHash, 0,
                [$"Chain batch {extra.BatchId} (root {extra.Root}, sequences {extra.FirstSequence}..{extra.FirstSequence + extra.RecordCount - 1}, block {extra.BlockNumber}) is not in the database."]));
        }

        var ok = results.Count(r => r.Status == BatchReconciliationStatus.Ok);
        var pending = results.Count(r => r.Status == BatchReconciliationStatus.Pending);
        return new ReconciliationReport(checkedAt, deploymentBlock, head, results, ok, pending, results.Count - ok - pending);
    }

    private static BatchReconciliation Reconcile(AnchorBatch batch, List<Leaf> leaves, ChainBatchEvent? chainEvent, long head)
    {
        var differences = new List<string>();
        BatchReconciliationStatus? databaseStatus = null;

        if (leaves.Count != batch.RecordCount)
        {
            differences.Add($"The database holds {leaves.Count} records for the batch; the batch says {batch.RecordCount}.");
            databaseStatus = BatchReconciliationStatus.RootMismatch;
        }

        var misplaced = leaves.Where((leaf, i) => leaf.LeafIndex != i).Count();
        if (misplaced > 0)
        {
            differences.Add($"{misplaced} records do not sit at leaf indexes 0..{leaves.Count - 1} without gaps.");
            databaseStatus = BatchReconciliationStatus.RootMismatch;
        }

        Bytes32? rebuilt = leaves.Count > 0 ? MerkleTree.Build(leaves.Select(l => l.Digest).ToList()).Root : null;
        if (rebuilt != batch.Root)
        {
            differences.Add(rebuilt is null
                ? $"The batch has no records to rebuild its root {batch.Root} from."
                : $"The records rebuild root {rebuilt}; the database stores {batch.Root}.");
            databaseStatus = BatchReconciliationStatus.RootMismatch;
        }

        var invalidProofs = leaves.Count(l => l.Proof is null || !MerkleTree.Verify(batch.Root, l.Digest, Hashes(l.Proof)));
        if (invalidProofs > 0)
        {
            differences.Add($"{invalidProofs} records carry a proof that does not lead to the stored root.");
            databaseStatus ??= BatchReconciliationStatus.ProofMismatch;
        }

        BatchReconciliationStatus chainStatus;
        if (batch.State != AnchorBatchState.Anchored)
        {
            chainStatus = BatchReconciliationStatus.Pending;
            if (chainEvent is not null)
            {
                differences.Add($"Already on chain as batch {chainEvent.BatchId} in block {chainEvent.BlockNumber}; not yet confirmed in the database.");
            }
        }
        else if (chainEvent is null)
        {
            chainStatus = BatchReconciliationStatus.MissingOnChain;
            differences.Add($"No BatchAnchored event with root {batch.Root}{(batch.ChainBatchId is { } id ? $" or batch id {id}" : "")} up to block {head}.");
        }
        else
        {
            var before = differences.Count;
            Compare(differences, "root", batch.Root, chainEvent.Root);
            Compare(differences, "first sequence", batch.FirstSequence, chainEvent.FirstSequence);
            Compare(differences, "record count", batch.RecordCount, chainEvent.RecordCount);
            if (batch.ChainBatchId is { } chainId)
            {
                Compare(differences, "chain batch id", chainId, chainEvent.BatchId);
            }

            if (batch.TransactionHash is { } tx)
            {
                Compare(differences, "transaction", tx, chainEvent.TransactionHash);
            }

            if (batch.BlockNumber is { } block)
            {
                Compare(differences, "block", block, chainEvent.BlockNumber);
            }

            chainStatus = differences.Count > before ? BatchReconciliationStatus.ChainDiffers : BatchReconciliationStatus.Ok;
        }

        return new BatchReconciliation(
            batch.Id, batch.ChainBatchId ?? chainEvent?.BatchId, databaseStatus ?? chainStatus, batch.Root, rebuilt, chainEvent?.Root,
            batch.FirstSequence, batch.RecordCount, chainEvent?.TransactionHash ?? batch.TransactionHash, invalidProofs, differences);
    }

    private static void Compare<T>(List<string> differences, string what, T database, T chain)
        where T : IEquatable<T>
    {
        if (!database.Equals(chain))
        {
            differences.Add($"The database's {what} is {database}; the chain's is {chain}.");
        }
    }

    private static IEnumerable<Bytes32> Hashes(byte[] packed) =>
        new StoredRecord { Proof = packed }.ProofHashes();

    private async Task<(long Head, IReadOnlyList<ChainBatchEvent> Events)> ReadChainAsync(CancellationToken cancellationToken)
    {
        try
        {
            var head = (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            var events = await ChainBatchEvents.ReadAsync(web3, ledger, deploymentBlock, head, cancellationToken);
            return (head, anchorers is null ? events : [.. events.Where(e => anchorers.Contains(e.Anchorer))]);
        }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException
            or Nethereum.JsonRpc.Client.RpcClientTimeoutException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            throw new ReconciliationChainException($"The chain node does not answer or refuses the log query: {e.Message}", e);
        }
    }

    private sealed record Leaf(Bytes32 Digest, int? LeafIndex, byte[]? Proof);
}
