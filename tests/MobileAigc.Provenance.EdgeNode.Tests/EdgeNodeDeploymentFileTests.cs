using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Host;
using MobileAigc.Provenance.EdgeNode.Payments;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary><c>EdgeNode:DeploymentFile</c>: what the file fills, every reason the node refuses to start with it, and the real host started with it alone.</summary>
public sealed class EdgeNodeDeploymentFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task PostConfigure_OnlyTheFile_FillsChainIdLedgerRegistriesAndChannels()
    {
        var (node, payments) = Configure(new() { ["EdgeNode:DeploymentFile"] = await DeploymentFiles.WriteAsync(_dir.Path) });

        var contracts = DeploymentFiles.Sample.Contracts;
        Assert.Equal(4242, node.ChainId);
        Assert.Equal(contracts.ProvenanceLedger.ToString(), node.ProvenanceLedger);
        Assert.Equal(contracts.ModelRegistry.ToString(), node.Credentials.ModelRegistry);
        Assert.Equal(contracts.ModelRegistry.ToString(), payments.ModelRegistry);
        Assert.Equal(contracts.PaymentChannels.ToString(), payments.PaymentChannels);
        Assert.False(payments.Enabled);
    }

    [Fact]
    public async Task PostConfigure_ExplicitValuesThatAgree_InAnyCase_AreKept()
    {
        var checksummed = Core.Primitives.EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
        var deployment = DeploymentFiles.Sample with { Contracts = DeploymentFiles.Sample.Contracts with { ProvenanceLedger = checksummed } };

        var (node, payments) = Configure(new()
        {
            ["EdgeNode:DeploymentFile"] = await DeploymentFiles.WriteAsync(_dir.Path, deployment),
            ["EdgeNode:ChainId"] = "4242",
            ["EdgeNode:ProvenanceLedger"] = checksummed.ToString().ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal),
            ["Payments:RpcUrl"] = "http://127.0.0.1:8545",
            ["Payments:ModelRegistry"] = "0x2222222222222222222222222222222222222222",
        });

        Assert.Equal(checksummed.ToString(), node.ProvenanceLedger);
        Assert.Equal(4242, node.ChainId);
        Assert.True(payments.Enabled);
    }

    [Fact]
    public void PostConfigure_NoFile_LeavesTheSettingsAsTheyAre()
    {
        var (node, payments) = Configure(new() { ["EdgeNode:ProvenanceLedger"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3" });

        Assert.Equal(31337, node.ChainId);
        Assert.Equal("0x5FbDB2315678afecb367f032d93F642f64180aa3", node.ProvenanceLedger);
        Assert.Null(node.Credentials.ModelRegistry);
        Assert.Null(payments.PaymentChannels);
    }

    [Theory]
    [InlineData("EdgeNode:ChainId", "31337", "4242")]
    [InlineData("EdgeNode:ProvenanceLedger", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "0x3333333333333333333333333333333333333333")]
    [InlineData("EdgeNode:Credentials:ModelRegistry", "0x4444444444444444444444444444444444444444", "0x2222222222222222222222222222222222222222")]
    [InlineData("Payments:ModelRegistry", "0x3333333333333333333333333333333333333333", "0x2222222222222222222222222222222222222222")]
    [InlineData("Payments:PaymentChannels", "0x2222", "0x4444444444444444444444444444444444444444")]
    public async Task PostConfigure_ExplicitValueDisagrees_RefusesNamingTheSettingBothValuesAndTheFile(string setting, string configured, string inFile)
    {
        var path = await DeploymentFiles.WriteAsync(_dir.Path);

        var error = Assert.Throws<OptionsValidationException>(() => Configure(new() { ["EdgeNode:DeploymentFile"] = path, [setting] = configured }));

        var message = Assert.Single(error.Failures);
        Assert.Contains($"{setting} is set to '{configured}'", message, StringComparison.Ordinal);
        Assert.Contains($"'{inFile}'", message, StringComparison.Ordinal);
        Assert.Contains(path, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version":1,"chainId":1""", "is not a deployment file")]
    [InlineData("""{"version":7,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","provenanceLedger":"0x3333333333333333333333333333333333333333","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "version 7")]
    [InlineData("""{"version":1,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","provenanceLedger":"0x3333333333333333333333333333333333333333","paymentChannels":"0x0000000000000000000000000000000000000000"}""", "\"paymentChannels\"")]
    public async Task PostConfigure_MalformedFileOrUnknownVersion_RefusesWithThePathAndTheReason(string json, string reason)
    {
        var path = _dir.File("deployment.json");
        await File.WriteAllTextAsync(path, json);

        Assert.Contains(reason, Refusal(path), StringComparison.Ordinal);
    }

    [Fact]
    public void PostConfigure_MissingFile_RefusesWithThePath() =>
        Assert.Contains("No deployment file", Refusal(_dir.File("missing.json")), StringComparison.Ordinal);

    [Fact]
    public void PostConfigure_UnreadableFile_RefusesWithThePathAndTheReason()
    {
        var path = _dir.File("deployment.json");
        using var socket = DeploymentFiles.Unreadable(path);

        Assert.Contains("cannot be used: ", Refusal(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_StartedWithOnlyTheDeploymentFile_SignsForItsLedgerAndTakesPaymentsOnItsChannels()
    {
        var path = await DeploymentFiles.WriteAsync(_dir.Path);
        // Payments on: the node reads nothing from the chain until a voucher comes, so no chain node is needed to start.
        await using var host = await EdgeNodeHost.StartWithDeploymentFileAsync(_dir.Path, ledger: null, path,
            new Dictionary<string, string> { ["Payments__RpcUrl"] = "http://127.0.0.1:9/" });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var status = await http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        var terms = await http.GetFromJsonAsync<PaymentTerms>(EdgeRoutes.Payments);

        var contracts = DeploymentFiles.Sample.Contracts;
        Assert.Equal(4242, status!.RecordChainId);
        Assert.Equal(contracts.ProvenanceLedger, status.ProvenanceLedger);
        Assert.True(terms!.Enabled);
        Assert.Equal(4242, terms.ChainId);
        Assert.Equal(contracts.PaymentChannels, terms.PaymentChannels);
    }

    // A file that cannot be used is reported once, by the node's options; the payments' options leave it to them.
    private static string Refusal(string path)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Configure(new() { ["EdgeNode:DeploymentFile"] = path }));
        Assert.Equal(typeof(EdgeNodeOptions), error.OptionsType);
        var message = Assert.Single(error.Failures);
        Assert.StartsWith($"EdgeNode:DeploymentFile '{Path.GetFullPath(path)}' cannot be used: ", message, StringComparison.Ordinal);
        return message;
    }

    // As the host does it: bind both sections, then post-configure with the same configuration.
    private static (EdgeNodeOptions Node, PaymentOptions Payments) Configure(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var node = configuration.GetSection(EdgeNodeOptions.Section).Get<EdgeNodeOptions>() ?? new EdgeNodeOptions();
        var payments = configuration.GetSection(PaymentOptions.Section).Get<PaymentOptions>() ?? new PaymentOptions();
        var deploymentFile = new EdgeNodeDeploymentFile(configuration);
        deploymentFile.PostConfigure(Options.DefaultName, payments);
        deploymentFile.PostConfigure(Options.DefaultName, node);
        return (node, payments);
    }
}
