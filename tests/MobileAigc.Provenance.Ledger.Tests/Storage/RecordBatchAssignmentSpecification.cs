using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

/// <summary>
/// The set-based writes of ingest and anchoring (<see cref="RecordBatchAssignment"/>,
/// <see cref="ExistingRecordsQuery"/>) on every provider: the same rows as EF Core's tracked path
/// would give, and a refusal where a record is already batched.
/// </summary>
public abstract class RecordBatchAssignmentSpecification(LedgerDatabases databases)
{
    [Fact]
    public async Task AssignAsync_PendingRecords_WritesBatchLeafIndexAndProof()
    {
        var factory = await databases.NewDatabaseAsync();
        var ids = await StoreRecordsAsync(factory, 3);
        var proofs = new[] { new byte[] { 1 }, Bytes32.Sha256([2]).ToArray(), Array.Empty<byte>() };

        long batchId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            batchId = await AddBatchAsync(db, ids.Count);
            await RecordBatchAssignment.AssignAsync(db, batchId, ids, proofs, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using var check = await factory.CreateDbContextAsync();
        var rows = await check.Records.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.All(rows, r => Assert.Equal(batchId, r.BatchId));
        Assert.Equal([0, 1, 2], rows.Select(r => r.LeafIndex!.Value));
        Assert.Equal(proofs, rows.Select(r => r.Proof!));
    }

    [Fact]
    public async Task AssignAsync_RecordAlreadyBatched_ThrowsAndTheTransactionWritesNothing()
    {
        var factory = await databases.NewDatabaseAsync();
        var ids = await StoreRecordsAsync(factory, 2);
        long firstBatch;
        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            firstBatch = await AddBatchAsync(db, 1);
            await RecordBatchAssignment.AssignAsync(db, firstBatch, [ids[1]], [[9]], CancellationToken.None);
            await transaction.CommitAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var secondBatch = await AddBatchAsync(db, 2, firstSequence: 1);
            await Assert.ThrowsAsync<InvalidOperationException>(
                () => RecordBatchAssignment.AssignAsync(db, secondBatch, ids, [[1], [2]], CancellationToken.None));
        }

        await using var check = await factory.CreateDbContextAsync();
        var rows = await check.Records.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Null(rows[0].BatchId);
        Assert.Equal(firstBatch, rows[1].BatchId);
        Assert.Equal(0, rows[1].LeafIndex);
        Assert.Equal([9], rows[1].Proof);
    }

    [Fact]
    public async Task AssignAsync_NoTransaction_Throws()
    {
        var factory = await databases.NewDatabaseAsync();
        await using var db = await factory.CreateDbContextAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => RecordBatchAssignment.AssignAsync(db, 1, [1], [[1]], CancellationToken.None));
    }

    [Fact]
    public async Task FindHoldersAsync_TwoNodes_FindsExactlyTheirStoredPairsWithDigests()
    {
        var factory = await databases.NewDatabaseAsync();
        var (nodeA, nodeB) = (EthECKey.GenerateKey(), EthECKey.GenerateKey());
        var stored = new[]
        {
            LedgerStorageSpecification.NewRecord(1, nodeA).Stored, LedgerStorageSpecification.NewRecord(3, nodeA).Stored,
            LedgerStorageSpecification.NewRecord(2, nodeB).Stored, LedgerStorageSpecification.NewRecord(4, nodeB).Stored,
        };
        await using var db = await factory.CreateDbContextAsync();
        db.Records.AddRange(stored);
        await db.SaveChangesAsync();
        var (a, b) = (stored[0].Node, stored[2].Node);

        // Node A asks for 1 (held), 2 (free) and 4 (held by B only); node B for 2 (held) and 3 (held by A only).
        var holders = await ExistingRecordsQuery.FindHoldersAsync(
            db, new Dictionary<EvmAddress, List<long>> { [a] = [1, 2, 4], [b] = [2, 3] }, CancellationToken.None);

        Assert.Equal(2, holders.Count);
        Assert.Equal(stored[0].Digest, holders[(a, 1)]);
        Assert.Equal(stored[2].Digest, holders[(b, 2)]);
    }

    private static async Task<List<long>> StoreRecordsAsync(IDbContextFactory<LedgerDbContext> factory, int count)
    {
        var key = EthECKey.GenerateKey();
        await using var db = await factory.CreateDbContextAsync();
        var rows = Enumerable.Range(1, count).Select(i => LedgerStorageSpecification.NewRecord((ulong)i, key).Stored).ToList();
        db.Records.AddRange(rows);
        await db.SaveChangesAsync();
        return rows.Select(r => r.Id).ToList();
    }

    private static async Task<long> AddBatchAsync(LedgerDbContext db, int recordCount, long firstSequence = 0)
    {
        var batch = new AnchorBatch
        {
            FirstSequence = firstSequence,
            RecordCount = recordCount,
            Root = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            State = AnchorBatchState.Planned,
            CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000),
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        return batch.Id;
    }
}

public sealed class SqliteRecordBatchAssignmentTests(SqliteDatabases databases)
    : RecordBatchAssignmentSpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRecordBatchAssignmentTests(PostgresDatabases databases) : RecordBatchAssignmentSpecification(databases);
