using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Audit;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static MobileAigc.Provenance.Ledger.Tests.Dashboard.DashboardRows;

namespace MobileAigc.Provenance.Ledger.Tests.Dashboard;

/// <summary>The dashboard's aggregations against rows of known times and amounts, run once per database provider.</summary>
public abstract class DashboardQuerySpecification(LedgerDatabases databases)
{
    private static readonly DashboardWindow TwoHours = new(Hour0, Hour0 + 7_199);

    [Fact]
    public virtual async Task RecordActivity_ByModelAndByNode_CountsEachHourOfTheWindowOnly()
    {
        var db = await databases.NewDatabaseAsync();
        var (modelA, modelB) = (AuditRows.RandomHash(), AuditRows.RandomHash());
        var (node1, node2) = (AuditRows.RandomAddress(), AuditRows.RandomAddress());
        await AuditRows.InsertAsync(db,
        [
            Record(Hour0 + 10, modelA, node1), Record(Hour0 + 20, modelA, node1), Record(Hour0 + 3_700, modelA, node2),
            Record(Hour0 + 30, modelB, node2),
            Record(Hour0 - 1, modelB, node2), Record(Hour0 + 7_200, modelA, node1), // outside the window
        ]);

        var byModel = await ReadAsync(db, RecordActivityQuery.Parse(TwoHours));
        var byNode = await ReadAsync(db, RecordActivityQuery.Parse(TwoHours, by: "NODE"));

        Assert.Equal(4, byModel.Total);
        Assert.Equal("model", byModel.By);
        Assert.Equal(3_600, byModel.BucketSeconds);
        Assert.Equal([Key(modelA), Key(modelB)], byModel.Series.Select(s => s.Key));
        Assert.Equal([new HourCount(Hour0, 2), new HourCount(Hour0 + 3_600, 1)], byModel.Series[0].Points);
        Assert.Equal([new HourCount(Hour0, 1)], byModel.Series[1].Points);
        Assert.Equal(4, byNode.Total);
        Assert.Equal(
            new Dictionary<string, long> { [Key(node1)] = 2, [Key(node2)] = 2 },
            byNode.Series.ToDictionary(s => s.Key, s => s.Total));
        Assert.Equal([new HourCount(Hour0, 1), new HourCount(Hour0 + 3_600, 1)], byNode.Series.Single(s => s.Key == Key(node2)).Points);
    }

    [Fact]
    public virtual async Task RecordActivity_Filters_NarrowTheSeries()
    {
        var db = await databases.NewDatabaseAsync();
        var model = AuditRows.RandomHash();
        var node = AuditRows.RandomAddress();
        await AuditRows.InsertAsync(db, [Record(Hour0 + 1, model, node), Record(Hour0 + 2, model), Record(Hour0 + 3, node: node), Record(Hour0 + 4)]);

        var ofModel = await ReadAsync(db, RecordActivityQuery.Parse(TwoHours, by: "node", model: model.ToString()));
        var ofNode = await ReadAsync(db, RecordActivityQuery.Parse(TwoHours, node: node.ToString()));

        Assert.Equal(2, ofModel.Total);
        Assert.Equal(2, ofModel.Series.Count);
        Assert.Equal(2, ofNode.Total);
        Assert.Contains(ofNode.Series, s => s.Key == Key(model));
    }

    [Fact]
    public virtual async Task RecordActivity_MoreKeysThanSeries_ThrowsNamingSeries()
    {
        var db = await databases.NewDatabaseAsync();
        await AuditRows.InsertAsync(db, [Record(Hour0 + 1), Record(Hour0 + 2), Record(Hour0 + 3)]);

        var e = await Assert.ThrowsAsync<AuditQueryException>(() => ReadAsync(db, RecordActivityQuery.Parse(TwoHours, series: "2")));

        Assert.Equal("series", e.Parameter);
        Assert.Contains("3 models", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await ReadAsync(db, RecordActivityQuery.Parse(TwoHours, series: "3"))).Series.Count);
    }

    [Fact]
    public virtual async Task Anchoring_Batches_MedianP95AndGasPerRecordFromKnownWaits()
    {
        var db = await databases.NewDatabaseAsync();
        var anchoredAt = DateTimeOffset.FromUnixTimeSeconds(Hour0 + 600);
        // Waits of 40, 10, 30 and 20 s (not in ingest order): median by nearest rank 20 s, p95 40 s.
        var four = await AuditRows.InsertAsync(db, new[] { 40, 10, 30, 20 }.Select(wait => Record(Hour0, receivedAt: anchoredAt.AddSeconds(-wait))));
        var one = await AuditRows.InsertAsync(db, [Record(Hour0, receivedAt: anchoredAt.AddSeconds(-5))]);
        // Accepted within the anchoring block's (whole) second, after its timestamp: no negative wait.
        var late = await AuditRows.InsertAsync(db, [Record(Hour0, receivedAt: anchoredAt.AddSeconds(120.4))]);
        var outside = await AuditRows.InsertAsync(db, [Record(Hour0)]);
        var first = await AnchoredBatchAsync(db, four, 0, anchoredAt, gasUsed: 120_000);
        var second = await AnchoredBatchAsync(db, one, 4, anchoredAt.AddSeconds(60), gasUsed: 70_000);
        var third = await AnchoredBatchAsync(db, late, 5, anchoredAt.AddSeconds(120), gasUsed: 50_000);
        await AnchoredBatchAsync(db, outside, 6, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 7_200), gasUsed: 1);

        var activity = await ReadAsync(db, context => AnchoringQuery.ReadAsync(context, TwoHours));

        Assert.False(activity.Truncated);
        Assert.Equal(
            [
                new BatchAnchoring(first.Id, first.Id + 100, Hour0 + 600, 4, 120_000, 30_000, 20, 40, 40),
                new BatchAnchoring(second.Id, second.Id + 100, Hour0 + 660, 1, 70_000, 70_000, 65, 65, 65), // received 5 s before the first batch, anchored 60 s after it
                new BatchAnchoring(third.Id, third.Id + 100, Hour0 + 720, 1, 50_000, 50_000, 0, 0, 0),
            ],
            activity.Batches);
    }

    [Fact]
    public virtual async Task Summary_Window_CountsStatesBatchesGasAndSettlements()
    {
        var db = await databases.NewDatabaseAsync();
        var records = await AuditRows.InsertAsync(db, Enumerable.Range(0, 6).Select(i => Record(Hour0 + i, model: i < 3 ? Bytes32.Zero : null)));
        await AuditRows.InsertAsync(db, [Record(Hour0 + 7_200)]);
        await AnchoredBatchAsync(db, records[0..2], 0, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 60), gasUsed: 90_001);
        await AuditRows.BatchAsync(db, records[2..3], firstSequence: 2, AnchorBatchState.Submitted);
        await using (var context = await db.CreateDbContextAsync())
        {
            var revoked = records[5].Id;
            await context.Records.Where(r => r.Id == revoked).ExecuteUpdateAsync(s => s.SetProperty(r => r.RevokedAt, AuditRows.ReceivedAt));
        }

        await SettlementAsync(db, EvmAddress.Zero, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 5), "10", "1");
        await SettlementAsync(db, EvmAddress.Zero, DateTimeOffset.FromUnixTimeSeconds(Hour0 - 5), "10", "1");

        var summary = await ReadAsync(db, context => DashboardSummaryQuery.ReadAsync(context, TwoHours));

        Assert.Equal(
            new DashboardSummary(Hour0, Hour0 + 7_199, Records: 6, Pending: 2, Anchoring: 1, Anchored: 2, Revoked: 1, Models: 4, Nodes: 6,
                Batches: 1, BatchedRecords: 2, GasUsed: 90_001, GasPerRecord: 45_000.5, Settlements: 1),
            summary);
    }

    [Fact]
    public virtual async Task Settlements_PerTokenAndHour_SumsAmountsBeyond64BitsExactly()
    {
        var db = await databases.NewDatabaseAsync();
        var token = AuditRows.RandomAddress();
        await SettlementAsync(db, EvmAddress.Zero, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 1), "100000000000000000000000", "3");
        await SettlementAsync(db, EvmAddress.Zero, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 3_599), "100000000000000000000000", "4");
        await SettlementAsync(db, EvmAddress.Zero, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 3_600), "5", "0");
        await SettlementAsync(db, token, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 7_000), "7", "2");
        await SettlementAsync(db, token, DateTimeOffset.FromUnixTimeSeconds(Hour0 + 7_200), "1000", "1000");

        var activity = await ReadAsync(db, context => SettlementActivityQuery.ReadAsync(context, TwoHours));

        var eth = activity.Tokens.Single(t => t.Token.IsZero);
        Assert.Equal(3, eth.Settlements);
        Assert.Equal("200000000000000000000005", eth.Paid);
        Assert.Equal("7", eth.Royalties);
        Assert.Equal(
            [new SettlementHour(Hour0, 2, "200000000000000000000000", "7"), new SettlementHour(Hour0 + 3_600, 1, "5", "0")],
            eth.Points);
        var other = activity.Tokens.Single(t => t.Token == token);
        Assert.Equal([new SettlementHour(Hour0 + 3_600, 1, "7", "2")], other.Points);
    }

    [Fact]
    public virtual async Task ReconciliationHistory_SavedRuns_ListedInWindowWithLatestDifferences()
    {
        var db = await databases.NewDatabaseAsync();
        var root = AuditRows.RandomHash();
        await ReconciliationHistory.SaveAsync(db, Report(Hour0 + 10, Ok(1)));
        await ReconciliationHistory.SaveAsync(db, Report(Hour0 + 20, Ok(1), Batch(2, BatchReconciliationStatus.Pending)));
        await ReconciliationHistory.SaveAsync(db, Report(Hour0 + 7_300, Ok(1), Batch(2, BatchReconciliationStatus.Pending),
            Batch(3, BatchReconciliationStatus.RootMismatch, root, "The records rebuild another root.")));

        var activity = await ReadAsync(db, context => ReconciliationHistory.ReadAsync(context, TwoHours));

        Assert.False(activity.Truncated);
        Assert.Equal(
            [new ReconciliationRunSummary(Hour0 + 10, 77, 1, 1, 0, 0), new ReconciliationRunSummary(Hour0 + 20, 77, 2, 1, 1, 0)],
            activity.Runs);
        Assert.NotNull(activity.Latest);
        Assert.Equal(new ReconciliationRunSummary(Hour0 + 7_300, 77, 3, 1, 1, 1), activity.Latest.Run);
        var difference = Assert.Single(activity.Latest.Differences);
        Assert.Equal(3, difference.BatchId);
        Assert.Equal(BatchReconciliationStatus.RootMismatch, difference.Status);
        Assert.Equal(root, difference.StoredRoot);
        Assert.Equal(["The records rebuild another root."], difference.Differences);
    }

    [Fact]
    public virtual async Task ReconciliationHistory_NoRun_LatestIsNull()
    {
        var db = await databases.NewDatabaseAsync();

        var activity = await ReadAsync(db, context => ReconciliationHistory.ReadAsync(context, TwoHours));

        Assert.Empty(activity.Runs);
        Assert.Null(activity.Latest);
    }

    private static BatchReconciliation Ok(long id) => Batch(id, BatchReconciliationStatus.Ok);

    private static BatchReconciliation Batch(long id, BatchReconciliationStatus status, Bytes32? root = null, params string[] differences) =>
        new(id, id, status, root, root, root, id, 1, null, 0, differences);

    private static ReconciliationReport Report(long checkedAt, params BatchReconciliation[] batches) => new(
        DateTimeOffset.FromUnixTimeSeconds(checkedAt), 0, 77, batches,
        batches.Count(b => b.Status == BatchReconciliationStatus.Ok), batches.Count(b => b.Status == BatchReconciliationStatus.Pending),
        batches.Count(b => b.Status is not (BatchReconciliationStatus.Ok or BatchReconciliationStatus.Pending)));

    private static string Key(object key) => key.ToString()!.ToLowerInvariant();

    private static Task<RecordActivity> ReadAsync(IDbContextFactory<LedgerDbContext> db, RecordActivityQuery query) =>
        ReadAsync(db, context => query.ReadAsync(context));

    private static async Task<T> ReadAsync<T>(IDbContextFactory<LedgerDbContext> db, Func<LedgerDbContext, Task<T>> read)
    {
        await using var context = await db.CreateDbContextAsync();
        return await read(context);
    }
}

public sealed class SqliteDashboardQueryTests(SqliteDatabases databases) : DashboardQuerySpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresDashboardQueryTests(PostgresDatabases databases) : DashboardQuerySpecification(databases);
