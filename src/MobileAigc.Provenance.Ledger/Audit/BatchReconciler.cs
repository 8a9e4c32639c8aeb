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
/// <c>BatchAnchored</c> event (root, first sequence, count, batch id, transaction) on the contract the batch
/// is anchored on (after a contract upgrade, the previous deployments' batches on theirs). Events no batch of
/// the database accounts for are reported as extra. Read-only on both sides.
/// </summary>
public sealed class BatchReconciler
{
    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly IWeb3 _web3;
    private readonly IReadOnlyList<ReconciledContract> _contracts;
    private readonly TimeProvider _time;

    /// <summary>A reconciler of the batches anchored on <paramref name="contracts"/>; batches on other contracts are left out.</summary>
    /// <param name="databases">The ledger's database.</param>
    /// <param name="web3">A connection to the chain node (no key needed).</param>
    /// <param name="contracts">
    /// The contracts to compare with, the current deployment's first: batches that do not name their contract (planned by a
    /// ledger older than that column) belong to it.
    /// </param>
    /// <param name="time">The clock of the report's <c>CheckedAt</c>.</param>
    /// <exception cref="ArgumentException">When <paramref name="contracts"/> is empty.</exception>
    public BatchReconciler(IDbContextFactory<LedgerDbContext> databases, IWeb3 web3, IReadOnlyList<ReconciledContract> contracts, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(time);
        if (contracts.Count == 0)
        {
            throw new ArgumentException("At least one contract to reconcile with is needed.", nameof(contracts));
        }

        (_databases, _web3, _contracts, _time) = (databases, web3, contracts, time);
    }

    /// <summary>A reconciler of one <c>ProvenanceLedger</c>'s batches.</summary>
    /// <param name="databases">The ledger's database.</param>
    /// <param name="web3">A connection to the chain node (no key needed).</param>
    /// <param name="ledger">The <c>ProvenanceLedger</c> address.</param>
    /// <param name="deploymentBlock">The first block to search for events.</param>
    /// <param name="time">The clock of the report's <c>CheckedAt</c>.</param>
    /// <param name="anchorers">
    /// This ledger's anchorers: other anchorers' batches (the contract may allow several, each in its own
    /// sequence space) are not this ledger's and are left out. Null: every batch on chain counts.
    /// </param>
    public BatchReconciler(
        IDbContextFactory<LedgerDbContext> databases, IWeb3 web3, EvmAddress ledger, long deploymentBlock, TimeProvider time,
        IReadOnlySet<EvmAddress>? anchorers = null)
        : this(databases, web3, [new ReconciledContract(ledger, deploymentBlock, anchorers)], time)
    {
    }

    /// <summary>A reconciler over the ledger's own chain connection and every deployment it lists, each with its anchorers.</summary>
    public BatchReconciler(IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, TimeProvider time)
        : this(databases, (chain ?? throw new ArgumentNullException(nameof(chain))).Web3,
            [.. chain.Deployments.Select(d => new ReconciledContract(d.Address, d.DeploymentBlock, d.Anchorers.Count > 0 ? d.Anchorers : null))], time)
    {
    }

    /// <summary>Runs the reconciliation.</summary>
    /// <exception cref="ReconciliationChainException">When the chain node does not answer.</exception>
    public async Task<ReconciliationReport> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var checkedAt = _time.GetUtcNow();
        var (head, chains) = await ReadChainAsync(cancellationToken);
        var results = new List<BatchReconciliation>();

        await using (var db = await _databases.CreateDbContextAsync(cancellationToken))
        {
            var batches = await db.Batches.AsNoTracking().OrderBy(b => b.Id).ToListAsync(cancellationToken);
            foreach (var batch in batches)
            {
                if (!chains.TryGetValue(batch.LedgerContract ?? _contracts[0].Ledger, out var onChain))
                {
                    continue; // anchored on a contract this reconciliation does not cover
                }

                var leaves = await db.Records.AsNoTracking()
                    .Where(r => r.BatchId == batch.Id)
                    .OrderBy(r => r.LeafIndex).ThenBy(r => r.Id)
                    .Select(r => new Leaf(r.Digest, r.LeafIndex, r.Proof))
                    .ToListAsync(cancellationToken);
                var chainEvent = onChain.Find(batch);

                results.Add(Reconcile(batch, leaves, chainEvent, head));
            }
        }

        foreach (var (ledger, onChain) in chains)
        {
            foreach (var extra in onChain.Unmatched())
            {
                results.Add(new BatchReconciliation(
                    null, extra.BatchId, BatchReconciliationStatus.ExtraOnChain, null, null, extra.Root, extra.FirstSequence,
                    extra.RecordCount, extra.TransactionHash, 0,
                    [$"Chain batch {extra.BatchId} on ProvenanceLedger {ledger} (root {extra.Root}, sequences {extra.FirstSequence}..{extra.FirstSequence + extra.RecordCount - 1}, " +
                     $"block {extra.BlockNumber}) is not in the database."]));
            }
        }

        var ok = results.Count(r => r.Status == BatchReconciliationStatus.Ok);
        var pending = results.Count(r => r.Status == BatchReconciliationStatus.Pending);
        return new ReconciliationReport(
            checkedAt, _contracts.Min(c => c.DeploymentBlock), head, results, ok, pending, results.Count - ok - pending);
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

    private async Task<(long Head, Dictionary<EvmAddress, ContractEvents> Chains)> ReadChainAsync(CancellationToken cancellationToken)
    {
        try
        {
            var head = (long)(await _web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
            var chains = new Dictionary<EvmAddress, ContractEvents>();
            foreach (var contract in _contracts)
            {
                var events = await ChainBatchEvents.ReadAsync(_web3, contract.Ledger, contract.DeploymentBlock, head, cancellationToken);
                chains[contract.Ledger] = new ContractEvents(
                    contract.Anchorers is { } anchorers ? [.. events.Where(e => anchorers.Contains(e.Anchorer))] : events);
            }

            return (head, chains);
        }
        catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException
            or Nethereum.JsonRpc.Client.RpcClientTimeoutException or Nethereum.JsonRpc.Client.RpcResponseException)
        {
            throw new ReconciliationChainException($"The chain node does not answer or refuses the log query: {e.Message}", e);
        }
    }

    private sealed record Leaf(Bytes32 Digest, int? LeafIndex, byte[]? Proof);

    /// <summary>One contract's events, and which of them a batch of the database accounted for.</summary>
    /// <remarks>
    /// A root is anchored once per contract, so the root is the key. The contract numbers batches per anchorer: a
    /// batch whose root is not on chain is matched by its chain batch number only where one event has that number (a
    /// tampered root then reads as a difference, not as a missing batch plus an extra one).
    /// </remarks>
    private sealed class ContractEvents(IReadOnlyList<ChainBatchEvent> events)
    {
        private readonly Dictionary<Bytes32, ChainBatchEvent> _byRoot = events.GroupBy(e => e.Root).ToDictionary(g => g.Key, g => g.First());
        private readonly Dictionary<long, ChainBatchEvent> _byUniqueChainId =
            events.GroupBy(e => e.BatchId).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        private readonly HashSet<Bytes32> _matched = [];

        public ChainBatchEvent? Find(AnchorBatch batch)
        {
            var found = _byRoot.GetValueOrDefault(batch.Root)
                ?? (batch.ChainBatchId is { } chainId ? _byUniqueChainId.GetValueOrDefault(chainId) : null);
            if (found is not null)
            {
                _matched.Add(found.Root);
            }

            return found;
        }

        public IEnumerable<ChainBatchEvent> Unmatched() => events.Where(e => !_matched.Contains(e.Root));
    }
}
