using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// The scale-out claim of docs/scaling.md checked on real processes: two ledger replicas over one PostgreSQL, both
/// ingesting at once under concurrent load, the one holding the anchoring lease killed with kill -9 mid-load while
/// clients keep posting to the other. Every record answered <c>accepted</c> must be stored once and anchored once, and
/// the survivor must take over anchoring through the worker lease.
/// </summary>
[Collection(LedgerProcessCollection.Name)]
public sealed class LedgerReplicaLoadTests(LedgerChainFixture chain) : IAsyncLifetime
{
    private const int ClientsPerReplica = 2;
    private const int RecordsPerRequest = 50;
    // Under a minute of load in all: up to 25 s before the kill, the rest after it.
    private static readonly TimeSpan LoadLimit = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan TotalLoadLimit = TimeSpan.FromSeconds(55);

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-replica-load-").FullName;
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync(new PostgresServerOptions());

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task KillDashNine_OfOneReplicaUnderConcurrentLoad_EveryAcceptedRecordIsStoredAndAnchoredOnce()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var connection = await _postgres.CreateDatabaseAsync("ledger_replica_load");
        var settings = await setup.SettingsAsync(new Dictionary<string, string>
        {
            ["Ledger:Database:Provider"] = "Postgres",
            ["Ledger:Database:ConnectionString"] = connection,
        });
        var dbOptions = new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Postgres, ConnectionString = connection };
        var accepted = new ConcurrentDictionary<Bytes32, int>();

        await using var doomed = await LedgerHostProcess.StartAsync(settings);
        using var doomedHttp = new HttpClient { BaseAddress = doomed.BaseAddress };
        Accept(accepted, await LedgerHostSetup.SubmitWhenNodeKnownAsync(doomedHttp, setup.NewRecords(1)));
        // Started alone, the first replica takes the anchoring lease: killing it is what makes the other take over.
        await LedgerCrashTests.WaitUntilAsync(async () => await LeaseGenerationAsync(dbOptions) >= 1, TimeSpan.FromSeconds(30), doomed);
        var generationBeforeKill = await LeaseGenerationAsync(dbOptions);

        await using var survivor = await LedgerHostProcess.StartAsync(settings);
        using var survivorHttp = new HttpClient { BaseAddress = survivor.BaseAddress };
        Accept(accepted, await LedgerHostSetup.SubmitWhenNodeKnownAsync(survivorHttp, setup.NewRecords(1)));

        var unanswered = new ConcurrentBag<IReadOnlyList<SignedProvenanceRecord>>();
        using var stopDoomed = new CancellationTokenSource(LoadLimit);
        using var stopSurvivor = new CancellationTokenSource(TotalLoadLimit);
        var doomedClients = Clients(doomedHttp, setup, accepted, unanswered, stopDoomed.Token);
        var survivorClients = Clients(survivorHttp, setup, accepted, unanswered, stopSurvivor.Token);

        // Kill mid-load: both replicas have answered for a while and requests are in flight to both.
        await LedgerCrashTests.WaitUntilAsync(() => Task.FromResult(accepted.Count >= 400), LoadLimit, doomed);
        doomed.Kill();
        var acceptedAtKill = accepted.Count;
        await Task.WhenAll(doomedClients);

        // The survivor keeps ingesting after the kill.
        await LedgerCrashTests.WaitUntilAsync(() => Task.FromResult(accepted.Count >= acceptedAtKill + 300), LoadLimit, survivor);
        await stopSurvivor.CancelAsync();
        await Task.WhenAll(survivorClients);

        // What the dead replica never answered may or may not be stored: a node resends it, and the survivor accepts it once.
        foreach (var batch in unanswered)
        {
            var answer = await Submit(survivorHttp, batch);
            Assert.All(answer.Records, r => Assert.True(r.Accepted, r.Problem?.Detail));
            Accept(accepted, answer);
        }

        await LedgerCrashTests.WaitUntilAsync(async () =>
        {
            await using var db = LedgerDatabase.Open(dbOptions);
            return !await db.Records.AnyAsync(r => r.Batch == null || r.Batch.State != AnchorBatchState.Anchored);
        }, TimeSpan.FromSeconds(120), survivor);

        await using var check = LedgerDatabase.Open(dbOptions);
        var stored = await check.Records.AsNoTracking().Include(r => r.Batch).ToListAsync();
        Assert.True(acceptedAtKill >= 400 && accepted.Count >= acceptedAtKill + 300, $"the replicas were not loaded ({accepted.Count} accepted)");
        Assert.Equal(stored.Count, stored.Select(r => r.Digest).Distinct().Count());
        var storedDigests = stored.Select(r => r.Digest).ToHashSet();
        Assert.All(accepted.Keys, digest => Assert.Contains(digest, storedDigests));
        Assert.All(stored, r => Assert.Equal(AnchorBatchState.Anchored, r.Batch!.State));
        // Anchored once: no leaf twice in a batch, and the chain's ledger sequence covers exactly the stored records.
        Assert.Equal(stored.Count, stored.Select(r => (r.BatchId, r.LeafIndex)).Distinct().Count());
        Assert.Equal((ulong)stored.Count, await setup.Deployment.Chain.Ledger.NextSequenceAsync(setup.Deployment.Owner.Address));
        foreach (var record in stored.Where((_, i) => i % 97 == 0))
        {
            Assert.True(await setup.Deployment.Chain.Ledger.VerifyInclusionAsync(record.Batch!.Root, record.Digest, record.ProofHashes()));
            Assert.True(MerkleTree.Verify(record.Batch.Root, record.Digest, record.ProofHashes()));
        }

        var lease = await check.Leases.AsNoTracking().SingleAsync();
        Assert.True(lease.Generation > generationBeforeKill, $"the survivor never took the anchoring lease (generation {lease.Generation})");
    }

    // Clients that post fresh records until stopped; a request the host never answers (it died) is kept for resending.
    private static List<Task> Clients(
        HttpClient http, LedgerHostSetup setup, ConcurrentDictionary<Bytes32, int> accepted,
        ConcurrentBag<IReadOnlyList<SignedProvenanceRecord>> unanswered, CancellationToken stop) =>
        [.. Enumerable.Range(0, ClientsPerReplica).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = setup.NewRecords(RecordsPerRequest);
                try
                {
                    var answer = await Submit(http, batch);
                    Assert.All(answer.Records, r => Assert.True(r.Accepted, r.Problem?.Detail));
                    Accept(accepted, answer);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    unanswered.Add(batch);
                    return;
                }
            }
        }))];

    private static async Task<SubmitRecordsResponse> Submit(HttpClient http, IReadOnlyList<SignedProvenanceRecord> records)
    {
        using var response = await http.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest(records));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>())!;
    }

    private static void Accept(ConcurrentDictionary<Bytes32, int> accepted, SubmitRecordsResponse response)
    {
        foreach (var record in response.Records.Where(r => r.Accepted))
        {
            accepted[record.RecordDigest] = 1;
        }
    }

    private static async Task<long> LeaseGenerationAsync(LedgerDatabaseOptions options)
    {
        await using var db = LedgerDatabase.Open(options);
        return await db.Leases.AsNoTracking().Select(l => (long?)l.Generation).SingleOrDefaultAsync() ?? 0;
    }
}
