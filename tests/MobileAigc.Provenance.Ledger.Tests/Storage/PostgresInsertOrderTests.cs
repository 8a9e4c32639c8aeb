using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

/// <summary>
/// Record ids must become visible in id order: readers page by id (audit cursor, perceptual index,
/// anchoring outbox) and would skip a lower id that committed after a higher one.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresInsertOrderTests(PostgresDatabases databases)
{
    [Fact]
    public async Task InsertAsync_SecondTransactionWhileFirstIsOpen_WaitsAndCommitsAfterItWithAHigherId()
    {
        var factory = await databases.NewDatabaseAsync();
        var nodeKey = EthECKey.GenerateKey();
        await using var first = await factory.CreateDbContextAsync();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await StoredRecordBulkInsert.InsertAsync(first, [LedgerStorageSpecification.NewRecord(1, nodeKey).Stored], CancellationToken.None);

        await using var second = await factory.CreateDbContextAsync();
        var secondInsert = Task.Run(async () =>
        {
            await using var transaction = await second.Database.BeginTransactionAsync();
            await StoredRecordBulkInsert.InsertAsync(second, [LedgerStorageSpecification.NewRecord(2, nodeKey).Stored], CancellationToken.None);
            await transaction.CommitAsync();
        });

        // The second insert is seen waiting for the advisory lock the first holds until it commits.
        await using (var observer = await factory.CreateDbContextAsync())
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await observer.Database.SqlQueryRaw<int>(
                       "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'")
                       .SingleAsync() == 0)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "The second insert never waited for the first.");
                Assert.False(secondInsert.IsCompleted, "The second insert finished while the first was still open.");
                await Task.Delay(50);
            }
        }

        Assert.False(secondInsert.IsCompleted);
        await firstTransaction.CommitAsync();
        await secondInsert.WaitAsync(TimeSpan.FromSeconds(30));

        await using var check = await factory.CreateDbContextAsync();
        var ids = await check.Records.OrderBy(r => r.NodeSequence).Select(r => r.Id).ToListAsync();
        Assert.Equal(2, ids.Count);
        Assert.True(ids[0] < ids[1]);
    }
}
