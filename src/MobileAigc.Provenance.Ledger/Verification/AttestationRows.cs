using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>The registry mirror's rows for a record's node and model, and its batch, as <see cref="RecordAttestor"/> reads them.</summary>
/// <param name="Node">The node's row; null when the mirror has not seen it registered.</param>
/// <param name="Model">The model's row; null when the mirror has not seen it registered.</param>
/// <param name="Batch">The batch the record was read in; null while it waits for one.</param>
internal sealed record AttestationRows(MirroredNode? Node, MirroredModel? Model, AnchorBatch? Batch)
{
    // Compiled once per model (SQLite, PostgreSQL: a compiled query belongs to one): every verification of a found record runs it.
    private static readonly ConcurrentDictionary<IModel, Func<LedgerDbContext, long, CancellationToken, Task<JoinedRow?>>> JoinedRowQueries = new();

    private static Func<LedgerDbContext, long, CancellationToken, Task<JoinedRow?>> CompileJoinedRows() => EF.CompileAsyncQuery(
        (LedgerDbContext db, long id, CancellationToken cancellationToken) => (
            from r in db.Records.AsNoTracking().Where(r => r.Id == id)
            join n in db.Nodes.AsNoTracking() on r.Node equals n.Node into nodes
            from n in nodes.DefaultIfEmpty()
            join m in db.Models.AsNoTracking() on r.ModelHash equals m.ModelHash into models
            from m in models.DefaultIfEmpty()
            join b in db.Batches.AsNoTracking() on r.BatchId equals (long?)b.Id into batches
            from b in batches.DefaultIfEmpty()
            select new JoinedRow(r.Node, r.ModelHash, r.BatchId, n, m, b)).FirstOrDefault());

    /// <summary>
    /// The rows of <paramref name="stored"/> in one round trip: its own row by primary key, with the node, the model and the
    /// batch each joined on its primary key (three separate queries before, one per table). The batch is the one
    /// <paramref name="stored"/> names: if anchoring gave the record a batch since it was read, the stored copy's proof fields
    /// are those of its read, so the batch is read by the copy's own id instead.
    /// </summary>
    public static async Task<AttestationRows> ReadAsync(LedgerDbContext db, StoredRecord stored, CancellationToken cancellationToken)
    {
        var row = await JoinedRowQueries.GetOrAdd(db.Model, static _ => CompileJoinedRows())(db, stored.Id, cancellationToken).ConfigureAwait(false);
        if (row is not null && row.Node == stored.Node && row.ModelHash == stored.ModelHash && row.BatchId == stored.BatchId)
        {
            return new AttestationRows(row.NodeRow, row.ModelRow, row.BatchRow);
        }

        // A record not (or no longer) as it was read: each row by the copy's own fields.
        var node = row is not null && row.Node == stored.Node ? row.NodeRow
            : await db.Nodes.AsNoTracking().FirstOrDefaultAsync(n => n.Node == stored.Node, cancellationToken).ConfigureAwait(false);
        var model = row is not null && row.ModelHash == stored.ModelHash ? row.ModelRow
            : await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.ModelHash == stored.ModelHash, cancellationToken).ConfigureAwait(false);
        var batch = stored.BatchId is { } batchId
            ? await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken).ConfigureAwait(false)
            : null;
        return new AttestationRows(node, model, batch);
    }

    private sealed record JoinedRow(
        EvmAddress Node, Bytes32 ModelHash, long? BatchId, MirroredNode? NodeRow, MirroredModel? ModelRow, AnchorBatch? BatchRow);
}
