using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Audit;

/// <summary>Record and batch queries, run once per database provider.</summary>
public abstract class RecordQuerySpecification(LedgerDatabases databases)
{
    [Fact]
    public virtual async Task ReadPage_EachFilter_ReturnsExactlyTheMatches()
    {
        var db = await databases.NewDatabaseAsync();
        var model = AuditRows.RandomHash();
        var node = AuditRows.RandomAddress();
        var creator = AuditRows.RandomAddress();
        var records = await AuditRows.InsertAsync(db,
        [
            AuditRows.NewRecord(model: model, timestamp: 100),
            AuditRows.NewRecord(node: node, timestamp: 200),
            AuditRows.NewRecord(creator: creator, timestamp: 300),
            AuditRows.NewRecord(model: model, node: node, creator: creator, timestamp: 400),
            AuditRows.NewRecord(timestamp: 500),
        ]);

        Assert.Equal(Ids(records, 0, 3), await IdsAsync(db, RecordQuery.Parse(model: model.ToString())));
        Assert.Equal(Ids(records, 1, 3), await IdsAsync(db, RecordQuery.Parse(node: node.ToString().ToLowerInvariant())));
        Assert.Equal(Ids(records, 2, 3), await IdsAsync(db, RecordQuery.Parse(creator: creator.ToString())));
        Assert.Equal(Ids(records, 1, 2, 3), await IdsAsync(db, RecordQuery.Parse(from: "200", to: "400")));
        Assert.Equal(Ids(records, 3), await IdsAsync(db, RecordQuery.Parse(model: model.ToString(), node: node.ToString(), from: "350")));
        Assert.Empty(await IdsAsync(db, RecordQuery.Parse(model: AuditRows.RandomHash().ToString())));
    }

    [Fact]
    public virtual async Task ReadPage_StateFilter_SeparatesPendingAnchoringAnchoredAndRevoked()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, 8);
        await AuditRows.BatchAsync(db, records[0..3], firstSequence: 0, AnchorBatchState.Anchored);
        await AuditRows.BatchAsync(db, records[3..5], firstSequence: 3, AnchorBatchState.Submitted);
        await using (var context = await db.CreateDbContextAsync())
        {
            var revoked = records[1].Id;
            await context.Records.Where(r => r.Id == revoked).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.RevokedAt, AuditRows.ReceivedAt).SetProperty(r => r.RevocationReason, "leaked, \"bad\""));
        }

        Assert.Equal(Ids(records, 0, 2), await IdsAsync(db, RecordQuery.Parse(state: "anchored")));
        Assert.Equal(Ids(records, 3, 4), await IdsAsync(db, RecordQuery.Parse(state: "anchoring")));
        Assert.Equal(Ids(records, 5, 6, 7), await IdsAsync(db, RecordQuery.Parse(state: "pending")));
        Assert.Equal(Ids(records, 1), await IdsAsync(db, RecordQuery.Parse(state: "revoked")));

        var page = await ReadAsync(db, RecordQuery.Parse());
        Assert.Equal([AuditRecordState.Anchored, AuditRecordState.Revoked, AuditRecordState.Anchored, AuditRecordState.Anchoring,
            AuditRecordState.Anchoring, AuditRecordState.Pending, AuditRecordState.Pending, AuditRecordState.Pending],
            page.Items.Select(r => r.State));
    }

    [Fact]
    public virtual async Task FindEvidence_NamesAsUnknownOnlyTheDigestsTheLedgerHoldsNoRecordOf()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, 3);
        await AuditRows.BatchAsync(db, records[0..1], firstSequence: 0, AnchorBatchState.Anchored);
        var stranger = AuditRows.RandomHash();
        await using var context = await db.CreateDbContextAsync();

        // One anchored (on a contract this ledger does not know: no evidence), one pending, one never held.
        var answer = await RecordEvidenceLookup.FindAsync(context, [records[0].Digest, records[2].Digest, stranger, stranger], _ => null);

        Assert.Empty(answer.Evidence);
        Assert.Equal([stranger], answer.Unknown!);
    }

    [Fact]
    public virtual async Task ReadPage_BatchedRecord_LedgerSequenceIsFirstSequencePlusLeafIndex()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, 4);
        await AuditRows.BatchAsync(db, records, firstSequence: 40);

        var page = await ReadAsync(db, RecordQuery.Parse());

        Assert.Equal([40L, 41L, 42L, 43L], page.Items.Select(r => r.LedgerSequence!.Value));
        Assert.Equal(records.Select(r => r.Digest), page.Items.Select(r => r.Digest));
        Assert.All(page.Items, r => Assert.Equal(132, r.Signature.Length));
    }

    [Fact]
    public virtual async Task ReadPage_AcrossPages_NoDuplicatesNoGaps()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, 250);

        var (ids, pages) = await ReadAllAsync(db, pageSize: 7);

        Assert.Equal(records.Select(r => r.Id), ids);
        Assert.Equal(36, pages); // 35 full pages and one of 5
    }

    [Fact]
    public virtual async Task ReadPage_LastPageExactlyFull_HasNoNextCursor()
    {
        var db = await databases.NewDatabaseAsync();
        await AuditRows.InsertAsync(db, 10);

        var page = await ReadAsync(db, RecordQuery.Parse(limit: "10"));

        Assert.Equal(10, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public virtual async Task ReadPage_InsertsWhilePaging_EveryEarlierRecordOnceInOrder()
    {
        var db = await databases.NewDatabaseAsync();
        var existing = await AuditRows.InsertAsync(db, 300);
        using var stop = new CancellationTokenSource();
        var inserted = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await AuditRows.InsertAsync(db, 3);
                Interlocked.Add(ref inserted, 3);
            }
        });

        var (ids, _) = await ReadAllAsync(db, pageSize: 11, untilId: existing[^1].Id, stopAfterPages: 1_000, pause: () => Volatile.Read(ref inserted) < 30);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(existing.Select(r => r.Id), ids.Where(id => id <= existing[^1].Id));
        Assert.True(inserted >= 30);
    }

    [Fact]
    public virtual async Task ReadBatches_Paged_ShowRootsAndStates()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, 6);
        var first = await AuditRows.BatchAsync(db, records[0..2], 0, AnchorBatchState.Anchored);
        var second = await AuditRows.BatchAsync(db, records[2..4], 2, AnchorBatchState.Submitted);
        var third = await AuditRows.BatchAsync(db, records[4..6], 4);

        await using var context = await db.CreateDbContextAsync();
        var page1 = await BatchQuery.Parse(limit: "2").ReadPageAsync(context);
        var page2 = await BatchQuery.Parse(limit: "2", cursor: page1.NextCursor).ReadPageAsync(context);
        var submitted = await BatchQuery.Parse(state: "submitted").ReadPageAsync(context);

        Assert.Equal([first.Root, second.Root], page1.Items.Select(b => b.Root));
        Assert.Equal([third.Root], page2.Items.Select(b => b.Root));
        Assert.Null(page2.NextCursor);
        Assert.Equal(BatchState.Submitted, Assert.Single(submitted.Items).State);
        Assert.Null(await BatchQuery.FindAsync(context, 999));
        Assert.Equal(4, (await BatchQuery.FindAsync(context, third.Id))!.FirstSequence);
    }

    [Fact]
    public virtual async Task FindProof_States_FoundUnknownOrNotBatched()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, 5);
        await AuditRows.BatchAsync(db, records[0..4], firstSequence: 10);
        await using var context = await db.CreateDbContextAsync();

        var found = await RecordProofs.FindAsync(context, records[2].Digest);
        var pending = await RecordProofs.FindAsync(context, records[4].Digest);
        var unknown = await RecordProofs.FindAsync(context, AuditRows.RandomHash());

        Assert.Equal(RecordProofStatus.Found, found.Status);
        Assert.True(Core.Merkle.MerkleTree.Verify(found.Proof!.Root, records[2].Digest, found.Proof.Proof));
        Assert.Equal(12, found.Proof.LedgerSequence);
        Assert.Equal(RecordProofStatus.NotBatched, pending.Status);
        Assert.Equal(RecordProofStatus.UnknownRecord, unknown.Status);
    }

    private static List<long> Ids(List<StoredRecord> records, params int[] indexes) => indexes.Select(i => records[i].Id).ToList();

    private static async Task<AuditPage<AuditRecord>> ReadAsync(IDbContextFactory<LedgerDbContext> db, RecordQuery query)
    {
        await using var context = await db.CreateDbContextAsync();
        return await query.ReadPageAsync(context);
    }

    private static async Task<List<long>> IdsAsync(IDbContextFactory<LedgerDbContext> db, RecordQuery query) =>
        (await ReadAsync(db, query)).Items.Select(r => r.Id).ToList();

    private static async Task<(List<long> Ids, int Pages)> ReadAllAsync(
        IDbContextFactory<LedgerDbContext> db, int pageSize, long? untilId = null, int stopAfterPages = int.MaxValue, Func<bool>? pause = null)
    {
        var ids = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ReadAsync(db, RecordQuery.Parse(cursor: cursor, limit: pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            ids.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
            pages++;
            // Let the concurrent writer get ahead before the next page, without sleeping on a guess.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (pause?.Invoke() == true && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(5);
            }
        }
        while (cursor is not null && pages < stopAfterPages && (untilId is null || ids[^1] < untilId));

        return (ids, pages);
    }
}

public sealed class SqliteRecordQueryTests(SqliteDatabases databases) : RecordQuerySpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresRecordQueryTests(PostgresDatabases databases) : RecordQuerySpecification(databases);
