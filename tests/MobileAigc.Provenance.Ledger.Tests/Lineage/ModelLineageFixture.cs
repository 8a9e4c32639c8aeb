using System.Diagnostics;
using System.Net.Http.Json;
using System.Numerics;
using Microsoft.Playwright;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Tests.Browser;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Ledger.Tests.Lineage;

/// <summary>
/// A lineage of three models on the collection's anvil, each registered (commit-reveal) by a different owner with its
/// own price and royalty: the deployment's root model, a child derived from it and a grandchild derived from the
/// child. The deployment's node serves the grandchild (approved by its owner); a creator paid for one generation
/// through a channel for the grandchild, settled on chain; a text made with the grandchild was recorded. The real
/// <c>ledger</c> process indexes all of it (registry and settlements); a headless system Chromium is ready for the page.
/// </summary>
public sealed class ModelLineageFixture(LedgerChainFixture chain) : IAsyncLifetime
{
    /// <summary>The name the manifest the ledger is given gives the root model.</summary>
    public const string RootName = "cppn-portraits";

    /// <summary>The name the manifest the ledger is given gives the grandchild; the child has none.</summary>
    public const string GrandchildName = "portraits-for-ada";

    /// <summary>The voucher settled for the grandchild, in wei.</summary>
    public static readonly BigInteger Payment = 1_000_000;

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-lineage-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private HostProcess? _host;

    /// <summary>The deployment; its model is the root.</summary>
    public TestDeployment Deployment { get; private set; } = null!;

    /// <summary>The running host.</summary>
    public HostProcess Host => _host ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The root model (the deployment's, 500 basis points, price 0).</summary>
    public Bytes32 Root => Deployment.ModelHash;

    /// <summary>The child: derived from the root, 1,000 basis points, price 2,000.</summary>
    public Bytes32 Child { get; } = Bytes32.Sha256(Guid.NewGuid().ToByteArray());

    /// <summary>The grandchild: derived from the child, 1,500 basis points, price 3,000.</summary>
    public Bytes32 Grandchild { get; } = Bytes32.Sha256(Guid.NewGuid().ToByteArray());

    /// <summary>Who registered the child.</summary>
    public FundedAccount ChildOwner { get; private set; } = null!;

    /// <summary>Who registered the grandchild.</summary>
    public FundedAccount GrandchildOwner { get; private set; } = null!;

    /// <summary>The blocks of the three registrations (the mints), root first.</summary>
    public IReadOnlyList<long> RegisteredBlocks { get; private set; } = [];

    /// <summary>The text recorded with the grandchild model.</summary>
    public byte[] Text { get; } = "A personalised verse:\nthree owners up the lineage,\neach paid in one block.\n"u8.ToArray();

    /// <summary>Its record's digest.</summary>
    public Bytes32 TextDigest { get; private set; }

    /// <summary>The content hash of a record made with the root model.</summary>
    public Bytes32 RootRecordContentHash { get; } = Bytes32.Sha256(Guid.NewGuid().ToByteArray());

    /// <summary>The ledger's base address.</summary>
    public Uri BaseAddress => Host.BaseAddress;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await VerificationPageFixture.LaunchChromiumAsync(_playwright);

        Deployment = await chain.DeployAsync();
        ChildOwner = await chain.NewAccountAsync();
        GrandchildOwner = await chain.NewAccountAsync();
        var rootMint = await RootMintBlockAsync();
        var child = await Deployment.Contracts.RegistryFor(ChildOwner.Web3).RegisterDerivedModelAsync(Child, Root, "ipfs://child", 2_000, 1_000);
        var grandchild = await Deployment.Contracts.RegistryFor(GrandchildOwner.Web3)
            .RegisterDerivedModelAsync(Grandchild, Child, "ipfs://grandchild", 3_000, 1_500);
        RegisteredBlocks = [rootMint, (long)child.BlockNumber, (long)grandchild.BlockNumber];

        // The deployment's node serves the grandchild, with its owner's approval: it may sign records and take channels for it.
        var node = EvmAddress.Parse(Deployment.NodeKey.GetPublicAddress());
        await Deployment.Contracts.RegistryFor(Deployment.Owner.Web3).SetNodeModelAsync(node, Grandchild, serves: true);
        var approval = await Deployment.Contracts.RegistryFor(GrandchildOwner.Web3).SetNodeApprovalAsync(Grandchild, node, approved: true);
        var settled = await SettleOneVoucherAsync(node);

        var setup = new LedgerHostSetup(Deployment, _directory);
        var settings = await setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        settings["Ledger:Chain:PaymentChannels"] = Deployment.Chain.Options.PaymentChannels!;
        settings["Ledger:Verification:ModelManifests:0"] = await ManifestAsync("root.json", RootName, Root);
        settings["Ledger:Verification:ModelManifests:1"] = await ManifestAsync("grandchild.json", GrandchildName, Grandchild);
        _host = await LedgerHostProcess.StartAsync(settings);

        using var http = new HttpClient { BaseAddress = BaseAddress };
        await WaitUntilIndexedAsync(http, (long)approval.BlockNumber, (long)settled.BlockNumber);
        var record = new ProvenanceRecord(
            Bytes32.Sha256(Text), Bytes32.Zero, Grandchild, node, EvmAddress.Zero, Bytes32.Zero, Bytes32.Sha256("a verse, please"u8),
            Bytes32.Sha256("temperature=0.8"u8), (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Bytes32.Zero, 1);
        TextDigest = ProvenanceRecordTypedData.Digest(record, Deployment.Chain.Domain);
        var rootRecord = record with { ContentHash = RootRecordContentHash, ModelHash = Root, Sequence = 2 };
        var submitted = await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, [Sign(record), Sign(rootRecord)]);
        Assert.All(submitted.Records, r => Assert.True(r.Accepted, $"record refused: {r.Problem?.Detail}"));
    }

    /// <summary>A fresh browser context on the verification page.</summary>
    public Task<VerificationPageSession> OpenPageAsync() =>
        VerificationPageSession.OpenAsync(_browser ?? throw new InvalidOperationException("The fixture is not initialized."), BaseAddress);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    // The deployment registered the root before this fixture ran: its ModelRegistered event says in which block.
    private async Task<long> RootMintBlockAsync()
    {
        var registered = Deployment.Owner.Web3.Eth.GetEvent<ModelRegisteredEventDTO>(Deployment.Chain.Options.ModelRegistry);
        var logs = await registered.GetAllChangesAsync(registered.CreateFilterInput(
            Nethereum.RPC.Eth.DTOs.BlockParameter.CreateEarliest(), Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest()));
        return (long)logs.Single(l => Bytes32.FromBytes(l.Event.ModelHash) == Root).Log.BlockNumber.Value;
    }

    // A creator opens a channel for the grandchild to the deployment's node; its operator (the deployment's owner) settles one voucher.
    private async Task<ChainTransaction> SettleOneVoucherAsync(EvmAddress node)
    {
        var creator = await chain.NewAccountAsync();
        var (channelId, _) = await Deployment.Contracts.ChannelsFor(creator.Web3)
            .OpenChannelAsync(node, Grandchild, EvmAddress.Zero, 10 * Payment, TimeProvider.System.GetUtcNow().AddDays(1));
        var channels = Deployment.Contracts.ChannelsFor(Deployment.Owner.Web3);
        var voucher = new PaymentVoucher(channelId, Payment, 1);
        var settlement = await channels.SettleAsync([new SignedPaymentVoucher(voucher, PaymentVoucherTypedData.Sign(voucher, channels.Domain, creator.Key))]);
        return settlement.Transaction;
    }

    private SignedProvenanceRecord Sign(ProvenanceRecord record) =>
        new(record, ProvenanceRecordTypedData.Sign(record, Deployment.Chain.Domain, Deployment.NodeKey));

    private async Task<string> ManifestAsync(string file, string name, Bytes32 hash)
    {
        var manifest = ModelManifest.Load(VerificationLedger.ShippedImageModelManifest) with { Name = name, Sha256 = hash.ToString() };
        var path = Path.Combine(_directory, file);
        await File.WriteAllTextAsync(path, manifest.ToJson());
        return path;
    }

    // Polls the lineage endpoint until both indexers have read through the last transaction of the setup.
    private async Task WaitUntilIndexedAsync(HttpClient http, long registryBlock, long settlementBlock)
    {
        var waited = Stopwatch.StartNew();
        var last = "(no answer)";
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            using var response = await http.GetAsync(new Uri(LedgerModels.LineagePath(Grandchild), UriKind.Relative));
            if (response.IsSuccessStatusCode
                && await response.Content.ReadFromJsonAsync<ModelLineage>() is { } lineage
                && lineage.RegistryIndexedThroughBlock >= registryBlock
                && lineage.SettlementsIndexedThroughBlock >= settlementBlock)
            {
                return;
            }

            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            await Task.Delay(100);
        }

        throw new TimeoutException($"The ledger did not index the lineage in time; last answer: {last}\n{Host.Output}");
    }
}
