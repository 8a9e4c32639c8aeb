using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.Ledger.Tests.Upgrades;

/// <summary>
/// A contract upgrade on the real host process and a real anvil, once per database provider: deployment A's records
/// are anchored, the operator deploys B and restarts the ledger with B current and A previous; A's records still
/// verify (in A's domain, root on A by A's anchorer), B's are accepted and anchored on B only, a record signed for A is
/// refused saying why, and the reconciliation finds both deployments' batches on their own contracts.
/// </summary>
public abstract class ContractUpgradeSpecification(LedgerChainFixture chain) : IAsyncLifetime
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A folder for keystores, deployment files and the SQLite database.</summary>
    protected string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("mobileaigc-upgrade-").FullName;

    /// <summary>The ledger's database settings, and the same database for direct reads.</summary>
    protected abstract Task<(Dictionary<string, string> Settings, LedgerDatabaseOptions Options)> NewDatabaseAsync();

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Upgrade_FromAToB_OldRecordsVerifyOnANewOnesAnchorOnB()
    {
        var (database, databaseOptions) = await NewDatabaseAsync();
        var adminKey = Path.Combine(Directory, "admin.key");
        await File.WriteAllTextAsync(adminKey, "upgrade-test-admin-key");
        database["Ledger:Host:AdminApiKeyFile"] = adminKey;

        // Deployment A: records accepted and anchored.
        var a = new LedgerHostSetup(await chain.DeployAsync(), System.IO.Directory.CreateDirectory(Path.Combine(Directory, "a")).FullName);
        var aRecords = a.NewRecords(5);
        await using (var hostA = await LedgerHostProcess.StartAsync(await a.SettingsAsync(database)))
        {
            using var http = new HttpClient { BaseAddress = hostA.BaseAddress };
            Assert.All((await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, aRecords)).Records, r => Assert.True(r.Accepted, r.Problem?.Detail));
            await LedgerCrashTests.WaitUntilAsync(async () => await UnanchoredAsync(databaseOptions) == 0, TimeSpan.FromSeconds(60), hostA);
        }

        // Deployment B, with its own anchorer; A listed as previous through its deployment file.
        var b = new LedgerHostSetup(await chain.DeployAsync(), System.IO.Directory.CreateDirectory(Path.Combine(Directory, "b")).FullName);
        var settings = await b.SettingsAsync(database);
        settings["Ledger:Chain:DeploymentBlock"] = b.Deployment.Contracts.DeploymentBlock.ToString(CultureInfo.InvariantCulture);
        settings["Ledger:Chain:PreviousDeployments:0:DeploymentFile"] = await WriteDeploymentFileAsync(a.Deployment, "a.json");
        settings["Ledger:Chain:PreviousDeployments:0:Anchorers:0"] = a.Deployment.Owner.Address.ToString();
        await using var hostB = await LedgerHostProcess.StartAsync(settings);
        using var client = new HttpClient { BaseAddress = hostB.BaseAddress };

        var old = await VerifyAsync(client, aRecords[0].Record.ContentHash);
        AssertVerifiedOn(old, a.Deployment, current: false);
        Assert.Equal(a.Deployment.Owner.Address, old.Anchoring!.Anchorer);

        var bRecords = b.NewRecords(4);
        Assert.All((await LedgerHostSetup.SubmitWhenNodeKnownAsync(client, bRecords)).Records, r => Assert.True(r.Accepted, r.Problem?.Detail));
        await LedgerCrashTests.WaitUntilAsync(async () => await UnanchoredAsync(databaseOptions) == 0, TimeSpan.FromSeconds(60), hostB);
        AssertVerifiedOn(await VerifyAsync(client, bRecords[0].Record.ContentHash), b.Deployment, current: true);

        // Nothing anchored twice, nothing on the wrong contract.
        Assert.Equal(5UL, await a.Deployment.Chain.Ledger.NextSequenceAsync(a.Deployment.Owner.Address));
        Assert.Equal(4UL, await b.Deployment.Chain.Ledger.NextSequenceAsync(b.Deployment.Owner.Address));
        Assert.Equal(0UL, await b.Deployment.Chain.Ledger.NextSequenceAsync(a.Deployment.Owner.Address));
        await using (var db = LedgerDatabase.Open(databaseOptions))
        {
            var byContract = await db.Batches.GroupBy(x => x.LedgerContract).Select(g => new { Contract = g.Key, Records = g.Sum(x => x.RecordCount) }).ToListAsync();
            Assert.Equal(5, byContract.Single(x => x.Contract == a.Deployment.Contracts.ProvenanceLedger).Records);
            Assert.Equal(4, byContract.Single(x => x.Contract == b.Deployment.Contracts.ProvenanceLedger).Records);
        }

        // A record signed for A, sent after the switch (with one for B, so the answer lists both).
        var late = await client.PostAsJsonAsync(LedgerIngest.RecordsPath, new SubmitRecordsRequest([a.NewRecords(1)[0], b.NewRecords(1)[0]]));
        var answers = (await late.Content.ReadFromJsonAsync<SubmitRecordsResponse>(Json))!.Records;
        Assert.False(answers[0].Accepted);
        Assert.Equal(RecordProblemTypes.InvalidSignature, answers[0].Problem!.Type);
        Assert.Contains($"signed for a previous deployment (ProvenanceLedger {a.Deployment.Contracts.ProvenanceLedger}", answers[0].Problem!.Detail, StringComparison.Ordinal);
        Assert.True(answers[1].Accepted, answers[1].Problem?.Detail);

        // The reconciliation reads each batch's own contract.
        await LedgerCrashTests.WaitUntilAsync(async () => await UnanchoredAsync(databaseOptions) == 0, TimeSpan.FromSeconds(60), hostB);
        using var reconcile = new HttpRequestMessage(HttpMethod.Post, LedgerAudit.ReconcilePath);
        reconcile.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "upgrade-test-admin-key");
        using var reconciled = await client.SendAsync(reconcile);
        var report = (await reconciled.Content.ReadFromJsonAsync<ReconciliationReport>(Json))!;
        Assert.True(report.IsConsistent, string.Join("\n", report.Batches.SelectMany(x => x.Differences)));
        Assert.Equal(report.Batches.Count, report.Ok);
        Assert.Equal(10, report.Batches.Sum(x => x.RecordCount));
    }

    internal async Task<string> WriteDeploymentFileAsync(TestDeployment deployment, string name)
    {
        var path = Path.Combine(Directory, name);
        await new DeploymentFile(deployment.Contracts, deployment.Owner.Address).WriteAsync(path, overwrite: true);
        return path;
    }

    internal static async Task<int> UnanchoredAsync(LedgerDatabaseOptions options)
    {
        await using var db = LedgerDatabase.Open(options);
        return await db.Records.CountAsync(r => r.Batch == null || r.Batch.State != AnchorBatchState.Anchored);
    }

    private static async Task<VerificationResult> VerifyAsync(HttpClient client, Bytes32 contentHash) =>
        (await client.GetFromJsonAsync<VerificationResult>($"{LedgerVerification.VerifyPath}/{contentHash}", Json))!;

    private static void AssertVerifiedOn(VerificationResult result, TestDeployment deployment, bool current)
    {
        Assert.Equal(VerificationVerdict.Verified, result.Verdict);
        Assert.True(result.Signature!.Valid, result.Signature.Detail);
        Assert.True(result.Anchoring!.RootCheckedOnChain, result.Anchoring.OnChainDetail);
        Assert.Equal(new AnchoringDeployment(deployment.Contracts.ProvenanceLedger, (long)deployment.Contracts.ChainId, current), result.Anchoring.Deployment);
        Assert.Equal(deployment.Contracts.ProvenanceLedger, result.Anchoring.Inclusion.Batch.LedgerContract);
    }
}

[Collection(ChainIndexingCollection.Name)]
public sealed class SqliteContractUpgradeTests(LedgerChainFixture chain) : ContractUpgradeSpecification(chain)
{
    protected override Task<(Dictionary<string, string> Settings, LedgerDatabaseOptions Options)> NewDatabaseAsync()
    {
        var directory = Path.Combine(Directory, "db");
        return Task.FromResult((new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = directory }, new LedgerDatabaseOptions { DataDirectory = directory }));
    }
}

[Collection(ChainIndexingCollection.Name)]
public sealed class PostgresContractUpgradeTests(LedgerChainFixture chain) : ContractUpgradeSpecification(chain)
{
    private PostgresServer _postgres = null!;

    public override async Task InitializeAsync() => _postgres = await PostgresServer.StartAsync(new PostgresServerOptions());

    public override async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<(Dictionary<string, string> Settings, LedgerDatabaseOptions Options)> NewDatabaseAsync()
    {
        var connection = await _postgres.CreateDatabaseAsync("ledger_upgrade");
        return (new Dictionary<string, string> { ["Ledger:Database:Provider"] = "Postgres", ["Ledger:Database:ConnectionString"] = connection },
            new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Postgres, ConnectionString = connection });
    }
}
