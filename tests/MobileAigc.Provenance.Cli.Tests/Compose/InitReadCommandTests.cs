using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Tests.Compose;

/// <summary>
/// The commands <c>deploy/init.sh</c> decides with: <c>dev fund</c> (only accounts below the threshold),
/// <c>node show</c> and <c>ledger anchorer show</c> (reads, no keystore), and their refusals of bad input.
/// </summary>
public sealed class InitReadCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-init-reads-").FullName;
    private AnvilNode _anvil = null!;

    private string Rpc => _anvil.RpcUrl.ToString();

    public async Task InitializeAsync() => _anvil = await AnvilNode.StartAsync(new AnvilOptions());

    public async Task DisposeAsync()
    {
        await _anvil.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task DevFund_TwiceAfterSpending_FundsOnlyTheFirstTime()
    {
        var account = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());
        var web3 = new Nethereum.Web3.Web3(Rpc);

        var first = await CliRunner.RunAsync("dev", "fund", account.ToString(), "--rpc", Rpc, "--ether", "100", "--when-below", "10");
        await _anvil.SetBalanceAsync(account, 50 * System.Numerics.BigInteger.Pow(10, 18));
        var second = await CliRunner.RunAsync("dev", "fund", account.ToString(), "--rpc", Rpc, "--ether", "100", "--when-below", "10");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("funded: 0.000000 -> 100 ETH", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("holds 50.000000 ETH already; left alone", second.Output, StringComparison.Ordinal);
        Assert.Equal(50 * System.Numerics.BigInteger.Pow(10, 18), (await web3.Eth.GetBalance.SendRequestAsync(account.ToString())).Value);
    }

    [Theory]
    [InlineData("--ether", "0")]
    [InlineData("--when-below", "101")]
    public async Task DevFund_BadAmount_ExitsOneNamingTheOption(string option, string value)
    {
        var result = await CliRunner.RunAsync("dev", "fund", "0x0000000000000000000000000000000000000001", "--rpc", Rpc, "--ether", "100", option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevFund_NotAnAddress_ExitsOne()
    {
        var result = await CliRunner.RunAsync("dev", "fund", "0x1234", "--rpc", Rpc);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("0x1234", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowCommands_FreshDeployment_SayNotRegisteredAndWhoMayAnchor()
    {
        var passphrase = Path.Combine(_dir, "operator.passphrase");
        await File.WriteAllTextAsync(passphrase, "operator passphrase");
        var keystore = Path.Combine(_dir, "operator.json");
        var created = await CliRunner.RunAsync("keystore", "new", "--out", keystore, "--passphrase-file", passphrase, "--light-kdf");
        var deployer = created.Output.Split(' ')[0];
        var funded = await CliRunner.RunAsync("dev", "fund", deployer, "--rpc", Rpc);
        var deployment = Path.Combine(_dir, "deployment.json");
        var deployed = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", keystore, "--passphrase-file", passphrase, "--out", deployment);
        var node = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress()).ToString();
        var model = Bytes32.Sha256("a model"u8).ToString();

        var nodeShown = await CliRunner.RunAsync("node", "show", "--deployment", deployment, "--rpc", Rpc, "--node", node, "--model", model);
        var deployerShown = await CliRunner.RunAsync("ledger", "anchorer", "show", deployer, "--deployment", deployment, "--rpc", Rpc);
        var strangerShown = await CliRunner.RunAsync("ledger", "anchorer", "show", node, "--deployment", deployment, "--rpc", Rpc);
        var badNode = await CliRunner.RunAsync("node", "show", "--deployment", deployment, "--rpc", Rpc, "--node", "not-an-address");

        Assert.True(funded.ExitCode == 0 && deployed.ExitCode == 0, funded.Error + deployed.Error);
        Assert.True(nodeShown.ExitCode == 0, nodeShown.Error);
        Assert.Contains($"node {node}: not registered", nodeShown.Output, StringComparison.Ordinal);
        Assert.Contains($"model {model}: approved no, authorised no", nodeShown.Output, StringComparison.Ordinal);
        Assert.Contains($"{deployer} may anchor", deployerShown.Output, StringComparison.Ordinal);
        Assert.Contains($"{node} may not anchor", strangerShown.Output, StringComparison.Ordinal);
        Assert.Equal(1, badNode.ExitCode);
        Assert.Contains("--node", badNode.Error, StringComparison.Ordinal);
    }
}
