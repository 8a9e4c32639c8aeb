using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Lineage;

/// <summary>
/// Answers <c>GET api/models/{hash}/lineage</c>: the model's lineage from the registry mirror
/// (<see cref="ModelLineageWalk"/>), each model's royalties received per token from the indexed settlements, and the
/// blocks both indexers have read through.
/// </summary>
/// <remarks>
/// Thread-safe; every call uses its own context. The answer is as fresh as the indexers' cursors (head less the
/// confirmations). Royalty amounts are summed exactly by <see cref="SettlementQuery.SumRoyaltiesAsync"/> over the rows of the
/// at most <see cref="LedgerModels.MaxLineageLength"/> models, read as a stream.
/// </remarks>
/// <param name="databases">The ledger database.</param>
/// <param name="nameOf">A model's name from a manifest the ledger was given, or null; the registry holds no names.</param>
public sealed class ModelLineageReader(IDbContextFactory<LedgerDbContext> databases, Func<Bytes32, string?> nameOf)
{
    private const string RegistryCursor = RegistryIndexer.CursorName;
    private const string SettlementsCursor = SettlementIndexer.CursorName;

    /// <summary>The lineage of <paramref name="modelHash"/> with royalties; null when the mirror has not seen it registered.</summary>
    public async Task<ModelLineage?> ReadAsync(Bytes32 modelHash, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // The cursors first: what the answer shows is at least as fresh as the blocks it names.
        var cursors = await db.ChainCursors.AsNoTracking()
            .Where(c => c.Name == RegistryCursor || c.Name == SettlementsCursor)
            .ToDictionaryAsync(c => c.Name, c => c.NextBlock, cancellationToken).ConfigureAwait(false);
        var lineage = await ModelLineageWalk.WalkAsync(db, modelHash, nameOf, cancellationToken).ConfigureAwait(false);
        if (lineage is null)
        {
            return null;
        }

        var royalties = await RoyaltiesAsync(db, [.. lineage.Models.Select(m => m.ModelHash)], cancellationToken).ConfigureAwait(false);
        var models = lineage.Models.Select(m => m with { RoyaltiesReceived = royalties.GetValueOrDefault(m.ModelHash, []) }).ToList();
        return new ModelLineage(modelHash, models, lineage.Complete, ThroughBlock(cursors, RegistryCursor), ThroughBlock(cursors, SettlementsCursor));
    }

    // A cursor holds the next block to read: the one before it is the last one read; none before the first step.
    private static long? ThroughBlock(Dictionary<string, long> cursors, string name) =>
        cursors.TryGetValue(name, out var next) && next > 0 ? next - 1 : null;

    private static async Task<Dictionary<Bytes32, IReadOnlyList<ReceivedRoyalty>>> RoyaltiesAsync(
        LedgerDbContext db, List<Bytes32> models, CancellationToken cancellationToken)
    {
        var sums = await SettlementQuery.SumRoyaltiesAsync(db.RoyaltyPayments.AsNoTracking().Where(r => models.Contains(r.ModelHash)), cancellationToken)
            .ConfigureAwait(false);

        return sums.GroupBy(s => s.Key.Model).ToDictionary(
            g => g.Key,
            g => (IReadOnlyList<ReceivedRoyalty>)[.. g.OrderBy(s => s.Key.Token.ToString(), StringComparer.Ordinal)
                .Select(s => new ReceivedRoyalty(s.Key.Token, s.Value.Count, s.Value.Amount.ToString(CultureInfo.InvariantCulture)))]);
    }
}
