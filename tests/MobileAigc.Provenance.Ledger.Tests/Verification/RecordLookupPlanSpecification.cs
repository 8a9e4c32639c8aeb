using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// Verification looks records up on every request; each lookup must be one probe of its composite
/// index, whatever the planner knows. Regression: with an index on the content hash alone,
/// PostgreSQL without fresh statistics (right after a bulk ingest) walked the primary key in id
/// order and filtered every row: 46 ms per lookup at 32,000 records, and a queue of seconds at
/// 200 verifications per second.
/// </summary>
public abstract class RecordLookupPlanSpecification(LedgerDatabases databases)
{
    private const int Rows = 5_000;

    /// <summary>The provider's way to ask for the plan of a statement.</summary>
    protected abstract string ExplainPrefix { get; }

    [Fact]
    public async Task ByContentHash_ManyRecordsNoStatistics_ProbesTheContentHashIndex()
    {
        var plan = await PlanAsync(db => RecordLookup.ByContentHash(db, Hash("content", 42)).Take(1));
        Assert.Contains("IX_records_ContentHash_Id", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByDeliveredFile_ManyRecordsNoStatistics_ProbesTheDeliveredFileIndex()
    {
        var plan = await PlanAsync(db => RecordLookup.ByDeliveredFile(db, Hash("file", 42)).Take(1));
        Assert.Contains("IX_records_DeliveredFileHash_Id", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByWatermark_ManyRecordsNoStatistics_ProbesTheWatermarkIndex()
    {
        var plan = await PlanAsync(db => RecordLookup.ByWatermark(db, Hash("watermark", 42)).Take(1));
        Assert.Contains("IX_records_WatermarkId_Id", plan, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync(Func<LedgerDbContext, IQueryable<StoredRecord>> lookup)
    {
        var factory = await databases.NewDatabaseAsync();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Records.AddRange(Enumerable.Range(0, Rows).Select(NewRow));
            await db.SaveChangesAsync();
        }

        await using var context = await factory.CreateDbContextAsync();
        await context.Database.OpenConnectionAsync();
        await using var command = lookup(context).CreateDbCommand();
        command.CommandText = ExplainPrefix + command.CommandText;
        var plan = new StringBuilder();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var column = 0; column < reader.FieldCount; column++)
            {
                plan.Append(reader.GetValue(column)).Append(' ');
            }

            plan.AppendLine();
        }

        return plan.ToString();
    }

    private static StoredRecord NewRow(int i) => new()
    {
        Digest = Hash("digest", i),
        ContentHash = Hash("content", i),
        PerceptualHash = Hash("perceptual", i),
        ModelHash = Hash("model", 0),
        Node = EvmAddress.FromBytes(Hash("node", 0).AsSpan()[..20]),
        Creator = EvmAddress.FromBytes(Hash("creator", i).AsSpan()[..20]),
        CreatorCommitment = Hash("commitment", i),
        PromptCommitment = Hash("prompt", i),
        ParametersHash = Hash("parameters", i),
        Timestamp = 1_700_000_000 + i,
        WatermarkId = Hash("watermark", i),
        // Most records come with a statement of their delivered file; text records and older nodes' do not.
        DeliveredFileHash = i % 4 == 0 ? null : Hash("file", i),
        NodeSequence = i,
        Signature = new byte[65],
        ReceivedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + i),
    };

    private static Bytes32 Hash(string kind, int i) => Bytes32.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}-{i}")));
}

public sealed class SqliteRecordLookupPlanTests(SqliteDatabases databases)
    : RecordLookupPlanSpecification(databases), IClassFixture<SqliteDatabases>
{
    protected override string ExplainPrefix => "EXPLAIN QUERY PLAN ";
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresRecordLookupPlanTests(PostgresDatabases databases) : RecordLookupPlanSpecification(databases)
{
    protected override string ExplainPrefix => "EXPLAIN ";
}
