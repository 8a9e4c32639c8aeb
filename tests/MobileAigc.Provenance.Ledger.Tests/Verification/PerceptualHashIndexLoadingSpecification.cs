using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>Loading the perceptual hash index from each database provider.</summary>
public abstract class PerceptualHashIndexLoadingSpecification(LedgerDatabases databases)
{
    [Fact]
    public async Task CatchUp_ExistingAndNewRecords_LoadsEveryNonZeroHash()
    {
        var factory = await databases.NewDatabaseAsync();
        var random = new Random(7);
        var hashes = Enumerable.Range(0, 25_000).Select(i => i % 10 == 0 ? Bytes32.Zero : PerceptualHashIndexTests.RandomHash(random)).ToList();
        await InsertAsync(factory, hashes.Select((h, i) => ((long?)null, h, i)));
        var sync = NewSync(factory);

        Assert.Equal(22_500, await sync.CatchUpAsync(lookBack: false, CancellationToken.None));
        var probe = hashes[12_345];
        var hit = sync.Index.Search(probe, 0).Single();
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(probe, (await db.Records.SingleAsync(r => r.Id == hit.RecordId)).PerceptualHash);
        }

        var later = PerceptualHashIndexTests.RandomHash(random);
        await InsertAsync(factory, [(null, later, 50_000)]);
        Assert.Equal(1, await sync.CatchUpAsync(lookBack: false, CancellationToken.None));
        Assert.Equal(0, await sync.CatchUpAsync(lookBack: true, CancellationToken.None));
        Assert.Single(sync.Index.Search(later, 0));
    }

    [Fact]
    public async Task CatchUp_RowCommittedBelowTheCursor_IsFoundByLookBack()
    {
        var factory = await databases.NewDatabaseAsync();
        var random = new Random(8);
        await InsertAsync(factory, [(100, PerceptualHashIndexTests.RandomHash(random), 1), (101, PerceptualHashIndexTests.RandomHash(random), 2)]);
        var sync = NewSync(factory);
        await sync.CatchUpAsync(lookBack: false, CancellationToken.None);
        var late = PerceptualHashIndexTests.RandomHash(random);

        // A transaction that took id 50 before ids 100 and 101 but committed after them.
        await InsertAsync(factory, [(50, late, 3)]);

        Assert.Equal(0, await sync.CatchUpAsync(lookBack: false, CancellationToken.None));
        Assert.Equal(1, await sync.CatchUpAsync(lookBack: true, CancellationToken.None));
        Assert.Equal(50, sync.Index.Search(late, 0).Single().RecordId);
        Assert.Equal(0, await sync.CatchUpAsync(lookBack: true, CancellationToken.None));
        Assert.Equal(3, sync.Index.Count);
    }

    [Fact]
    public async Task CatchUp_PdqIndex_LoadsOnlyVersion3HashesOfTrustedQuality()
    {
        var factory = await databases.NewDatabaseAsync();
        var random = new Random(9);
        var (trusted, atThreshold, blank) = (PerceptualHashIndexTests.RandomHash(random), PerceptualHashIndexTests.RandomHash(random), PerceptualHashIndexTests.RandomHash(random));
        await InsertAsync(factory, [(null, PerceptualHashIndexTests.RandomHash(random), 1)]);
        await InsertAsync(factory, [(null, PerceptualHashIndexTests.RandomHash(random), 2)], (trusted, 93));
        await InsertAsync(factory, [(null, PerceptualHashIndexTests.RandomHash(random), 3)], (atThreshold, 50));
        await InsertAsync(factory, [(null, PerceptualHashIndexTests.RandomHash(random), 4)], (blank, 49));
        var sync = new PdqIndexSync(factory, Options.Create(new VerificationOptions()), NullLogger<PdqIndexSync>.Instance);

        Assert.Equal(2, await sync.CatchUpAsync(lookBack: false, CancellationToken.None));
        Assert.Single(sync.Index.Search(trusted, 0));
        Assert.Single(sync.Index.Search(atThreshold, 0));
        Assert.Empty(sync.Index.Search(blank, 31));

        var later = PerceptualHashIndexTests.RandomHash(random);
        await InsertAsync(factory, [(null, PerceptualHashIndexTests.RandomHash(random), 5)], (later, 100));
        Assert.Equal(1, await sync.CatchUpAsync(lookBack: true, CancellationToken.None));
        Assert.Equal(3, sync.Index.Count);
    }

    private static PerceptualHashIndexSync NewSync(IDbContextFactory<LedgerDbContext> factory) => new(
        new PerceptualHashIndex(), factory, Options.Create(new VerificationOptions()), NullLogger<PerceptualHashIndexSync>.Instance);

    private static async Task InsertAsync(
        IDbContextFactory<LedgerDbContext> factory, IEnumerable<(long? Id, Bytes32 Hash, int Sequence)> rows, (Bytes32 Hash, int Quality)? pdq = null)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        foreach (var (id, hash, sequence) in rows)
        {
            var digest = Bytes32.Sha256(BitConverter.GetBytes(sequence));
            db.Records.Add(new StoredRecord
            {
                Id = id ?? 0,
                Digest = digest,
                ContentHash = digest,
                PerceptualHash = hash,
                PdqHash = pdq?.Hash,
                PdqQuality = pdq?.Quality,
                NodeSequence = sequence,
                Signature = new byte[65],
                ReceivedAt = DateTimeOffset.UnixEpoch,
            });
        }

        await db.SaveChangesAsync();
    }
}

public sealed class SqlitePerceptualHashIndexLoadingTests(SqliteDatabases databases)
    : PerceptualHashIndexLoadingSpecification(databases), IClassFixture<SqliteDatabases>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPerceptualHashIndexLoadingTests(PostgresDatabases databases)
    : PerceptualHashIndexLoadingSpecification(databases);
