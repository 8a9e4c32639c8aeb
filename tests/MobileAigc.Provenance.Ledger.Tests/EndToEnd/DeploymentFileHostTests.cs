using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>The real ledger process configured by <c>Ledger:Chain:DeploymentFile</c> alone: no chain id, no contract address.</summary>
[Collection(LedgerProcessCollection.Name)]
public sealed class DeploymentFileHostTests(LedgerChainFixture chain) : IDisposable
{
    private static readonly string[] ContractSettings =
        ["Ledger:Chain:ChainId", "Ledger:Chain:ModelRegistry", "Ledger:Chain:ProvenanceLedger", "Ledger:Chain:PaymentChannels"];

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-deployment-file-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Start_WithOnlyTheDeploymentFile_IngestsAndAnchorsOnItsContracts()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var settings = await SettingsWithTheFileOnlyAsync(setup);

        await using var host = await LedgerHostProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        // Accepted: the registry mirror read the file's ModelRegistry, and the records' signatures hold in the
        // domain of the file's chain and ProvenanceLedger.
        var response = await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, setup.NewRecords(5));
        Assert.All(response.Records, r => Assert.True(r.Accepted, r.Problem?.Detail));

        await LedgerCrashTests.WaitUntilAsync(
            async () => await setup.Deployment.Chain.Ledger.NextSequenceAsync(setup.Deployment.Owner.Address) > 0, TimeSpan.FromSeconds(60), host);
    }

    [Fact]
    public async Task Start_ChainIdDisagreesWithTheFile_RefusesNamingTheSettingBothValuesAndTheFile()
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var settings = await SettingsWithTheFileOnlyAsync(setup);
        settings["Ledger:Chain:ChainId"] = "1";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerHostProcess.StartAsync(settings));

        Assert.Contains("Ledger:Chain:ChainId is set to '1'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{chain.Node.ChainId}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(settings["Ledger:Chain:DeploymentFile"], error.Message, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> SettingsWithTheFileOnlyAsync(LedgerHostSetup setup)
    {
        var deployment = setup.Deployment;
        var file = new DeploymentFile(deployment.Contracts, deployment.Owner.Address);
        var settings = await setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        foreach (var setting in ContractSettings)
        {
            settings.Remove(setting);
        }

        settings["Ledger:Chain:DeploymentFile"] = await DeploymentFiles.WriteAsync(_directory, file);
        return settings;
    }
}
