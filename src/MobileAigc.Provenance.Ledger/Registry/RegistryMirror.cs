using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Registry;

/// <summary>A model and its current owner, as the mirror knows them.</summary>
/// <param name="ModelHash">The model's id.</param>
/// <param name="Owner">Its ERC-721 owner.</param>
/// <param name="MetadataUri">Where its description lives.</param>
/// <param name="PricePerGeneration">Price per generation in the token's smallest unit (decimal text).</param>
/// <param name="RoyaltyBasisPoints">The owner's share, in 1/10,000.</param>
/// <param name="Active">Whether it accepts new channels.</param>
public sealed record MirroredModelView(
    Bytes32 ModelHash, EvmAddress Owner, string MetadataUri, string PricePerGeneration, int RoyaltyBasisPoints, bool Active);

/// <summary>What the mirror knows about the models and nodes of one ingest request.</summary>
/// <param name="Models">The registered models among those asked.</param>
/// <param name="Grants">The (node, model) pairs, among the nodes asked, whose node is registered, serves the model, and is
/// approved by the model's owner or serves an open model.</param>
public sealed record RegistrySnapshot(IReadOnlySet<Bytes32> Models, IReadOnlySet<(EvmAddress Node, Bytes32 Model)> Grants)
{
    /// <summary>True when the model is registered.</summary>
    public bool IsModelRegistered(Bytes32 modelHash) => Models.Contains(modelHash);

    /// <summary>True when the node is authorised for the model (registered, serving, and approved or the model open).</summary>
    public bool IsNodeAuthorized(EvmAddress node, Bytes32 modelHash) => Grants.Contains((node, modelHash));
}

/// <summary>
/// Reads the registry as <see cref="RegistryIndexer"/> mirrored it: as fresh as the indexer's
/// cursor (head less the confirmations). Thread-safe; every call uses its own context.
/// </summary>
public sealed class RegistryMirror(IDbContextFactory<LedgerDbContext> databases)
{
    /// <summary>The model, or null when the mirror has not seen it registered.</summary>
    public async Task<MirroredModelView?> FindModelAsync(Bytes32 modelHash, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var model = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.ModelHash == modelHash, cancellationToken);
        return model is null
            ? null
            : new MirroredModelView(model.ModelHash, model.Owner, model.MetadataUri, model.PricePerGeneration, model.RoyaltyBasisPoints, model.Active);
    }

    /// <summary>
    /// True when the node is authorised for the model, as <c>ModelRegistry.isNodeAuthorized</c> says: registered,
    /// serving the model, and approved by the model's current owner or serving a model its owner opened.
    /// </summary>
    public async Task<bool> IsNodeAuthorizedAsync(EvmAddress node, Bytes32 modelHash, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await AuthorizedGrants(db).AnyAsync(g => g.Node == node && g.ModelHash == modelHash, cancellationToken);
    }

    /// <summary>The node's operator, or null when the node is not registered now.</summary>
    public async Task<EvmAddress?> FindNodeOperatorAsync(EvmAddress node, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var found = await db.Nodes.AsNoTracking().Where(n => n.Node == node && n.Registered).Select(n => new { n.Operator })
            .SingleOrDefaultAsync(cancellationToken);
        return found?.Operator;
    }

    /// <summary>The block the mirror has read up to (exclusive), or null before the first step.</summary>
    public async Task<long?> NextBlockAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.ChainCursors.AsNoTracking().Where(c => c.Name == RegistryIndexer.CursorName)
            .Select(c => (long?)c.NextBlock).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Everything ingest needs to know about these models and nodes, in two queries.</summary>
    public async Task<RegistrySnapshot> SnapshotAsync(
        IReadOnlyCollection<Bytes32> modelHashes, IReadOnlyCollection<EvmAddress> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelHashes);
        ArgumentNullException.ThrowIfNull(nodes);
        if (modelHashes.Count == 0 && nodes.Count == 0)
        {
            return new RegistrySnapshot(new HashSet<Bytes32>(), new HashSet<(EvmAddress, Bytes32)>());
        }

        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var models = modelHashes.Distinct().ToList();
        var nodeList = nodes.Distinct().ToList();
        var known = await db.Models.AsNoTracking().Where(m => models.Contains(m.ModelHash)).Select(m => m.ModelHash).ToListAsync(cancellationToken);
        var grants = await AuthorizedGrants(db).Where(g => nodeList.Contains(g.Node)).Select(g => new { g.Node, g.ModelHash })
            .ToListAsync(cancellationToken);
        return new RegistrySnapshot(known.ToHashSet(), grants.Select(g => (g.Node, g.ModelHash)).ToHashSet());
    }

    private static IQueryable<NodeModelGrant> AuthorizedGrants(LedgerDbContext db) =>
        db.NodeModels.AsNoTracking().Where(g =>
            db.Nodes.Any(n => n.Node == g.Node && n.Registered)
            && (db.Models.Any(m => m.ModelHash == g.ModelHash && m.OpenToAnyNode)
                || db.NodeApprovals.Any(a => a.ModelHash == g.ModelHash && a.Node == g.Node)));
}
