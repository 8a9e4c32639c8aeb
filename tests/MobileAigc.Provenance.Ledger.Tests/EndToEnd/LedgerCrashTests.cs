using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// Fault injection on the real host process: kill -9 while clients submit and the anchoring
/// worker runs, restart, and check that every acknowledged record is stored once and anchored
/// exactly once, with proofs the chain accepts.
/// </summary>
[Collection(LedgerProcessCollection.Name)]
public sealed class LedgerCrashTests(LedgerChainFixture chain) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-crash-").FullName;

    [Fact]
    public async Task KillDashNine_WhileIngestingAndAnchoring_LosesNothingAndAnchorsOnce()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var database = new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") };
        var settings = await setup.SettingsAsync(database);
        var acknowledged = new ConcurrentDictionary<Bytes32, bool>();

        for (var round = 0; round < 3; round++)
        {
            await using var host = await LedgerHostProcess.StartAsync(settings);
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            if (round == 0)
            {
                Acknowledge(acknowledged, await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, setup.NewRecords(1)));
            }

            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        Acknowledge(acknowledged, await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, setup.NewRecords(25)));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or TimeoutException)
                    {
                        return; // the host died under us: what it did not answer was never acknowledged
                    }
                }
            })).ToList();

            // Kill at a different point each round: after 50, 75, 100 more acknowledged records.
            var target = acknowledged.Count + 50 + (round * 25);
            await WaitUntilAsync(() => Task.FromResult(acknowledged.Count >= target), TimeSpan.FromSeconds(60), host);
            host.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        // A last life with no crash: everything acknowledged must end up anchored, once.
        await using (var host = await LedgerHostProcess.StartAsync(settings))
        {
            await WaitUntilAsync(async () => await PendingCountAsync(database) == 0, TimeSpan.FromSeconds(90), host);
        }

        await using var db = LedgerDatabase.Open(new LedgerDatabaseOptions { DataDirectory = database["Ledger:Database:DataDirectory"] });
        var stored = await db.Records.AsNoTracking().Include(r => r.Batch).ToListAsync();
        Assert.True(acknowledged.Count >= 150, $"only {acknowledged.Count} records were acknowledged; the test did not load the ledger");
        Assert.All(acknowledged.Keys, digest => Assert.Contains(stored, r => r.Digest == digest));
        Assert.Equal(stored.Count, stored.Select(r => r.Digest).Distinct().Count());
        Assert.All(stored, r => Assert.Equal(AnchorBatchState.Anchored, r.Batch!.State));

        // Nothing twice: the chain's ledger sequence covers exactly the stored records.
        Assert.Equal((ulong)stored.Count, await setup.Deployment.Chain.Ledger.NextSequenceAsync(setup.Deployment.Owner.Address));
        foreach (var record in stored.Where((_, i) => i % 37 == 0))
        {
            Assert.True(MerkleTree.Verify(record.Batch!.Root, record.Digest, record.ProofHashes()));
            Assert.True(await setup.Deployment.Chain.Ledger.VerifyInclusionAsync(record.Batch.Root, record.Digest, record.ProofHashes()));
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static void Acknowledge(ConcurrentDictionary<Bytes32, bool> acknowledged, Core.Api.SubmitRecordsResponse response)
    {
        foreach (var record in response.Records.Where(r => r.Accepted))
        {
            acknowledged[record.RecordDigest] = true;
        }
    }

    private static async Task<int> PendingCountAsync(Dictionary<string, string> database)
    {
        await using var db = LedgerDatabase.Open(new LedgerDatabaseOptions { DataDirectory = database["Ledger:Database:DataDirectory"] });
        return await db.Records.CountAsync(r => r.Batch == null || r.Batch.State != AnchorBatchState.Anchored);
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, HostProcess host)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}. Host output:\n{host.Output}");
            }

            await Task.Delay(200);
        }
    }
}
