using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Chain;

namespace MobileAigc.Provenance.Ledger.Tests.Chain;

/// <summary><c>Ledger:Chain:DeploymentFile</c>: what the file fills, and every reason the ledger refuses to start with it.</summary>
public sealed class LedgerChainDeploymentFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ledger-deployment-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PostConfigure_OnlyTheFile_FillsChainIdContractsAndDeploymentBlock()
    {
        var options = Configure(new() { ["Ledger:Chain:DeploymentFile"] = await DeploymentFiles.WriteAsync(_dir) });

        var contracts = DeploymentFiles.Sample.Contracts;
        Assert.Equal(4242, options.ChainId);
        Assert.Equal(contracts.ModelRegistry.ToString(), options.ModelRegistry);
        Assert.Equal(contracts.ProvenanceLedger.ToString(), options.ProvenanceLedger);
        Assert.Equal(contracts.PaymentChannels.ToString(), options.PaymentChannels);
        Assert.Equal(77, options.DeploymentBlock);
    }

    [Fact]
    public async Task PostConfigure_ExplicitValuesThatAgree_InAnyCase_AreKept()
    {
        var checksummed = Core.Primitives.EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var deployment = DeploymentFiles.Sample with { Contracts = DeploymentFiles.Sample.Contracts with { ModelRegistry = checksummed } };

        var options = Configure(new()
        {
            ["Ledger:Chain:DeploymentFile"] = await DeploymentFiles.WriteAsync(_dir, deployment),
            ["Ledger:Chain:ChainId"] = "4242",
            ["Ledger:Chain:ModelRegistry"] = checksummed.ToString().ToLowerInvariant(),
            ["Ledger:Chain:PaymentChannels"] = "0x4444444444444444444444444444444444444444",
            ["Ledger:Chain:DeploymentBlock"] = "77",
        });

        Assert.Equal(4242, options.ChainId);
        Assert.Equal(checksummed.ToString(), options.ModelRegistry);
        Assert.Equal(77, options.DeploymentBlock);
    }

    [Fact]
    public void PostConfigure_NoFile_LeavesTheSettingsAsTheyAre()
    {
        var options = Configure(new() { ["Ledger:Chain:ChainId"] = "31337", ["Ledger:Chain:ModelRegistry"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3" });

        Assert.Equal(31337, options.ChainId);
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", options.ModelRegistry);
        Assert.Null(options.ProvenanceLedger);
    }

    [Theory]
    [InlineData("ChainId", "31337", "4242")]
    [InlineData("ModelRegistry", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x2222222222222222222222222222222222222222")]
    [InlineData("ProvenanceLedger", "0x2222222222222222222222222222222222222222", "0x3333333333333333333333333333333333333333")]
    [InlineData("PaymentChannels", "not an address", "0x4444444444444444444444444444444444444444")]
    [InlineData("DeploymentBlock", "0", "77")]
    public async Task PostConfigure_ExplicitValueDisagrees_RefusesNamingTheSettingBothValuesAndTheFile(string setting, string configured, string inFile)
    {
        var path = await DeploymentFiles.WriteAsync(_dir);

        var error = Assert.Throws<OptionsValidationException>(() => Configure(new()
        {
            ["Ledger:Chain:DeploymentFile"] = path,
            [$"Ledger:Chain:{setting}"] = configured,
        }));

        var message = Assert.Single(error.Failures);
        Assert.Contains($"Ledger:Chain:{setting}", message, StringComparison.Ordinal);
        Assert.Contains($"'{configured}'", message, StringComparison.Ordinal);
        Assert.Contains($"'{inFile}'", message, StringComparison.Ordinal);
        Assert.Contains(path, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":1,"chainId":1""", "is not a deployment file")]
    [InlineData("""{"version":2,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","provenanceLedger":"0x3333333333333333333333333333333333333333","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "version 2")]
    [InlineData("""{"version":1,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "\"provenanceLedger\"")]
    public async Task PostConfigure_MalformedFileOrUnknownVersion_RefusesWithThePathAndTheReason(string json, string reason)
    {
        var path = Path.Combine(_dir, "deployment.json");
        await File.WriteAllTextAsync(path, json);

        var message = Refusal(path);

        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostConfigure_MissingFile_RefusesWithThePath()
    {
        var message = Refusal(Path.Combine(_dir, "nowhere", "deployment.json"));

        Assert.Contains("No deployment file", message, StringComparison.Ordinal);
    }

    [Fact]
    public void PostConfigure_UnreadableFile_RefusesWithThePathAndTheReason()
    {
        var path = Path.Combine(_dir, "deployment.json");
        using var socket = DeploymentFiles.Unreadable(path);

        var message = Refusal(path);

        Assert.Contains("cannot be used: ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("0x4444444444444444444444444444444444444444", null, true)]
    [InlineData(null, "deployment.json", true)]
    public void NamesPaymentChannels_AContractOrADeploymentFile_IndexesSettlements(string? channels, string? file, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:Chain:PaymentChannels"] = channels,
            ["Ledger:Chain:DeploymentFile"] = file,
        }).Build();

        Assert.Equal(expected, LedgerChainDeploymentFile.NamesPaymentChannels(configuration));
    }

    // The refusal's one message names the setting and the file's full path.
    private static string Refusal(string path)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Configure(new() { ["Ledger:Chain:DeploymentFile"] = path }));
        var message = Assert.Single(error.Failures);
        Assert.StartsWith($"Ledger:Chain:DeploymentFile '{Path.GetFullPath(path)}' cannot be used: ", message, StringComparison.Ordinal);
        return message;
    }

    // As the host does it: bind the section, then post-configure with the same configuration.
    private static LedgerChainOptions Configure(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = configuration.GetSection(LedgerChainOptions.Section).Get<LedgerChainOptions>() ?? new LedgerChainOptions();
        new LedgerChainDeploymentFile(configuration).PostConfigure(Options.DefaultName, options);
        return options;
    }
}
