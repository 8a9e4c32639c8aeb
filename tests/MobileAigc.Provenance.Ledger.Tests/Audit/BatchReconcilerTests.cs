using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Audit;

[Collection(LedgerChainCollection.Name)]
public sealed class BatchReconcilerTests(LedgerChainFixture chain) : IDisposable
{
    private readonly SqliteDatabases _databases = new();
    private readonly FakeTimeProvider _time = new(AuditRows.ReceivedAt);

    [Fact]
    public async Task Reconcile_ConsistentDeployment_EveryBatchOk()
    {
        var (db, deployment, batches) = await AnchoredLedgerAsync(3, 4, 1);

        var report = await ReconcileAsync(db, deployment);

        Assert.True(report.IsConsistent);
        Assert.Equal(3, report.Ok);
        Assert.Equal(batches.Select(b => b.Id), report.Batches.Select(b => b.BatchId!.Value));
        Assert.All(report.Batches, b =>
        {
            Assert.Equal(BatchReconciliationStatus.Ok, b.Status);
            Assert.Equal(b.StoredRoot, b.RebuiltRoot);
            Assert.Equal(b.StoredRoot, b.ChainRoot);
            Assert.Empty(b.Differences);
        });
        Assert.Equal(AuditRows.ReceivedAt, report.CheckedAt);
    }

    [Fact]
    public async Task Reconcile_RecordDigestTampered_ReportsRootMismatch()
    {
        var (db, deployment, batches) = await AnchoredLedgerAsync(2, 3);
        await using (var context = await db.CreateDbContextAsync())
        {
            var victim = await context.Records.Where(r => r.BatchId == batches[1].Id).OrderBy(r => r.LeafIndex).Skip(1).FirstAsync();
            victim.Digest = AuditRows.RandomHash();
            await context.SaveChangesAsync();
        }

        var report = await ReconcileAsync(db, deployment);

        Assert.False(report.IsConsistent);
        Assert.Equal(BatchReconciliationStatus.Ok, report.Batches[0].Status);
        var tampered = report.Batches[1];
        Assert.Equal(BatchReconciliationStatus.RootMismatch, tampered.Status);
        Assert.NotEqual(tampered.StoredRoot, tampered.RebuiltRoot);
        Assert.Equal(1, tampered.InvalidProofs);
        Assert.Contains(tampered.Differences, d => d.Contains("rebuild root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_StoredProofTampered_ReportsProofMismatch()
    {
        var (db, deployment, batches) = await AnchoredLedgerAsync(4);
        await using (var context = await db.CreateDbContextAsync())
        {
            var victim = await context.Records.FirstAsync(r => r.BatchId == batches[0].Id);
            victim.Proof = StoredRecord.PackProof([AuditRows.RandomHash(), AuditRows.RandomHash()]);
            await context.SaveChangesAsync();
        }

        var report = await ReconcileAsync(db, deployment);

        Assert.Equal(BatchReconciliationStatus.ProofMismatch, Assert.Single(report.Batches).Status);
        Assert.Equal(1, report.Batches[0].InvalidProofs);
        Assert.Equal(1, report.Differences);
    }

    [Fact]
    public async Task Reconcile_BatchRowDeleted_ReportsExtraOnChain()
    {
        var (db, deployment, batches) = await AnchoredLedgerAsync(2, 2);
        await using (var context = await db.CreateDbContextAsync())
        {
            var gone = batches[1].Id;
            await context.Records.Where(r => r.BatchId == gone).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.BatchId, (long?)null).SetProperty(r => r.LeafIndex, (int?)null).SetProperty(r => r.Proof, (byte[]?)null));
            await context.Batches.Where(b => b.Id == gone).ExecuteDeleteAsync();
        }

        var report = await ReconcileAsync(db, deployment);

        Assert.Equal(BatchReconciliationStatus.Ok, report.Batches[0].Status);
        var extra = report.Batches[1];
        Assert.Equal(BatchReconciliationStatus.ExtraOnChain, extra.Status);
        Assert.Null(extra.BatchId);
        Assert.Equal(batches[1].ChainBatchId, extra.ChainBatchId);
        Assert.Equal(batches[1].Root, extra.ChainRoot);
        Assert.Equal(batches[1].TransactionHash, extra.TransactionHash);
    }

    [Fact]
    public async Task Reconcile_PlannedBatchNeverSent_ReportsPendingNotADifference()
    {
        var (db, deployment, _) = await AnchoredLedgerAsync(2);
        var records = await AuditRows.InsertAsync(db, 3);
        await AuditRows.BatchAsync(db, records, firstSequence: 2, AnchorBatchState.Planned);

        var report = await ReconcileAsync(db, deployment);

        Assert.True(report.IsConsistent);
        Assert.Equal(BatchReconciliationStatus.Pending, report.Batches[1].Status);
        Assert.Equal(1, report.Pending);
    }

    [Fact]
    public async Task Reconcile_AnchoredInDatabaseButNeverSent_ReportsMissingOnChain()
    {
        var (db, deployment, _) = await AnchoredLedgerAsync(2);
        var records = await AuditRows.InsertAsync(db, 3);
        await AuditRows.BatchAsync(db, records, firstSequence: 2, AnchorBatchState.Anchored);

        var report = await ReconcileAsync(db, deployment);

        Assert.False(report.IsConsistent);
        Assert.Equal(BatchReconciliationStatus.MissingOnChain, report.Batches[1].Status);
        Assert.Null(report.Batches[1].ChainRoot);
    }

    [Fact]
    public async Task Reconcile_DatabaseSequenceAndTransactionDiffer_ReportsChainDiffers()
    {
        var (db, deployment, batches) = await AnchoredLedgerAsync(2, 2);
        await using (var context = await db.CreateDbContextAsync())
        {
            var batch = await context.Batches.SingleAsync(b => b.Id == batches[1].Id);
            batch.FirstSequence = 7;
            batch.TransactionHash = AuditRows.RandomHash();
            await context.SaveChangesAsync();
        }

        var report = await ReconcileAsync(db, deployment);

        var differs = report.Batches[1];
        Assert.Equal(BatchReconciliationStatus.ChainDiffers, differs.Status);
        Assert.Equal(2, differs.Differences.Count);
        Assert.Contains(differs.Differences, d => d.Contains("first sequence is 7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_EveryAnchorerCountsAndAnotherUsesTheSameBatchNumbers_MatchesByRoot()
    {
        var deployment = await chain.DeployAsync();
        var other = await chain.NewAccountAsync();
        await deployment.Chain.Ledger.SetAnchorerAsync(other.Address, true);
        var otherLedger = deployment.Contracts.LedgerFor(other.Web3);
        // The other anchorer's batches 1 and 2 come first: the contract numbers batches per anchorer.
        await otherLedger.AnchorBatchAsync(AuditRows.RandomHash(), 0, 3);
        await otherLedger.AnchorBatchAsync(AuditRows.RandomHash(), 3, 3);
        var db = await _databases.NewDatabaseAsync();
        var mine = new List<AnchorBatch>();
        foreach (var size in new[] { 2, 4 })
        {
            mine.Add(await AuditRows.AnchorAsync(db, deployment, await AuditRows.InsertAsync(db, size)));
        }

        var report = await new BatchReconciler(db, deployment.Chain.Web3, deployment.Chain.Ledger.Address, 0, _time).ReconcileAsync();

        Assert.Equal([1L, 2L], mine.Select(b => b.ChainBatchId!.Value));
        Assert.All(report.Batches.Where(b => b.BatchId is not null), b => Assert.Equal(BatchReconciliationStatus.Ok, b.Status));
        Assert.Equal(mine.Select(b => b.Root), report.Batches.Where(b => b.BatchId is not null).Select(b => b.ChainRoot!.Value));
        var extras = report.Batches.Where(b => b.Status == BatchReconciliationStatus.ExtraOnChain).ToList();
        Assert.Equal([1L, 2L], extras.Select(b => b.ChainBatchId!.Value));
        Assert.DoesNotContain(extras, e => mine.Any(b => b.Root == e.ChainRoot));
    }

    [Fact]
    public async Task Reconcile_ChainUnreachable_ThrowsReconciliationChainException()
    {
        var db = await _databases.NewDatabaseAsync();
        var web3 = new Nethereum.Web3.Web3("http://127.0.0.1:9");
        var reconciler = new BatchReconciler(db, web3, AuditRows.RandomAddress(), 0, _time);

        await Assert.ThrowsAsync<ReconciliationChainException>(() => reconciler.ReconcileAsync());
    }

    [Fact]
    public async Task Proof_AnchoredRecord_VerifiesOffChainAndOnChain()
    {
        var (db, deployment, batches) = await AnchoredLedgerAsync(3, 5);
        await using var context = await db.CreateDbContextAsync();
        var records = await context.Records.AsNoTracking().Where(r => r.BatchId == batches[1].Id).ToListAsync();

        foreach (var record in records)
        {
            var proof = (await RecordProofs.FindAsync(context, record.Digest)).Proof!;
            Assert.True(MerkleTree.Verify(proof.Root, proof.RecordDigest, proof.Proof));
            Assert.True(await deployment.Chain.Ledger.VerifyInclusionAsync(proof.Root, proof.RecordDigest, proof.Proof));
            Assert.Equal(3 + proof.LeafIndex, proof.LedgerSequence);
            Assert.Equal(MerkleTree.LeafOf(record.Digest), proof.Leaf);
        }
    }

    public void Dispose() => _databases.Dispose();

    private async Task<ReconciliationReport> ReconcileAsync(IDbContextFactory<LedgerDbContext> db, TestDeployment deployment) =>
        await new BatchReconciler(db, deployment.Chain, _time).ReconcileAsync();

    /// <summary>A fresh deployment and database with one anchored batch per size.</summary>
    private async Task<(IDbContextFactory<LedgerDbContext> Db, TestDeployment Deployment, List<AnchorBatch> Batches)> AnchoredLedgerAsync(params int[] sizes)
    {
        var deployment = await chain.DeployAsync();
        var db = await _databases.NewDatabaseAsync();
        var batches = new List<AnchorBatch>();
        foreach (var size in sizes)
        {
            batches.Add(await AuditRows.AnchorAsync(db, deployment, await AuditRows.InsertAsync(db, size)));
        }

        return (db, deployment, batches);
    }
}
