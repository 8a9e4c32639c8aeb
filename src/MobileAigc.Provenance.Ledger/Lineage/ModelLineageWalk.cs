using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Lineage;

/// <summary>A model's lineage as the registry mirror holds it, without royalties.</summary>
/// <param name="Models">The model first, its root last.</param>
/// <param name="Complete">True when the walk ended at a model that names no parent.</param>
public sealed record MirroredLineage(IReadOnlyList<LineageModel> Models, bool Complete);

/// <summary>
/// Walks a model's lineage up the registry mirror: the model, its parent, the parent's parent, up to the root,
/// one primary-key lookup per model and at most <see cref="LedgerModels.MaxLineageLength"/> of them.
/// </summary>
/// <remarks>
/// The contract fixes a parent at registration and refuses a lineage longer than
/// <see cref="LedgerModels.MaxLineageLength"/>, so an honest mirror never loops and never goes deeper; the walk still
/// stops at a repeated model, a parent the mirror has not registered and the length bound, and says so
/// (<see cref="MirroredLineage.Complete"/> false): the database was altered or the registry events were read in part.
/// </remarks>
public static class ModelLineageWalk
{
    /// <summary>The lineage of <paramref name="modelHash"/>; null when the mirror has not seen the model registered.</summary>
    /// <param name="db">The ledger database.</param>
    /// <param name="modelHash">The model.</param>
    /// <param name="nameOf">The model's name from a manifest, or null (the registry holds no names).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ArgumentNullException">When <paramref name="db"/> or <paramref name="nameOf"/> is null.</exception>
    public static async Task<MirroredLineage?> WalkAsync(
        LedgerDbContext db, Bytes32 modelHash, Func<Bytes32, string?> nameOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(nameOf);
        var found = new List<MirroredModel>();
        var seen = new HashSet<Bytes32>();
        Bytes32? next = modelHash;
        var complete = false;
        while (next is { } current && found.Count < LedgerModels.MaxLineageLength && seen.Add(current))
        {
            var model = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.ModelHash == current, cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                break;
            }

            found.Add(model);
            next = model.ParentHash;
            complete = next is null;
        }

        if (found.Count == 0)
        {
            return null;
        }

        var ownerSince = await OwnerSinceAsync(db, [.. found.Select(m => m.ModelHash)], cancellationToken).ConfigureAwait(false);
        var models = found.Select((m, depth) => new LineageModel(
            depth, m.ModelHash, nameOf(m.ModelHash), m.ParentHash, m.Owner, ownerSince.TryGetValue(m.ModelHash, out var block) ? block : null,
            m.PricePerGeneration, m.RoyaltyBasisPoints, m.Active)).ToList();
        return new MirroredLineage(models, complete);
    }

    // The block of each model's last Transfer (the mint for a model never transferred), in one query.
    private static async Task<Dictionary<Bytes32, long>> OwnerSinceAsync(LedgerDbContext db, List<Bytes32> models, CancellationToken cancellationToken)
    {
        var rows = await db.ModelOwnerChanges.AsNoTracking()
            .Where(c => models.Contains(c.ModelHash))
            .GroupBy(c => c.ModelHash)
            .Select(g => new { ModelHash = g.Key, Block = g.Max(c => c.BlockNumber) })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.ModelHash, r => r.Block);
    }
}
