using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Generated.ProvenanceLedger;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance keystore …</c>, <c>deploy</c>, <c>node …</c> and <c>ledger anchorer …</c> as an operator runs them
/// against a real anvil, from nothing to a registered node, and each kind of bad input refused with exit 1.
/// </summary>
public sealed class AdministrationCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-admin-").FullName;
    private AnvilNode _anvil = null!;

    public async Task InitializeAsync() => _anvil = await AnvilNode.StartAsync(new AnvilOptions());

    public async Task DisposeAsync()
    {
        await _anvil.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task OperatorSequence_KeystoreToAnchorer_TheChainShowsEachStep()
    {
        var operatorKey = await NewKeystoreAsync("operator", fund: true);
        var node = await NewKeystoreAsync("node", fund: false);
        var deployment = await DeployAsync(operatorKey);
        var read = await DeploymentFile.ReadAsync(deployment);
        var owner = await NewKeystoreAsync("owner", fund: true);
        var registryAsOwner = new ModelRegistryClient(new Nethereum.Web3.Web3(Rpc), read.Contracts.ModelRegistry);
        var first = Bytes32.Sha256("first model"u8);
        var second = Bytes32.Sha256("second model"u8);
        var anchorer = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());

        var firstModel = await AsOperatorAsync(owner, deployment, "model", "register", "--model", first.ToString(), "--dev-mine");
        var secondModel = await AsOperatorAsync(owner, deployment, "model", "register", "--model", second.ToString(), "--dev-mine");
        var registered = await AsOperatorAsync(operatorKey, deployment, "node", "register", "--node-keystore", node.Keystore, "--node-passphrase-file", node.Passphrase, "--model", first.ToString());
        var added = await AsOperatorAsync(operatorKey, deployment, "node", "models", "add", "--node", node.Address.ToString(), "--model", second.ToString());
        var approved = await AsOperatorAsync(owner, deployment, "model", "approve-node", "--node", node.Address.ToString(), "--model", second.ToString());
        var endpoint = await AsOperatorAsync(operatorKey, deployment, "node", "endpoint", "set", "https://node.example:8443", "--node", node.Address.ToString());
        var anchorerAdded = await AsOperatorAsync(operatorKey, deployment, "ledger", "anchorer", "add", anchorer.ToString());

        Assert.True(firstModel.ExitCode == 0, firstModel.Error);
        Assert.True(secondModel.ExitCode == 0, secondModel.Error);
        Assert.True(registered.ExitCode == 0, registered.Error);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Contains("authorised now: True", approved.Output, StringComparison.Ordinal);
        Assert.Equal(owner.Address, (await registryAsOwner.GetModelAsync(first)).Owner);
        Assert.True(endpoint.ExitCode == 0, endpoint.Error);
        Assert.True(anchorerAdded.ExitCode == 0, anchorerAdded.Error);
        Assert.Equal(operatorKey.Address, read.Deployer);
        Assert.Equal(new BigInteger(_anvil.ChainId), read.Contracts.ChainId);
        Assert.True(read.Contracts.DeploymentBlock > 0);
        Assert.Contains("not authorised yet", registered.Output, StringComparison.Ordinal);
        Assert.Equal(operatorKey.Address, await registryAsOwner.NodeOperatorAsync(node.Address));
        Assert.True(await registryAsOwner.IsNodeAuthorizedAsync(node.Address, second));
        Assert.Equal(new Uri("https://node.example:8443/"), await registryAsOwner.GetNodeEndpointAsync(node.Address));
        var ledger = new ProvenanceLedgerService(new Nethereum.Web3.Web3(Rpc), read.Contracts.ProvenanceLedger.ToString());
        Assert.True(await ledger.IsAnchorerQueryAsync(anchorer.ToString()));
        Assert.True(await ledger.IsAnchorerQueryAsync(operatorKey.Address.ToString()));

        var removed = await AsOperatorAsync(operatorKey, deployment, "ledger", "anchorer", "remove", anchorer.ToString());
        var deregistered = await AsOperatorAsync(operatorKey, deployment, "node", "deregister", "--node", node.Address.ToString());

        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.True(deregistered.ExitCode == 0, deregistered.Error);
        Assert.False(await ledger.IsAnchorerQueryAsync(anchorer.ToString()));
        Assert.True((await registryAsOwner.NodeOperatorAsync(node.Address)).IsZero);
    }

    [Fact]
    public async Task KeystoreNewThenAddress_PrintsTheSameAddress_AndNeverOverwrites()
    {
        var created = await NewKeystoreAsync("mine", fund: false);

        var again = await CliRunner.RunAsync("keystore", "new", "--out", created.Keystore, "--passphrase-file", created.Passphrase, "--light-kdf");
        var notAKeystore = await CliRunner.RunAsync("keystore", "address", created.Passphrase);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("never overwritten", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, notAKeystore.ExitCode);
        Assert.Contains("not a keystore", notAKeystore.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_ExistingFile_RefusedWithoutForceAndReplacedWithIt()
    {
        var operatorKey = await NewKeystoreAsync("operator", fund: true);
        var deployment = await DeployAsync(operatorKey);
        var before = await DeploymentFile.ReadAsync(deployment);

        var refused = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", operatorKey.Keystore, "--passphrase-file", operatorKey.Passphrase, "--out", deployment);
        var forced = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", operatorKey.Keystore, "--password-file", operatorKey.Passphrase, "--out", deployment, "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.NotEqual(before.Contracts.ModelRegistry, (await DeploymentFile.ReadAsync(deployment)).Contracts.ModelRegistry);
    }

    [Fact]
    public async Task Deploy_BadInputs_ExitOneWithAClearMessage()
    {
        var operatorKey = await NewKeystoreAsync("operator", fund: true);
        var wrongPassphrase = Path.Combine(_dir, "wrong.passphrase");
        await File.WriteAllTextAsync(wrongPassphrase, "not it\n");
        var output = Path.Combine(_dir, "deployment.json");

        var wrong = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", operatorKey.Keystore, "--passphrase-file", wrongPassphrase, "--out", output);
        var missing = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", Path.Combine(_dir, "none.json"), "--passphrase-file", operatorKey.Passphrase, "--out", output);
        var unreachable = await CliRunner.RunAsync("deploy", "--rpc", "http://127.0.0.1:9/", "--keystore", operatorKey.Keystore, "--passphrase-file", operatorKey.Passphrase, "--out", output);
        var noPassphrase = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", operatorKey.Keystore, "--out", output);
        var otherChain = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--chain-id", "1", "--keystore", operatorKey.Keystore, "--passphrase-file", operatorKey.Passphrase, "--out", output);
        var unfunded = await NewKeystoreAsync("unfunded", fund: false);
        var broke = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", unfunded.Keystore, "--passphrase-file", unfunded.Passphrase, "--out", output);

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("wrong passphrase", wrong.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No keystore", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("does not answer", unreachable.Error, StringComparison.Ordinal);
        Assert.Equal(1, noPassphrase.ExitCode);
        Assert.Contains("no terminal", noPassphrase.Error, StringComparison.Ordinal);
        Assert.Equal(1, otherChain.ExitCode);
        Assert.Contains("not 1 (--chain-id)", otherChain.Error, StringComparison.Ordinal);
        Assert.Equal(1, broke.ExitCode);
        Assert.Contains("funds", broke.Error, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task AdministrationCommands_BadDeploymentOrSender_ExitOneNamingTheProblem()
    {
        var operatorKey = await NewKeystoreAsync("operator", fund: true);
        var stranger = await NewKeystoreAsync("stranger", fund: true);
        var deployment = await DeployAsync(operatorKey);
        var read = await DeploymentFile.ReadAsync(deployment);
        var otherChain = Path.Combine(_dir, "mainnet.json");
        await new DeploymentFile(read.Contracts with { ChainId = 1 }, read.Deployer).WriteAsync(otherChain, overwrite: false);
        var notJson = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(notJson, "{ not json");
        var someone = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress()).ToString();

        var wrongChain = await AsOperatorAsync(operatorKey, otherChain, "ledger", "anchorer", "add", someone);
        var missing = await AsOperatorAsync(operatorKey, Path.Combine(_dir, "none.json"), "ledger", "anchorer", "add", someone);
        var broken = await AsOperatorAsync(operatorKey, notJson, "ledger", "anchorer", "add", someone);
        var notOwner = await AsOperatorAsync(stranger, deployment, "ledger", "anchorer", "add", someone);
        var notOperator = await AsOperatorAsync(stranger, deployment, "node", "models", "add", "--node", someone, "--model", Bytes32.Sha256("m"u8).ToString());
        var badAddress = await AsOperatorAsync(operatorKey, deployment, "ledger", "anchorer", "add", "0x1234");
        var reset = Path.Combine(_dir, "reset.json");
        await new DeploymentFile(read.Contracts with { ProvenanceLedger = stranger.Address }, read.Deployer).WriteAsync(reset, overwrite: false);
        var noContract = await AsOperatorAsync(operatorKey, reset, "ledger", "anchorer", "add", someone);
        var both = await AsOperatorAsync(operatorKey, deployment, "model", "approve-node", "--registry", read.Contracts.ModelRegistry.ToString(), "--node", someone, "--model", Bytes32.Sha256("m"u8).ToString());
        var modelOnOtherChain = await AsOperatorAsync(operatorKey, otherChain, "model", "approve-node", "--node", someone, "--model", Bytes32.Sha256("m"u8).ToString());
        var showOnOtherChain = await CliRunner.RunAsync("model", "show", "--deployment", otherChain, "--rpc", Rpc, "--model", Bytes32.Sha256("m"u8).ToString());

        Assert.Equal(1, wrongChain.ExitCode);
        Assert.Contains("is for chain 1", wrongChain.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No deployment file", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("is not a deployment file", broken.Error, StringComparison.Ordinal);
        Assert.Equal(1, notOwner.ExitCode);
        Assert.Contains("OwnableUnauthorizedAccount", notOwner.Error, StringComparison.Ordinal);
        Assert.Equal(1, notOperator.ExitCode);
        Assert.Contains("NodeNotRegistered", notOperator.Error, StringComparison.Ordinal);
        Assert.Equal(1, badAddress.ExitCode);
        Assert.Contains("must be an address", badAddress.Error, StringComparison.Ordinal);
        Assert.Equal(1, noContract.ExitCode);
        Assert.Contains("no contract there", noContract.Error, StringComparison.Ordinal);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("not both", both.Error, StringComparison.Ordinal);
        Assert.Equal(1, modelOnOtherChain.ExitCode);
        Assert.Contains("not 1 (the deployment file)", modelOnOtherChain.Error, StringComparison.Ordinal);
        Assert.Equal(1, showOnOtherChain.ExitCode);
        Assert.Contains("is for chain 1", showOnOtherChain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeCommands_RefusedByTheRegistryOrTheEndpointRule_ExitOneNamingWhy()
    {
        var operatorKey = await NewKeystoreAsync("operator", fund: true);
        var stranger = await NewKeystoreAsync("stranger", fund: true);
        var node = await NewKeystoreAsync("node", fund: false);
        var deployment = await DeployAsync(operatorKey);
        var unregisteredModel = Bytes32.Sha256("nobody registered this"u8).ToString();
        var nodeArguments = new[] { "--node-keystore", node.Keystore, "--node-passphrase-file", node.Passphrase };

        var wrongNodePassphrase = await AsOperatorAsync(operatorKey, deployment, "node", "register", "--node-keystore", node.Keystore, "--node-passphrase-file", operatorKey.Passphrase);
        var unknownModel = await AsOperatorAsync(operatorKey, deployment, ["node", "register", .. nodeArguments, "--model", unregisteredModel]);
        var registered = await AsOperatorAsync(operatorKey, deployment, ["node", "register", .. nodeArguments]);
        var loopback = await AsOperatorAsync(operatorKey, deployment, "node", "endpoint", "set", "http://127.0.0.1:5000", "--node", node.Address.ToString());
        var loopbackAllowed = await AsOperatorAsync(operatorKey, deployment, "node", "endpoint", "set", "http://127.0.0.1:5000", "--node", node.Address.ToString(), "--allow-local");
        var deregistered = await AsOperatorAsync(operatorKey, deployment, "node", "deregister", "--node", node.Address.ToString());
        var takenOver = await AsOperatorAsync(stranger, deployment, ["node", "register", .. nodeArguments]);

        Assert.Equal(1, wrongNodePassphrase.ExitCode);
        Assert.Contains("wrong passphrase", wrongNodePassphrase.Error, StringComparison.Ordinal);
        Assert.Equal(1, unknownModel.ExitCode);
        Assert.Contains("ModelNotRegistered", unknownModel.Error, StringComparison.Ordinal);
        Assert.True(registered.ExitCode == 0, registered.Error);
        Assert.Equal(1, loopback.ExitCode);
        Assert.Contains("node endpoint set:", loopback.Error, StringComparison.Ordinal);
        Assert.True(loopbackAllowed.ExitCode == 0, loopbackAllowed.Error);
        Assert.True(deregistered.ExitCode == 0, deregistered.Error);
        Assert.Equal(1, takenOver.ExitCode);
        Assert.Contains("NodeKeyBoundToOtherOperator", takenOver.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keystore", "new")]
    [InlineData("keystore", "address")]
    [InlineData("deploy")]
    [InlineData("node", "register")]
    [InlineData("node", "models", "add")]
    [InlineData("node", "models", "remove")]
    [InlineData("node", "endpoint", "set")]
    [InlineData("node", "deregister")]
    [InlineData("ledger", "anchorer", "add")]
    [InlineData("ledger", "anchorer", "remove")]
    public async Task Help_EveryAdministrationCommand_DescribesItsOptions(params string[] command)
    {
        var result = await CliRunner.RunAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains(command[0] == "keystore" ? "keystore" : "--keystore", result.Output, StringComparison.Ordinal);
    }

    private string Rpc => _anvil.RpcUrl.ToString();

    private async Task<string> DeployAsync((string Keystore, string Passphrase, EvmAddress Address) sender)
    {
        var output = Path.Combine(_dir, "deployment.json");
        var result = await CliRunner.RunAsync("deploy", "--rpc", Rpc, "--keystore", sender.Keystore, "--passphrase-file", sender.Passphrase, "--out", output);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("done: Deploy ModelRegistry", result.Output, StringComparison.Ordinal);
        Assert.Contains("done: Make the deployer an anchorer", result.Output, StringComparison.Ordinal);
        return output;
    }

    private Task<(int ExitCode, string Output, string Error)> AsOperatorAsync(
        (string Keystore, string Passphrase, EvmAddress Address) sender, string deployment, params string[] arguments) =>
        CliRunner.RunAsync([.. arguments, "--deployment", deployment, "--rpc", Rpc, "--keystore", sender.Keystore, "--passphrase-file", sender.Passphrase]);

    private async Task<(string Keystore, string Passphrase, EvmAddress Address)> NewKeystoreAsync(string name, bool fund)
    {
        var keystore = Path.Combine(_dir, $"{name}.json");
        var passphrase = Path.Combine(_dir, $"{name}.passphrase");
        await File.WriteAllTextAsync(passphrase, $"{name}-passphrase\n");
        var created = await CliRunner.RunAsync("keystore", "new", "--out", keystore, "--passphrase-file", passphrase, "--light-kdf");
        Assert.True(created.ExitCode == 0, created.Error);
        var shown = await CliRunner.RunAsync("keystore", "address", keystore);
        Assert.Equal(0, shown.ExitCode);
        var address = EvmAddress.Parse(shown.Output.Trim());
        Assert.StartsWith(address.ToString(), created.Output.Trim(), StringComparison.OrdinalIgnoreCase);
        if (fund)
        {
            await _anvil.SetBalanceAsync(address, BigInteger.Pow(10, 20));
        }

        return (keystore, passphrase, address);
    }
}
