using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Upgrades;

/// <summary>
/// The real host refuses to start on a contract upgrade that would lose records or let a wrong contract vouch for
/// them, and says why: an unanchored backlog, the old deployment not listed, a previous deployment on another chain or
/// listed twice. Then the drained switch starts.
/// </summary>
[Collection(ChainIndexingCollection.Name)]
public sealed class ContractUpgradeRefusalTests(LedgerChainFixture chain) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-upgrade-refusals-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Start_SwitchThatWouldLoseOrMisplaceRecords_IsRefusedWithItsReason()
    {
        var databaseDirectory = Path.Combine(_directory, "db");
        var database = new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = databaseDirectory };
        var databaseOptions = new LedgerDatabaseOptions { DataDirectory = databaseDirectory };
        var a = new LedgerHostSetup(await chain.DeployAsync(), Directory.CreateDirectory(Path.Combine(_directory, "a")).FullName);
        var aSettings = await a.SettingsAsync(database);
        // A replica that does not anchor leaves what it accepted waiting: the backlog a switch must not strand.
        aSettings["Ledger:Anchoring:Enabled"] = "false";
        await using (var host = await LedgerHostProcess.StartAsync(aSettings))
        {
            using var http = new HttpClient { BaseAddress = host.BaseAddress };
            await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, a.NewRecords(3));
        }

        var b = new LedgerHostSetup(await chain.DeployAsync(), Directory.CreateDirectory(Path.Combine(_directory, "b")).FullName);
        var aLedger = a.Deployment.Contracts.ProvenanceLedger.ToString();
        var bSettings = await b.SettingsAsync(database);

        var unlisted = await RefusedAsync(bSettings);
        Assert.Contains($"accepted under ProvenanceLedger {aLedger}", unlisted, StringComparison.Ordinal);

        var otherChain = new Dictionary<string, string>(bSettings)
        {
            ["Ledger:Chain:PreviousDeployments:0:ProvenanceLedger"] = aLedger,
            ["Ledger:Chain:PreviousDeployments:0:ChainId"] = "5",
        };
        Assert.Contains("Ledger:Chain:PreviousDeployments:0 is on chain 5", await RefusedAsync(otherChain), StringComparison.Ordinal);

        var twice = new Dictionary<string, string>(bSettings)
        {
            ["Ledger:Chain:PreviousDeployments:0:ProvenanceLedger"] = aLedger,
            ["Ledger:Chain:PreviousDeployments:1:ProvenanceLedger"] = aLedger.ToLowerInvariant(),
        };
        Assert.Contains("list each previous deployment once", await RefusedAsync(twice), StringComparison.Ordinal);

        var listed = new Dictionary<string, string>(bSettings)
        {
            ["Ledger:Chain:PreviousDeployments:0:ProvenanceLedger"] = aLedger,
            ["Ledger:Chain:PreviousDeployments:0:Anchorers:0"] = a.Deployment.Owner.Address.ToString(),
        };
        var backlog = await RefusedAsync(listed);
        Assert.Contains("3 accepted records wait for a batch", backlog, StringComparison.Ordinal);
        Assert.Contains($"Start again with {aLedger} as the current deployment", backlog, StringComparison.Ordinal);

        // Drained on A (anchoring back on), the switch starts.
        aSettings["Ledger:Anchoring:Enabled"] = "true";
        await using (var host = await LedgerHostProcess.StartAsync(aSettings))
        {
            await LedgerCrashTests.WaitUntilAsync(
                async () => await ContractUpgradeSpecification.UnanchoredAsync(databaseOptions) == 0, TimeSpan.FromSeconds(60), host);
        }

        await using var switched = await LedgerHostProcess.StartAsync(listed);
        Assert.False(switched.HasExited);
        Assert.Equal(3UL, await a.Deployment.Chain.Ledger.NextSequenceAsync(a.Deployment.Owner.Address));
    }

    private static async Task<string> RefusedAsync(Dictionary<string, string> settings)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var host = await LedgerHostProcess.StartAsync(settings);
        });
        Assert.Contains("exited with", refused.Message, StringComparison.Ordinal);
        return refused.Message;
    }
}
