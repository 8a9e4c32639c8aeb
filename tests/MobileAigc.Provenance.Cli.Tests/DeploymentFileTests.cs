using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>The deployment file's JSON shape, which the CLI's commands and the hosts read.</summary>
public sealed class DeploymentFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deployment-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task WriteThenRead_RoundTripsEveryValue_InTheDocumentedShape()
    {
        var written = Sample();
        var path = Path.Combine(_dir, "nested", "deployment.json");

        await written.WriteAsync(path, overwrite: false);
        var read = await DeploymentFile.ReadAsync(path);
        var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;

        Assert.Equal(written, read);
        Assert.Equal(DeploymentFile.CurrentVersion, json.GetProperty("version").GetInt32());
        Assert.Equal(8453, json.GetProperty("chainId").GetInt64());
        Assert.Equal(1234, json.GetProperty("deploymentBlock").GetInt64());
        Assert.Equal(written.Contracts.ProvenanceLedger, EvmAddress.Parse(json.GetProperty("provenanceLedger").GetString()!));
    }

    [Fact]
    public async Task Write_ExistingFile_KeptUnlessOverwriting()
    {
        var path = Path.Combine(_dir, "deployment.json");
        await File.WriteAllTextAsync(path, "kept");

        await Assert.ThrowsAsync<IOException>(() => Sample().WriteAsync(path, overwrite: false));
        Assert.Equal("kept", await File.ReadAllTextAsync(path));
        await Sample().WriteAsync(path, overwrite: true);
        Assert.Equal(Sample(), await DeploymentFile.ReadAsync(path));
    }

    [Theory]
    [InlineData("""{"version":2,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","provenanceLedger":"0x3333333333333333333333333333333333333333","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "version 2")]
    [InlineData("""{"version":1,"chainId":0,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","provenanceLedger":"0x3333333333333333333333333333333333333333","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "chain 0")]
    [InlineData("""{"version":1,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x0000000000000000000000000000000000000000","provenanceLedger":"0x3333333333333333333333333333333333333333","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "\"modelRegistry\"")]
    [InlineData("""{"version":1,"chainId":1,"deploymentBlock":0,"deployer":"0x1111111111111111111111111111111111111111","modelRegistry":"0x2222222222222222222222222222222222222222","paymentChannels":"0x4444444444444444444444444444444444444444"}""", "\"provenanceLedger\"")]
    [InlineData("""[1, 2]""", "not a deployment file")]
    [InlineData("""null""", "holds null")]
    public async Task Read_NotAVersionOneDeployment_FormatExceptionNamingTheProblem(string json, string expected)
    {
        var path = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(path, json);

        var error = await Assert.ThrowsAsync<FormatException>(() => DeploymentFile.ReadAsync(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static DeploymentFile Sample() => new(
        new ProvenanceContracts(8453, EvmAddress.Parse("0x2222222222222222222222222222222222222222"),
            EvmAddress.Parse("0x3333333333333333333333333333333333333333"), EvmAddress.Parse("0x4444444444444444444444444444444444444444"))
        {
            DeploymentBlock = 1234,
        },
        EvmAddress.Parse("0x1111111111111111111111111111111111111111"));
}
