using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Storage;

/// <summary>What every database provider of the ledger must do; run once per provider.</summary>
public abstract class LedgerStorageSpecification(LedgerDatabases databases)
{
    [Fact]
    public async Task Migrate_NewDatabase_LeavesNoPendingModelChanges()
    {
        var factory = await databases.NewDatabaseAsync();
        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run scripts/add-migration.sh.");
    }

    [Fact]
    public async Task Migrate_Twice_IsHarmless()
    {
        var factory = await databases.NewDatabaseAsync();
        await LedgerDatabase.MigrateAsync(factory);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(0, await db.Records.CountAsync());
    }

    [Fact]
    public async Task SaveRecord_EveryField_ReadsBackIdentically()
    {
        var factory = await databases.NewDatabaseAsync();
        var (stored, signed) = NewRecord(sequence: ulong.MaxValue >> 1);
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Records.Add(stored);
            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            var read = await db.Records.SingleAsync(r => r.Digest == stored.Digest);
            Assert.Equal(signed.Record, read.ToRecord());
            Assert.Equal(signed.Signature.ToArray(), read.Signature);
            Assert.Equal(stored.ReceivedAt, read.ReceivedAt);
            Assert.Null(read.BatchId);
        }
    }

    [Fact]
    public async Task SaveRecord_QueriedByAddressAndHash_IsFound()
    {
        var factory = await databases.NewDatabaseAsync();
        var (stored, signed) = NewRecord(sequence: 7);
        await using var db = await factory.CreateDbContextAsync();
        db.Records.Add(stored);
        await db.SaveChangesAsync();
        var node = signed.Record.Node;
        var content = signed.Record.ContentHash;
        Assert.Equal(1, await db.Records.CountAsync(r => r.Node == node && r.ContentHash == content && r.Creator == EvmAddress.Zero));
        var digests = new List<Bytes32> { stored.Digest, Bytes32.Sha256([1]) };
        Assert.Equal(1, await db.Records.CountAsync(r => digests.Contains(r.Digest)));
    }

    [Fact]
    public async Task SaveRecord_SameNodeAndSequenceTwice_IsRefusedByTheDatabase()
    {
        var factory = await databases.NewDatabaseAsync();
        var key = EthECKey.GenerateKey();
        var (first, _) = NewRecord(sequence: 1, key);
        var (second, _) = NewRecord(sequence: 1, key);
        await using var db = await factory.CreateDbContextAsync();
        db.Records.AddRange(first, second);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(0, await check.Records.CountAsync());
    }

    [Fact]
    public async Task SaveLease_StaleGeneration_IsRefused()
    {
        var factory = await databases.NewDatabaseAsync();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Leases.Add(new WorkerLease { Name = "anchoring", Holder = "a", ExpiresAt = DateTimeOffset.UnixEpoch, Generation = 1 });
            await db.SaveChangesAsync();
        }

        await using var first = await factory.CreateDbContextAsync();
        await using var second = await factory.CreateDbContextAsync();
        var mine = await first.Leases.SingleAsync();
        var theirs = await second.Leases.SingleAsync();
        mine.Holder = "b";
        mine.Generation++;
        await first.SaveChangesAsync();
        theirs.Holder = "c";
        theirs.Generation++;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    internal static (StoredRecord Stored, SignedProvenanceRecord Signed) NewRecord(ulong sequence, EthECKey? nodeKey = null)
    {
        var key = nodeKey ?? EthECKey.GenerateKey();
        var record = new ProvenanceRecord(
            Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Sha256([2]), Bytes32.Sha256([3]),
            EvmAddress.Parse(key.GetPublicAddress()), EvmAddress.Zero, Bytes32.Sha256([4]), Bytes32.Sha256([5]), Bytes32.Sha256([6]),
            1_790_000_000, Bytes32.Sha256([7]), sequence);
        var domain = Core.Eip712.ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, domain, key));
        var stored = StoredRecord.From(signed, ProvenanceRecordTypedData.Digest(record, domain), DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123));
        return (stored, signed);
    }
}

public sealed class SqliteLedgerStorageTests(SqliteDatabases databases) : LedgerStorageSpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerStorageTests(PostgresDatabases databases) : LedgerStorageSpecification(databases);
