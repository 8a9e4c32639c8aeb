using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Audit;

namespace MobileAigc.Provenance.Ledger.Tests.Dashboard;

/// <summary>Rows the dashboard aggregates, with the times and amounts the tests choose (on top of <see cref="AuditRows"/>).</summary>
internal static class DashboardRows
{
    /// <summary>An hour boundary the tests' windows start at.</summary>
    public const long Hour0 = 1_800_000_000 / 3_600 * 3_600;

    private static long _logIndex;

    /// <summary>A record signed at <paramref name="timestamp"/> and accepted at <paramref name="receivedAt"/> (default: <see cref="AuditRows.ReceivedAt"/>).</summary>
    public static StoredRecord Record(long timestamp, Bytes32? model = null, EvmAddress? node = null, DateTimeOffset? receivedAt = null)
    {
        var record = AuditRows.NewRecord(model: model, node: node, timestamp: timestamp);
        record.ReceivedAt = receivedAt ?? AuditRows.ReceivedAt;
        return record;
    }

    /// <summary>Batches the records and marks the batch anchored at <paramref name="anchoredAt"/> with <paramref name="gasUsed"/>.</summary>
    public static async Task<AnchorBatch> AnchoredBatchAsync(
        IDbContextFactory<LedgerDbContext> databases, IReadOnlyList<StoredRecord> records, long firstSequence, DateTimeOffset anchoredAt, long gasUsed)
    {
        var batch = await AuditRows.BatchAsync(databases, records, firstSequence, AnchorBatchState.Anchored);
        await using var db = await databases.CreateDbContextAsync();
        var id = batch.Id;
        await db.Batches.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.AnchoredAt, anchoredAt).SetProperty(b => b.GasUsed, gasUsed).SetProperty(b => b.ChainBatchId, id + 100));
        return batch;
    }

    /// <summary>Stores a settlement of <paramref name="payment"/> (of which <paramref name="royalty"/> royalties) in <paramref name="token"/> at <paramref name="settledAt"/>.</summary>
    public static async Task SettlementAsync(
        IDbContextFactory<LedgerDbContext> databases, EvmAddress token, DateTimeOffset settledAt, string payment, string royalty)
    {
        await using var db = await databases.CreateDbContextAsync();
        var index = Interlocked.Increment(ref _logIndex);
        db.Settlements.Add(new ChannelSettlement
        {
            ChannelId = AuditRows.RandomHash(),
            Provider = AuditRows.RandomAddress(),
            ModelHash = AuditRows.RandomHash(),
            Token = token,
            Nonce = 1,
            CumulativeAmount = payment,
            Payment = payment,
            Royalty = royalty,
            SettledAt = settledAt,
            BlockNumber = 1_000 + index,
            LogIndex = index,
            TransactionHash = AuditRows.RandomHash(),
        });
        await db.SaveChangesAsync();
    }
}
