using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>A stored record's identity: enough to tell "already stored" from "conflicting".</summary>
/// <param name="Digest">Its digest.</param>
/// <param name="Node">Its node.</param>
/// <param name="NodeSequence">Its node sequence.</param>
internal readonly record struct StoredIdentity(Bytes32 Digest, EvmAddress Node, long NodeSequence);

/// <summary>
/// Finds, in one query, the stored records that share a digest or a (node, sequence) pair with
/// a batch: <c>digest IN (...) OR (node = @n1 AND node_sequence IN (...)) OR ...</c>, one term
/// per node of the batch, every value a parameter (so the plan is reused by batches of one shape)
/// and every term served by a unique index.
/// </summary>
internal static class ExistingRecordsQuery
{
    public static async Task<List<StoredIdentity>> FindAsync(
        LedgerDbContext db, IReadOnlyCollection<Bytes32> digests, IReadOnlyDictionary<EvmAddress, List<long>> sequencesByNode,
        CancellationToken cancellationToken)
    {
        var record = Expression.Parameter(typeof(StoredRecord), "r");
        Expression body = Contains(digests.ToList(), Expression.Property(record, nameof(StoredRecord.Digest)));
        foreach (var (node, sequences) in sequencesByNode)
        {
            var sameNode = Expression.Equal(Expression.Property(record, nameof(StoredRecord.Node)), Parameter(node));
            body = Expression.OrElse(body, Expression.AndAlso(
                sameNode, Contains(sequences, Expression.Property(record, nameof(StoredRecord.NodeSequence)))));
        }

        var predicate = Expression.Lambda<Func<StoredRecord, bool>>(body, record);
        return await db.Records.AsNoTracking().Where(predicate)
            .Select(r => new StoredIdentity(r.Digest, r.Node, r.NodeSequence))
            .ToListAsync(cancellationToken);
    }

    private static MethodCallExpression Contains<T>(List<T> values, Expression item) =>
        Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(T)], Parameter(values), item);

    // A member read on a constant object is what a C# closure compiles to; EF Core turns it into a query parameter.
    private static MemberExpression Parameter<T>(T value) =>
        Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }
}
