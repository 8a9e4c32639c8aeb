using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// Two real ledger processes over one real PostgreSQL: both ingest, one anchors; kill -9 of the
/// anchoring one hands the lease to the other, and nothing is lost or anchored twice.
/// </summary>
[Collection(LedgerProcessCollection.Name)]
public sealed class LedgerReplicaTests(LedgerChainFixture chain) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-replicas-").FullName;
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync(new PostgresServerOptions { Fsync = true });

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task KillDashNine_OfTheAnchoringReplica_TheOtherTakesOverAndAnchorsEverythingOnce()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var connection = await _postgres.CreateDatabaseAsync("ledger_replicas");
        var database = new Dictionary<string, string>
        {
            ["Ledger:Database:Provider"] = "Postgres",
            ["Ledger:Database:ConnectionString"] = connection,
        };
        var settings = await setup.SettingsAsync(database);
        var dbOptions = new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Postgres, ConnectionString = connection };

        await using var first = await LedgerHostProcess.StartAsync(settings);
        using var firstHttp = new HttpClient { BaseAddress = first.BaseAddress };
        var accepted = new List<Bytes32>();
        accepted.AddRange(Accepted(await LedgerHostSetup.SubmitWhenNodeKnownAsync(firstHttp, setup.NewRecords(100))));
        // The first replica is alone: it must hold the anchoring lease before the second starts.
        await LedgerCrashTests.WaitUntilAsync(async () =>
        {
            await using var db = LedgerDatabase.Open(dbOptions);
            return await db.Leases.AnyAsync();
        }, TimeSpan.FromSeconds(30), first);

        await using var second = await LedgerHostProcess.StartAsync(settings);
        using var secondHttp = new HttpClient { BaseAddress = second.BaseAddress };
        accepted.AddRange(Accepted(await LedgerHostSetup.SubmitWhenNodeKnownAsync(secondHttp, setup.NewRecords(100))));
        accepted.AddRange(Accepted(await LedgerHostSetup.SubmitWhenNodeKnownAsync(firstHttp, setup.NewRecords(100))));

        first.Kill();
        accepted.AddRange(Accepted(await LedgerHostSetup.SubmitWhenNodeKnownAsync(secondHttp, setup.NewRecords(300))));

        await LedgerCrashTests.WaitUntilAsync(async () =>
        {
            await using var db = LedgerDatabase.Open(dbOptions);
            return !await db.Records.AnyAsync(r => r.Batch == null || r.Batch.State != AnchorBatchState.Anchored);
        }, TimeSpan.FromSeconds(90), second);

        await using var check = LedgerDatabase.Open(dbOptions);
        var stored = await check.Records.AsNoTracking().Select(r => r.Digest).ToListAsync();
        Assert.Equal(600, accepted.Count);
        Assert.Equal(accepted.Count, stored.Count);
        Assert.All(accepted, digest => Assert.Contains(digest, stored));
        Assert.Equal((ulong)stored.Count, await setup.Deployment.Chain.Ledger.NextSequenceAsync(setup.Deployment.Owner.Address));
        var lease = await check.Leases.AsNoTracking().SingleAsync();
        Assert.True(lease.Generation >= 2, $"the lease never changed hands (generation {lease.Generation})");
    }

    private static IEnumerable<Bytes32> Accepted(Core.Api.SubmitRecordsResponse response) =>
        response.Records.Where(r => r.Accepted).Select(r => r.RecordDigest);
}
