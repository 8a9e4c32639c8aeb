using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Discovery;

/// <summary>
/// The offers for a model, from the registry mirror (registered nodes serving it, their advertised
/// endpoints, the model's current price) with each node's track record from the ledger's own
/// tables (records anchored, pending and revoked; settlements by its provider). Creators' clients
/// rank them by price and their own latency measurement.
/// </summary>
public static class OfferQuery
{
    /// <summary>The offers, nodes with an endpoint first, then by address; null when the model is not registered.</summary>
    public static async Task<IReadOnlyList<ModelOffer>?> ForModelAsync(LedgerDbContext db, Bytes32 modelHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var model = await db.Models.AsNoTracking().SingleOrDefaultAsync(m => m.ModelHash == modelHash, cancellationToken);
        if (model is null)
        {
            return null;
        }

        // Only nodes authorised for the model, as ModelRegistry.isNodeAuthorized says: serving it, registered, and
        // approved by the model's owner or serving a model its owner opened to any node.
        var open = model.OpenToAnyNode;
        var nodes = await db.NodeModels.AsNoTracking()
            .Where(g => g.ModelHash == modelHash && (open || db.NodeApprovals.Any(a => a.ModelHash == modelHash && a.Node == g.Node)))
            .Join(db.Nodes.AsNoTracking().Where(n => n.Registered), g => g.Node, n => n.Node, (g, n) => n)
            .ToListAsync(cancellationToken);
        var offers = new List<ModelOffer>(nodes.Count);
        foreach (var node in nodes.OrderBy(n => n.Endpoint is null).ThenBy(n => n.Node.ToString(), StringComparer.Ordinal))
        {
            offers.Add(new ModelOffer(node.Node, node.Operator, node.Endpoint, modelHash, model.PricePerGeneration,
                await TrackRecordAsync(db, node, cancellationToken)));
        }

        return offers;
    }

    private static async Task<ProviderTrackRecord> TrackRecordAsync(LedgerDbContext db, MirroredNode node, CancellationToken cancellationToken)
    {
        var records = db.Records.AsNoTracking().Where(r => r.Node == node.Node);
        var revoked = await records.CountAsync(r => r.RevokedAt != null, cancellationToken);
        var anchored = await records.CountAsync(
            r => r.RevokedAt == null && r.BatchId != null && r.Batch!.State == AnchorBatchState.Anchored, cancellationToken);
        var all = await records.CountAsync(cancellationToken);
        // A provider settles from its operator account or from the node's own key.
        var byOperator = await new SettlementQuery { Provider = node.Operator }.TotalsAsync(db, cancellationToken);
        var byNode = node.Operator == node.Node ? [] : await new SettlementQuery { Provider = node.Node }.TotalsAsync(db, cancellationToken);
        var totals = Merge(byOperator.Concat(byNode));
        return new ProviderTrackRecord(anchored, all - anchored - revoked, revoked, totals.Sum(t => t.Settlements), totals);
    }

    private static List<SettlementTotals> Merge(IEnumerable<SettlementTotals> totals) =>
        totals.GroupBy(t => t.Token)
            .Select(g => new SettlementTotals(
                g.Key, g.Sum(t => t.Settlements), Sum(g.Select(t => t.Paid)), Sum(g.Select(t => t.Royalties)), Sum(g.Select(t => t.Provider))))
            .ToList();

    private static string Sum(IEnumerable<string> amounts) =>
        amounts.Aggregate(BigInteger.Zero, (sum, a) => sum + BigInteger.Parse(a, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
}
