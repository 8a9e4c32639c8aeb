using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance model …</c>, <c>channel …</c> and <c>offers</c> as users run them, against a real
/// anvil: keystores on disk, transactions mined, and each kind of bad input refused with exit 1.
/// </summary>
public sealed class MarketplaceCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-market-").FullName;
    private AnvilNode _anvil = null!;
    private ProvenanceContracts _contracts = null!;
    private (string Keystore, string Passphrase, EvmAddress Address) _owner;
    private (string Keystore, string Passphrase, EvmAddress Address) _creator;
    private FundedAccount _operator = null!;

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync(new AnvilOptions());
        _owner = await NewKeystoreAsync("owner");
        _creator = await NewKeystoreAsync("creator");
        _operator = await FundedAccounts.CreateAsync(_anvil);
        _contracts = await ProvenanceContracts.DeployAsync(_operator.Web3) with { AwaitBlock = _anvil.MineUntilAsync };
    }

    public async Task DisposeAsync()
    {
        await _anvil.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ModelRegisterThenDerive_FromOnnxFiles_ShowsOwnerTermsAndLineage()
    {
        var baseModel = await ModelFileAsync("base.onnx");
        var tuned = await ModelFileAsync("tuned.onnx");

        var registered = await RunAsync(_owner, "model", "register", "--registry", Registry, "--model", baseModel, "--price", "1000", "--royalty-bps", "500", "--dev-mine");
        var derived = await RunAsync(_owner, "model", "register", "--registry", Registry, "--model", tuned, "--parent", baseModel, "--royalty-bps", "250", "--dev-mine");
        var shown = await CliRunner.RunAsync("model", "show", "--registry", Registry, "--model", tuned, "--rpc", _anvil.RpcUrl.ToString());

        Assert.True(registered.ExitCode == 0, registered.Error);
        Assert.True(derived.ExitCode == 0, derived.Error);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains($"owner {_owner.Address}", shown.Output, StringComparison.OrdinalIgnoreCase);
        // Root first, then the derived model itself.
        var lineage = shown.Output.Split('\n').Where(l => l.TrimStart().StartsWith("lineage", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lineage.Count);
        Assert.Contains("royalty 500 bps", lineage[0], StringComparison.Ordinal);
        Assert.Contains("royalty 250 bps", lineage[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelRegister_RoyaltyOverTheMaximum_ExitsOneWithTheContractsError()
    {
        var model = await ModelFileAsync("greedy.onnx");

        var result = await RunAsync(_owner, "model", "register", "--registry", Registry, "--model", model, "--royalty-bps", "2001", "--dev-mine");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("RoyaltyTooHigh", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelApproveNodeAndOpen_ByTheOwner_ChangesAccessAndByOthers_ExitsOne()
    {
        var model = await ModelFileAsync("approved.onnx");
        Assert.Equal(0, (await RunAsync(_owner, "model", "register", "--registry", Registry, "--model", model, "--dev-mine")).ExitCode);
        var node = EvmAddress.Parse(EthECKey.GenerateKey().GetPublicAddress());

        var approved = await RunAsync(_owner, "model", "approve-node", "--registry", Registry, "--model", model, "--node", node.ToString());
        var opened = await RunAsync(_owner, "model", "open", "--registry", Registry, "--model", model);
        var intruder = await RunAsync(_creator, "model", "approve-node", "--registry", Registry, "--model", model, "--node", node.ToString(), "--withdraw");
        var shown = await CliRunner.RunAsync("model", "show", "--registry", Registry, "--model", model, "--rpc", _anvil.RpcUrl.ToString());

        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Contains($"node {node} approved", approved.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(opened.ExitCode == 0, opened.Error);
        Assert.Equal(1, intruder.ExitCode);
        Assert.Contains("NotModelOwner", intruder.Error, StringComparison.Ordinal);
        Assert.Contains("open to any node", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelOpenTopUpStatusClose_FullLife_MovesTheDepositAndRefunds()
    {
        var model = await ModelFileAsync("paid.onnx");
        Assert.Equal(0, (await RunAsync(_owner, "model", "register", "--registry", Registry, "--model", model, "--price", "1000", "--dev-mine")).ExitCode);
        var nodeKey = EthECKey.GenerateKey();
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        await _contracts.RegistryFor(_operator.Web3).RegisterNodeAsync(nodeKey, [Bytes32.Sha256(await File.ReadAllBytesAsync(model))]);
        // The channel's node must be authorised for the model: its owner approves it.
        Assert.Equal(0, (await RunAsync(_owner, "model", "approve-node", "--registry", Registry, "--model", model, "--node", node.ToString())).ExitCode);

        var opened = await RunAsync(_creator, "channel", "open", "--channels", Channels, "--node-address", node.ToString(), "--model", model,
            "--amount", "100000", "--expires-in", "01:00:00");
        Assert.True(opened.ExitCode == 0, opened.Error);
        Assert.Contains($"at node {node} (provider {_operator.Address})", opened.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("fixed terms: price 1000", opened.Output, StringComparison.Ordinal);
        var channelId = opened.Output.Split(' ', ':')[2];
        var toppedUp = await RunAsync(_creator, "channel", "topup", "--channels", Channels, "--channel", channelId, "--amount", "5000");
        var early = await RunAsync(_creator, "channel", "close", "--channels", Channels, "--channel", channelId);
        await _anvil.IncreaseTimeAsync(TimeSpan.FromHours(2));
        var closed = await RunAsync(_creator, "channel", "close", "--channels", Channels, "--channel", channelId);
        var status = await CliRunner.RunAsync("channel", "status", "--channels", Channels, "--channel", channelId, "--rpc", _anvil.RpcUrl.ToString());

        Assert.True(toppedUp.ExitCode == 0, toppedUp.Error);
        Assert.Contains("deposit 105000", toppedUp.Output, StringComparison.Ordinal);
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("ChannelNotExpired", early.Error, StringComparison.Ordinal);
        Assert.True(closed.ExitCode == 0, closed.Error);
        Assert.Contains("refunded 105000", closed.Output, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("deposit 105000 ETH (wei), settled 0", status.Output, StringComparison.Ordinal);
        Assert.Contains("closed", status.Output, StringComparison.Ordinal);
        Assert.Contains("terms fixed at opening: price 1000", status.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-passphrase", "wrong passphrase or not a keystore")]
    [InlineData("missing-keystore", "No keystore at")]
    [InlineData("bad-node", "--node-address must be an address")]
    [InlineData("unserved-node", "NodeNotAuthorized")]
    [InlineData("bad-amount", "--amount must be a whole number")]
    [InlineData("missing-model-file", "no file at")]
    [InlineData("wrong-chain", "not 1 (--chain-id)")]
    [InlineData("unregistered-model", "ModelNotRegistered")]
    public async Task ChannelOpen_BadInput_ExitsOneWithAClearMessage(string kind, string expected)
    {
        var keystore = kind == "missing-keystore" ? Path.Combine(_dir, "nowhere.json") : _creator.Keystore;
        var model = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        if (kind == "unserved-node")
        {
            // A registered model that the named node does not serve.
            await _contracts.RegistryFor(_operator.Web3).RegisterModelAsync(model, "ipfs://m", 1_000, 0);
        }

        var passphrase = _creator.Passphrase;
        if (kind == "wrong-passphrase")
        {
            passphrase = Path.Combine(_dir, "wrong.txt");
            await File.WriteAllTextAsync(passphrase, "not the passphrase");
        }

        var arguments = new List<string>
        {
            "channel", "open", "--channels", Channels,
            "--node-address", kind == "bad-node" ? "0x1234" : EvmAddress.Parse(EthECKey.GenerateKey().GetPublicAddress()).ToString(),
            "--model", kind == "missing-model-file" ? Path.Combine(_dir, "absent.onnx") : model.ToString(),
            "--amount", kind == "bad-amount" ? "1.5" : "1000",
            "--rpc", _anvil.RpcUrl.ToString(), "--chain-id", kind == "wrong-chain" ? "1" : _anvil.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--keystore", keystore, "--passphrase-file", passphrase,
        };

        var result = await CliRunner.RunAsync([.. arguments]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offers_LedgerUnreachable_ExitsOneWithAClearMessage()
    {
        var result = await CliRunner.RunAsync("offers", "--ledger", "http://127.0.0.1:9/", "--model", Bytes32.Sha256("m"u8).ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not answer", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Earnings_WithoutAProviderKeyFile_ExitsNonZeroNamingTheOption()
    {
        var result = await CliRunner.RunAsync("earnings", "--node", "http://127.0.0.1:9/");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--provider-key-file", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Earnings_ProviderKeyFileMissing_ExitsOneWithAClearMessage()
    {
        var result = await CliRunner.RunAsync("earnings", "--node", "http://127.0.0.1:9/", "--provider-key-file", Path.Combine(Path.GetTempPath(), "no-such-provider.key"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No provider key file", result.Error, StringComparison.Ordinal);
    }

    private string Registry => _contracts.ModelRegistry.ToString();

    private string Channels => _contracts.PaymentChannels.ToString();

    private Task<(int ExitCode, string Output, string Error)> RunAsync((string Keystore, string Passphrase, EvmAddress Address) sender, params string[] arguments) =>
        CliRunner.RunAsync([.. arguments, "--rpc", _anvil.RpcUrl.ToString(), "--chain-id", _anvil.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--keystore", sender.Keystore, "--passphrase-file", sender.Passphrase]);

    private async Task<(string Keystore, string Passphrase, EvmAddress Address)> NewKeystoreAsync(string name)
    {
        var (key, address, _) = await FundedAccounts.CreateAsync(_anvil);
        // Cheap scrypt parameters: the keystore format is the user's, the cost is not what is tested.
        var keystore = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            $"{name}-passphrase", key.GetPrivateKeyAsBytes(), address.ToString(), new ScryptParams { Dklen = 32, N = 1 << 10, R = 8, P = 1 });
        var keystorePath = Path.Combine(_dir, $"{name}.json");
        var passphrasePath = Path.Combine(_dir, $"{name}.passphrase");
        await File.WriteAllTextAsync(keystorePath, keystore);
        await File.WriteAllTextAsync(passphrasePath, $"{name}-passphrase\n");
        return (keystorePath, passphrasePath, address);
    }

    private async Task<string> ModelFileAsync(string name)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllBytesAsync(path, Guid.NewGuid().ToByteArray());
        return path;
    }
}
