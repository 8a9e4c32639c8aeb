using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Audit;

/// <summary>Writes the rows audit tests need: records, batches as the anchoring worker would plan them, and anchored batches.</summary>
internal static class AuditRows
{
    public static readonly DateTimeOffset ReceivedAt = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static long _nodeSequence;

    public static Bytes32 RandomHash() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(Bytes32.Length));

    public static EvmAddress RandomAddress() => EvmAddress.FromBytes(RandomNumberGenerator.GetBytes(20));

    public static StoredRecord NewRecord(Bytes32? model = null, EvmAddress? node = null, EvmAddress? creator = null, long timestamp = 1_800_000_000) => new()
    {
        Digest = RandomHash(),
        ContentHash = RandomHash(),
        PerceptualHash = RandomHash(),
        ModelHash = model ?? RandomHash(),
        Node = node ?? RandomAddress(),
        Creator = creator ?? EvmAddress.Zero,
        CreatorCommitment = RandomHash(),
        PromptCommitment = RandomHash(),
        ParametersHash = RandomHash(),
        Timestamp = timestamp,
        WatermarkId = RandomHash(),
        NodeSequence = Interlocked.Increment(ref _nodeSequence),
        Signature = RandomNumberGenerator.GetBytes(65),
        ReceivedAt = ReceivedAt,
    };

    public static async Task<List<StoredRecord>> InsertAsync(IDbContextFactory<LedgerDbContext> databases, IEnumerable<StoredRecord> records)
    {
        var list = records.ToList();
        await using var db = await databases.CreateDbContextAsync();
        db.Records.AddRange(list);
        await db.SaveChangesAsync();
        return list;
    }

    public static Task<List<StoredRecord>> InsertAsync(IDbContextFactory<LedgerDbContext> databases, int count) =>
        InsertAsync(databases, Enumerable.Range(0, count).Select(_ => NewRecord()));

    /// <summary>Puts the records (in id order) in a new batch with leaf indexes and proofs, as the anchoring worker does.</summary>
    public static async Task<AnchorBatch> BatchAsync(
        IDbContextFactory<LedgerDbContext> databases, IReadOnlyList<StoredRecord> records, long firstSequence, AnchorBatchState state = AnchorBatchState.Planned)
    {
        var ordered = records.OrderBy(r => r.Id).ToList();
        var tree = MerkleTree.Build(ordered.Select(r => r.Digest).ToList());
        await using var db = await databases.CreateDbContextAsync();
        var batch = new AnchorBatch
        {
            FirstSequence = firstSequence,
            RecordCount = ordered.Count,
            Root = tree.Root,
            State = state,
            CreatedAt = ReceivedAt,
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        for (var i = 0; i < ordered.Count; i++)
        {
            var proof = StoredRecord.PackProof(tree.GetProof(i));
            var id = ordered[i].Id;
            var leaf = i;
            await db.Records.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.BatchId, batch.Id).SetProperty(r => r.LeafIndex, leaf).SetProperty(r => r.Proof, proof));
        }

        return batch;
    }

    /// <summary>Batches the records and anchors the batch on the deployment's ledger, recording the transaction as the worker would.</summary>
    public static async Task<AnchorBatch> AnchorAsync(IDbContextFactory<LedgerDbContext> databases, TestDeployment deployment, IReadOnlyList<StoredRecord> records)
    {
        var first = await deployment.Chain.Ledger.NextSequenceAsync(deployment.Owner.Address);
        var batch = await BatchAsync(databases, records, checked((long)first), AnchorBatchState.Submitted);
        var (chainBatchId, tx) = await deployment.Chain.Ledger.AnchorBatchAsync(batch.Root, first, checked((uint)batch.RecordCount));
        await using var db = await databases.CreateDbContextAsync();
        var stored = await db.Batches.SingleAsync(b => b.Id == batch.Id);
        stored.State = AnchorBatchState.Anchored;
        stored.ChainBatchId = (long)chainBatchId;
        stored.TransactionHash = Bytes32.Parse(tx.Hash);
        stored.BlockNumber = checked((long)tx.BlockNumber);
        stored.GasUsed = (long)tx.GasUsed;
        stored.AnchoredAt = ReceivedAt;
        stored.SubmitAttempts = 1;
        await db.SaveChangesAsync();
        return stored;
    }
}
