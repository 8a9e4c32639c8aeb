using MobileAigc.Provenance.Core.Primitives;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// The ledger's database. One model for every provider; each provider has its own derived
/// context (<see cref="SqliteLedgerDbContext"/>, <see cref="PostgresLedgerDbContext"/>) so that
/// each keeps its own migrations.
/// </summary>
public abstract class LedgerDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>Accepted records; those without a batch are the anchoring outbox.</summary>
    public DbSet<StoredRecord> Records => Set<StoredRecord>();

    /// <summary>Records refused as conflicting, kept for audit.</summary>
    public DbSet<RefusedRecord> RefusedRecords => Set<RefusedRecord>();

    /// <summary>The C2PA manifest stores nodes sent with their records, at most one per record.</summary>
    public DbSet<StoredManifestStore> ManifestStores => Set<StoredManifestStore>();

    /// <summary>Merkle batches, planned and anchored.</summary>
    public DbSet<AnchorBatch> Batches => Set<AnchorBatch>();

    /// <summary>The registry's models, mirrored from chain events.</summary>
    public DbSet<MirroredModel> Models => Set<MirroredModel>();

    /// <summary>Every change of a model's owner (the mint included), in chain order.</summary>
    public DbSet<ModelOwnerChange> ModelOwnerChanges => Set<ModelOwnerChange>();

    /// <summary>The registry's nodes, mirrored from chain events.</summary>
    public DbSet<MirroredNode> Nodes => Set<MirroredNode>();

    /// <summary>Which node serves which model.</summary>
    public DbSet<NodeModelGrant> NodeModels => Set<NodeModelGrant>();

    /// <summary>Which node each model's current owner approved.</summary>
    public DbSet<ModelNodeApproval> NodeApprovals => Set<ModelNodeApproval>();

    /// <summary>Every revocation read from the chain, including those of records not received yet.</summary>
    public DbSet<ChainRevocation> Revocations => Set<ChainRevocation>();

    /// <summary>Payment channels, mirrored from chain events.</summary>
    public DbSet<MirroredChannel> Channels => Set<MirroredChannel>();

    /// <summary>Settled vouchers, from chain events.</summary>
    public DbSet<ChannelSettlement> Settlements => Set<ChannelSettlement>();

    /// <summary>Royalties paid by settlements, one row per credited model owner.</summary>
    public DbSet<RoyaltyPayment> RoyaltyPayments => Set<RoyaltyPayment>();

    /// <summary>The outcomes of the admin reconciliations, newest last.</summary>
    public DbSet<ReconciliationRun> ReconciliationRuns => Set<ReconciliationRun>();

    /// <summary>How far each event indexer has read.</summary>
    public DbSet<ChainCursor> ChainCursors => Set<ChainCursor>();

    /// <summary>Leases of single-holder jobs.</summary>
    public DbSet<WorkerLease> Leases => Set<WorkerLease>();

    /// <summary>The contract deployments the ledger has run with, in order; the last is the one it runs with now.</summary>
    public DbSet<LedgerDeploymentRow> Deployments => Set<LedgerDeploymentRow>();

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<Bytes32>().HaveConversion<Bytes32Converter>().HaveMaxLength(Bytes32.Length);
        configurationBuilder.Properties<EvmAddress>().HaveConversion<EvmAddressConverter>().HaveMaxLength(20);
        // Unix milliseconds: ordered and comparable on every provider (SQLite cannot compare DateTimeOffset text).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<StoredRecord>(record =>
        {
            record.ToTable("records");
            record.HasKey(r => r.Id);
            record.HasIndex(r => r.Digest).IsUnique();
            record.HasIndex(r => new { r.Node, r.NodeSequence }).IsUnique();
            // Lookups by content hash or watermark take the earliest record (ORDER BY Id LIMIT n). With the
            // id in the index that is one index probe; with the hash alone, PostgreSQL without fresh
            // statistics walks the primary key in id order and filters (46 ms per lookup at 32,000 rows).
            record.HasIndex(r => new { r.ContentHash, r.Id });
            record.HasIndex(r => new { r.WatermarkId, r.Id });
            record.HasIndex(r => new { r.ModelHash, r.Id });
            record.HasIndex(r => new { r.Creator, r.Id });
            record.HasIndex(r => new { r.Timestamp, r.Id });
            // The records derived from a record (its children in the chain of derivations).
            record.HasIndex(r => new { r.ParentRecord, r.Id });
            // Exact lookup by the hash of a file as delivered (credentials included), earliest first, as by content hash.
            // Not unique: two nodes may state the same hash, and anchoring order decides between them.
            record.HasIndex(r => new { r.DeliveredFileHash, r.Id });
            // The anchoring outbox: pending records in ingest order.
            record.HasIndex(r => new { r.BatchId, r.Id });
            // One creator proof (a request nonce, a voucher) names the creator of one record.
            record.HasIndex(r => r.CreatorProofId).IsUnique();
            record.Property(r => r.CreatorAuthentication).HasConversion<int>();
            record.Property(r => r.Signature).HasMaxLength(65);
            record.Property(r => r.DeliveredFileSignature).HasMaxLength(65);
            record.HasOne(r => r.Batch).WithMany(b => b.Records).HasForeignKey(r => r.BatchId);
        });
        modelBuilder.Entity<RefusedRecord>(refused =>
        {
            refused.ToTable("refused_records");
            refused.HasKey(r => r.Id);
            refused.HasIndex(r => new { r.Node, r.NodeSequence });
        });
        modelBuilder.Entity<StoredManifestStore>(store =>
        {
            store.ToTable("manifest_stores");
            store.HasKey(m => m.RecordDigest);
            // The soft-binding API fetches by manifest id; a label names one record.
            store.HasIndex(m => m.ManifestLabel).IsUnique();
            store.Property(m => m.ManifestLabel).HasMaxLength(128);
        });
        modelBuilder.Entity<AnchorBatch>(batch =>
        {
            batch.ToTable("batches");
            batch.HasKey(b => b.Id);
            // Each contract has its own sequence space: after a contract upgrade the new one starts at 0 again.
            batch.HasIndex(b => new { b.LedgerContract, b.FirstSequence }).IsUnique();
            batch.HasIndex(b => b.Root).IsUnique();
            batch.HasIndex(b => b.State);
            // The dashboard reads batches anchored in a time window.
            batch.HasIndex(b => b.AnchoredAt);
            batch.Property(b => b.State).HasConversion<int>();
        });
        modelBuilder.Entity<LedgerDeploymentRow>(deployment =>
        {
            deployment.ToTable("deployments");
            deployment.HasKey(d => d.Id);
            // Replicas starting together after a switch record it once.
            deployment.HasIndex(d => d.ProvenanceLedger).IsUnique();
        });
        modelBuilder.Entity<MirroredModel>(model =>
        {
            model.ToTable("models");
            model.HasKey(m => m.ModelHash);
            model.HasIndex(m => m.Owner);
            // A model's derivatives (its children in a lineage).
            model.HasIndex(m => m.ParentHash);
        });
        modelBuilder.Entity<ModelOwnerChange>(change =>
        {
            change.ToTable("model_owner_changes");
            change.HasKey(c => c.Id);
            // One row per event: the same Transfer is never recorded twice.
            change.HasIndex(c => new { c.BlockNumber, c.LogIndex }).IsUnique();
            // A model's owners in chain order.
            change.HasIndex(c => new { c.ModelHash, c.Id });
        });
        modelBuilder.Entity<MirroredNode>(node =>
        {
            node.ToTable("nodes");
            node.HasKey(n => n.Node);
            node.HasIndex(n => n.Operator);
            node.HasMany(n => n.Models).WithOne().HasForeignKey(g => g.Node);
        });
        modelBuilder.Entity<NodeModelGrant>(grant =>
        {
            grant.ToTable("node_models");
            grant.HasKey(g => new { g.Node, g.ModelHash });
        });
        modelBuilder.Entity<ModelNodeApproval>(approval =>
        {
            approval.ToTable("model_node_approvals");
            approval.HasKey(a => new { a.ModelHash, a.Node });
        });
        modelBuilder.Entity<ChainRevocation>(revocation =>
        {
            revocation.ToTable("revocations");
            revocation.HasKey(v => v.Digest);
            // The indexer looks for the few not applied yet on every poll.
            revocation.HasIndex(v => v.Applied);
        });
        modelBuilder.Entity<MirroredChannel>(channel =>
        {
            channel.ToTable("channels");
            channel.HasKey(c => c.ChannelId);
            channel.HasIndex(c => c.Provider);
            channel.HasIndex(c => c.Creator);
            channel.HasIndex(c => c.ModelHash);
        });
        modelBuilder.Entity<ChannelSettlement>(settlement =>
        {
            settlement.ToTable("settlements");
            settlement.HasKey(s => s.Id);
            // One row per event: a range applied again (it cannot be, but a reindex could) finds it.
            settlement.HasIndex(s => new { s.BlockNumber, s.LogIndex }).IsUnique();
            // Auditors list by provider, model or time, in chain order (keyset pages on Id).
            settlement.HasIndex(s => new { s.Provider, s.Id });
            settlement.HasIndex(s => new { s.ModelHash, s.Id });
            settlement.HasIndex(s => new { s.SettledAt, s.Id });
            settlement.HasIndex(s => new { s.ChannelId, s.Id });
            settlement.HasMany(s => s.Royalties).WithOne().HasForeignKey(r => r.SettlementId);
        });
        modelBuilder.Entity<RoyaltyPayment>(royalty =>
        {
            royalty.ToTable("royalty_payments");
            royalty.HasKey(r => r.Id);
            royalty.HasIndex(r => new { r.ModelHash, r.Id });
            royalty.HasIndex(r => new { r.Recipient, r.Id });
        });
        modelBuilder.Entity<ReconciliationRun>(run =>
        {
            run.ToTable("reconciliation_runs");
            run.HasKey(r => r.Id);
            run.HasIndex(r => r.CheckedAt);
        });
        modelBuilder.Entity<ChainCursor>(cursor =>
        {
            cursor.ToTable("chain_cursors");
            cursor.HasKey(c => c.Name);
        });
        modelBuilder.Entity<WorkerLease>(lease =>
        {
            lease.ToTable("leases");
            lease.HasKey(l => l.Name);
            lease.Property(l => l.Generation).IsConcurrencyToken();
        });
    }

    private sealed class Bytes32Converter() : ValueConverter<Bytes32, byte[]>(v => v.ToArray(), v => Bytes32.FromBytes(v));

    private sealed class EvmAddressConverter() : ValueConverter<EvmAddress, byte[]>(v => v.ToBytes(), v => EvmAddress.FromBytes(v));

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}

/// <summary>The ledger's database on SQLite: the embedded default, one file under the data directory.</summary>
public sealed class SqliteLedgerDbContext(DbContextOptions<SqliteLedgerDbContext> options) : LedgerDbContext(options);

/// <summary>The ledger's database on PostgreSQL, shared by several ledger replicas.</summary>
public sealed class PostgresLedgerDbContext(DbContextOptions<PostgresLedgerDbContext> options) : LedgerDbContext(options);
