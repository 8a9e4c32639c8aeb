using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Upgrades;

/// <summary>
/// Run at every start, after the migrations and before anything serves: compares the configured current deployment
/// with the one the database last ran with (<see cref="LedgerDbContext.Deployments"/>) and either records it, finds
/// it unchanged, or switches to it. A switch is refused unless (1) every deployment the stored records belong to is
/// listed in <see cref="LedgerChainOptions.PreviousDeployments"/> (else they would stop verifying) and (2) nothing
/// waits to be anchored: a record accepted under the old deployment is signed in the old contract's domain and must be
/// anchored on the old contract, which only a ledger still running with it does. Draining first keeps one anchoring
/// path and one sequence space per contract; the alternative (anchoring the old backlog on the old contract after the
/// switch) needs two anchoring workers, the old anchorer key kept hot and the old contract kept alive, for no gain.
/// </summary>
/// <remarks>
/// A switch writes, in one transaction: the new deployment row, the registry indexer's cursor back to the new
/// deployment's block (its events were never read: the indexer read the old contracts), the registry mirror emptied
/// when the registry changed (a node registered on the old registry only must not be accepted for the new domain), and
/// the settlement indexer's cursor when the channels contract changed. Replicas starting together record the switch
/// once (a unique index on the contract address); a replica that lost the race finds it done.
/// </remarks>
public static class DeploymentSwitch
{
    /// <summary>Records, confirms or switches to <paramref name="chain"/>'s current deployment.</summary>
    /// <exception cref="DeploymentSwitchRefusedException">When switching now would lose records or make them unverifiable.</exception>
    public static async Task<DeploymentSwitchOutcome> EnsureAsync(
        IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(time);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var stored = await db.Deployments.AsNoTracking().OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var current = chain.Current;
        if (stored.Count == 0)
        {
            if (chain.Previous.Count > 0 && await db.Records.AnyAsync(cancellationToken))
            {
                throw new DeploymentSwitchRefusedException(
                    $"The database holds records but not the deployment they were accepted for (they predate deployment tracking), and " +
                    $"{LedgerChainOptions.Section}:PreviousDeployments is set: the ledger cannot tell which contract they belong to. Start once " +
                    $"with that deployment as the current one ({LedgerChainOptions.Section}:ProvenanceLedger) and no previous deployments, so " +
                    "that the ledger records it; then switch (docs/upgrades.md).");
            }

            return await RecordAsync(db, chain, time, DeploymentSwitchOutcome.Recorded, cancellationToken);
        }

        var last = stored[^1];
        if (last.ProvenanceLedger == current.Address)
        {
            CheckSameDeployment(last, chain);
            CheckEarlierListed(stored, chain);
            return DeploymentSwitchOutcome.Unchanged;
        }

        CheckSwitchAllowed(stored, chain);
        await CheckNoBacklogAsync(db, last, current, cancellationToken);
        return await RecordAsync(db, chain, time, DeploymentSwitchOutcome.Switched, cancellationToken, last);
    }

    private static void CheckSameDeployment(LedgerDeploymentRow last, LedgerChain chain)
    {
        if (last.ChainId != chain.Current.ChainId || last.ModelRegistry != chain.Registry.Address)
        {
            throw new DeploymentSwitchRefusedException(
                $"The ledger ran with ProvenanceLedger {last.ProvenanceLedger} on chain {last.ChainId} with ModelRegistry {last.ModelRegistry}; " +
                $"the configuration pairs it with chain {chain.Current.ChainId} and ModelRegistry {chain.Registry.Address}. A ProvenanceLedger is " +
                "bound to the registry it was deployed with: configure the deployment's own addresses (its deployment file).");
        }
    }

    private static void CheckSwitchAllowed(List<LedgerDeploymentRow> stored, LedgerChain chain)
    {
        var current = chain.Current;
        if (stored.FirstOrDefault(d => d.ProvenanceLedger == current.Address) is { } earlier)
        {
            throw new DeploymentSwitchRefusedException(
                $"ProvenanceLedger {current.Address} is a deployment the ledger left before (used since {earlier.ActivatedAt:u}); it last ran " +
                $"with {stored[^1].ProvenanceLedger}. Going back to an earlier deployment is not supported: configure the latest one as current.");
        }

        CheckEarlierListed(stored, chain);
    }

    // Every deployment the ledger ran with holds records: unlisted, they would stop verifying, so the start is refused
    // (also after the switch: removing an old deployment from the configuration is not a way to retire its records).
    private static void CheckEarlierListed(List<LedgerDeploymentRow> stored, LedgerChain chain)
    {
        var current = chain.Current;
        foreach (var row in stored)
        {
            if (row.ChainId != current.ChainId)
            {
                throw new DeploymentSwitchRefusedException(
                    $"The ledger ran with ProvenanceLedger {row.ProvenanceLedger} on chain {row.ChainId}; the current deployment is on chain " +
                    $"{current.ChainId}. The ledger reads one chain: a deployment on another chain is a new ledger with a new database.");
            }

            if (chain.DeploymentAt(row.ProvenanceLedger) is null)
            {
                throw new DeploymentSwitchRefusedException(
                    $"The ledger holds records accepted under ProvenanceLedger {row.ProvenanceLedger} (chain {row.ChainId}, since " +
                    $"{row.ActivatedAt:u}), which {LedgerChainOptions.Section}:PreviousDeployments does not list: they would stop verifying. " +
                    $"List it there (its deployment file, or its address and anchorers) beside the current ProvenanceLedger {current.Address}.");
            }
        }
    }

    private static async Task CheckNoBacklogAsync(
        LedgerDbContext db, LedgerDeploymentRow last, LedgerDeployment current, CancellationToken cancellationToken)
    {
        var unbatched = await db.Records.CountAsync(r => r.BatchId == null, cancellationToken);
        var unfinished = await db.Batches.CountAsync(b => b.State != AnchorBatchState.Anchored, cancellationToken);
        if (unbatched + unfinished > 0)
        {
            throw new DeploymentSwitchRefusedException(
                $"The ledger cannot switch from ProvenanceLedger {last.ProvenanceLedger} to {current.Address} yet: {unbatched} accepted " +
                $"records wait for a batch and {unfinished} batches are not anchored. They are signed in the old contract's domain and must " +
                $"be anchored on it. Start again with {last.ProvenanceLedger} as the current deployment, with the nodes drained, until " +
                "GET api/audit/records?state=pending and ?state=anchoring list nothing; then switch (docs/upgrades.md).");
        }
    }

    private static async Task<DeploymentSwitchOutcome> RecordAsync(
        LedgerDbContext db, LedgerChain chain, TimeProvider time, DeploymentSwitchOutcome outcome, CancellationToken cancellationToken,
        LedgerDeploymentRow? previous = null)
    {
        var current = chain.Current;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Deployments.Add(new LedgerDeploymentRow
        {
            ChainId = current.ChainId,
            ProvenanceLedger = current.Address,
            ModelRegistry = chain.Registry.Address,
            PaymentChannels = chain.Channels?.Address,
            DeploymentBlock = current.DeploymentBlock,
            ActivatedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica recorded it first (unique contract address): the same work, done.
            await transaction.RollbackAsync(cancellationToken);
            return outcome;
        }

        var address = current.Address;
        if (previous is null)
        {
            // Batches planned before this column existed were anchored on the only deployment there was: this one.
            await db.Batches.Where(b => b.LedgerContract == null)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.LedgerContract, address), cancellationToken);
        }
        else
        {
            await MoveIndexersAsync(db, chain, previous, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    private static async Task MoveIndexersAsync(LedgerDbContext db, LedgerChain chain, LedgerDeploymentRow previous, CancellationToken cancellationToken)
    {
        var block = chain.Current.DeploymentBlock;
        // The registry indexer also reads the ledger contract's revocations, and the ledger contract always changes.
        await RewindAsync(db, RegistryIndexer.CursorName, block, cancellationToken);
        if (previous.ModelRegistry != chain.Registry.Address)
        {
            await db.NodeModels.ExecuteDeleteAsync(cancellationToken);
            await db.NodeApprovals.ExecuteDeleteAsync(cancellationToken);
            await db.Nodes.ExecuteDeleteAsync(cancellationToken);
            await db.Models.ExecuteDeleteAsync(cancellationToken);
        }

        if (chain.Channels is { } channels && previous.PaymentChannels != channels.Address)
        {
            await RewindAsync(db, SettlementIndexer.CursorName, block, cancellationToken);
        }
    }

    // Only back, never forward: a cursor behind the new block still has the previous ledger's revocations to read.
    private static Task<int> RewindAsync(LedgerDbContext db, string cursor, long block, CancellationToken cancellationToken) =>
        db.ChainCursors.Where(c => c.Name == cursor && c.NextBlock > block).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.NextBlock, block)
            .SetProperty(c => c.LastBlockHash, (Bytes32?)null), cancellationToken);
}
