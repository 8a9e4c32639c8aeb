using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>
/// One real anvil with the three contracts deployed and the two shipped models registered: the text
/// model at <see cref="TextPrice"/> per generation, the image model free (price 0). Channels are
/// bound to a node, which <see cref="Operator"/> registers for both models with the node key's consent
/// (<see cref="RegisterNodeAsync(EthECKey)"/>) and <see cref="ModelOwner"/> approves, before its first channel.
/// </summary>
public sealed class PaymentChainFixture : IAsyncLifetime
{
    public static readonly BigInteger TextPrice = 1_000;
    private readonly SemaphoreSlim _sharedNodeGate = new(1, 1);
    private readonly TempDirectory _sharedNodeDirectory = new();
    private readonly SemaphoreSlim _registrationGate = new(1, 1);
    private readonly HashSet<EvmAddress> _registeredNodes = [];
    private HostProcess? _sharedNode;

    public AnvilNode Anvil { get; private set; } = null!;

    public ProvenanceContracts Contracts { get; private set; } = null!;

    public FundedAccount ModelOwner { get; private set; } = null!;

    /// <summary>The operator of every node the tests open channels for: the channels' provider, who is credited.</summary>
    public FundedAccount Operator { get; private set; } = null!;

    public Bytes32 TextModel { get; } = ModelHash("kjv-char-mlp");

    public Bytes32 ImageModel { get; } = ModelHash("cppn-image");

    public ContractDomain ChannelsDomain => ContractDomain.ForPaymentChannels(Contracts.ChainId, Contracts.PaymentChannels);

    public async Task InitializeAsync()
    {
        Anvil = await AnvilNode.StartAsync(new AnvilOptions());
        ModelOwner = await NewAccountAsync();
        Operator = await NewAccountAsync();
        Contracts = await ProvenanceContracts.DeployAsync(ModelOwner.Web3) with { AwaitBlock = Anvil.MineUntilAsync };
        var registry = Contracts.RegistryFor(ModelOwner.Web3);
        await registry.RegisterModelAsync(TextModel, "ipfs://kjv-char-mlp", TextPrice, 1_000);
        await registry.RegisterModelAsync(ImageModel, "ipfs://cppn-image", 0, 0);
    }

    public async Task DisposeAsync()
    {
        if (_sharedNode is not null)
        {
            await _sharedNode.DisposeAsync();
        }

        _sharedNodeDirectory.Dispose();
        await Anvil.DisposeAsync();
    }

    /// <summary>
    /// One paid node for the tests that need no special settings, started on first use: payments on,
    /// settlement off (so that what the tests accept stays pending).
    /// </summary>
    public async Task<(HostProcess Host, HttpClient Http, EvmAddress Provider)> SharedNodeAsync()
    {
        await _sharedNodeGate.WaitAsync();
        try
        {
            _sharedNode ??= await EdgeNodeHost.StartAsync(_sharedNodeDirectory.Path, ledger: null,
                // A queue deep enough for the concurrency tests: what they try is the voucher book under concurrent requests, not the node's limit.
                PaymentSettings(("Payments__SettlementEnabled", "false"), ("EdgeNode__Host__GenerationQueueLimit", "64")));
            var http = EdgeNodeHost.ProviderClient(_sharedNode, _sharedNodeDirectory.Path);
            await RegisterHostNodeAsync(_sharedNodeDirectory.Path);
            return (_sharedNode, http, await NodeAddressAsync(http));
        }
        finally
        {
            _sharedNodeGate.Release();
        }
    }

    /// <summary>The host settings that turn payments on against this chain.</summary>
    public Dictionary<string, string> PaymentSettings(params (string Name, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["EdgeNode__ChainId"] = Contracts.ChainId.ToString(CultureInfo.InvariantCulture),
            ["Payments__RpcUrl"] = Anvil.RpcUrl.ToString(),
            ["Payments__PaymentChannels"] = Contracts.PaymentChannels.ToString(),
            ["Payments__ModelRegistry"] = Contracts.ModelRegistry.ToString(),
        };
        foreach (var (name, value) in more)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>A fresh key with 100 ETH and a Web3 that signs with it.</summary>
    public Task<FundedAccount> NewAccountAsync() => FundedAccounts.CreateAsync(Anvil);

    /// <summary>
    /// Opens a channel from <paramref name="creator"/> bound to <paramref name="node"/> (registered and approved
    /// first with <see cref="RegisterNodeAsync(EthECKey)"/> or <see cref="RegisterHostNodeAsync"/>), in ETH or
    /// <paramref name="token"/>.
    /// </summary>
    public async Task<Bytes32> OpenChannelAsync(
        FundedAccount creator, EvmAddress node, Bytes32 model, BigInteger deposit, TimeSpan? lifetime = null, EvmAddress token = default)
    {
        var expiresAt = await Anvil.LatestBlockTimeAsync() + (lifetime ?? TimeSpan.FromDays(1));
        var (channelId, _) = await Contracts.ChannelsFor(creator.Web3).OpenChannelAsync(node, model, token, deposit, expiresAt);
        return channelId;
    }

    /// <summary>
    /// Registers the node of <paramref name="nodeKey"/> for both models, operated by <see cref="Operator"/> with the
    /// key's consent, and has <see cref="ModelOwner"/> approve it for both, unless that is done already.
    /// </summary>
    /// <returns>The node's address.</returns>
    public async Task<EvmAddress> RegisterNodeAsync(EthECKey nodeKey)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        await _registrationGate.WaitAsync();
        try
        {
            if (_registeredNodes.Add(node))
            {
                await Contracts.RegistryFor(Operator.Web3).RegisterNodeAsync(nodeKey, [TextModel, ImageModel]);
                var owner = Contracts.RegistryFor(ModelOwner.Web3);
                await owner.SetNodeApprovalAsync(TextModel, node, true);
                await owner.SetNodeApprovalAsync(ImageModel, node, true);
            }
        }
        finally
        {
            _registrationGate.Release();
        }

        return node;
    }

    /// <summary>Registers the node of the edge host keeping its key in <paramref name="dataDirectory"/>, as <see cref="RegisterNodeAsync(EthECKey)"/>.</summary>
    /// <returns>The node's address.</returns>
    public async Task<EvmAddress> RegisterHostNodeAsync(string dataDirectory) =>
        await RegisterNodeAsync(await EdgeNodeHost.NodeKeyAsync(dataDirectory));

    /// <summary>The channel as the chain holds it.</summary>
    public Task<PaymentChannel> ChannelAsync(Bytes32 channelId) => Contracts.ChannelsFor(ModelOwner.Web3).GetChannelAsync(channelId);

    /// <summary>A voucher payment signed by <paramref name="key"/> in <paramref name="domain"/> (default: this deployment's).</summary>
    public VoucherPayment Pay(EthECKey key, Bytes32 channelId, BigInteger amount, ulong nonce, ContractDomain? domain = null)
    {
        var voucher = new PaymentVoucher(channelId, amount, nonce);
        return new VoucherPayment(channelId, amount, nonce, PaymentVoucherTypedData.Sign(voucher, domain ?? ChannelsDomain, key).ToString());
    }

    /// <summary>A channel id no channel has.</summary>
    public static Bytes32 RandomChannelId() => Bytes32.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The node's address, as <c>GET v1/node</c> tells it.</summary>
    public static async Task<EvmAddress> NodeAddressAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!.Node;

    private static Bytes32 ModelHash(string folder) =>
        Bytes32.Sha256(File.ReadAllBytes(Path.Combine(RepositoryPaths.Models, folder, "model.onnx")));
}

[CollectionDefinition(Name)]
public sealed class PaymentChainCollection : ICollectionFixture<PaymentChainFixture>
{
    public const string Name = "payment chain";
}
