using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using Microsoft.Playwright;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Tests.Browser;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Dashboard;

/// <summary>
/// A demo-like run for the dashboard's browser tests: the real <c>ledger</c> process on the collection's
/// anvil, with an admin and an auditor key; records signed by the deployment's node key ingested in two
/// rounds and anchored by the host's own worker (two batches at least); one voucher settled on chain and
/// indexed; one admin reconciliation run. Then a headless system Chromium, as the page tests launch it.
/// </summary>
public sealed class DashboardPageFixture(LedgerChainFixture chain) : IAsyncLifetime
{
    /// <summary>The auditor key the host reads from its key file.</summary>
    public const string AuditorKey = "dashboard-auditor-key-5c1e8d";

    /// <summary>The admin key.</summary>
    public const string AdminKey = "dashboard-admin-key-7f3a91";

    /// <summary>Records of each ingest round.</summary>
    public static readonly int[] Rounds = [7, 5];

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-dashboard-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private HostProcess? _host;

    /// <summary>The running host.</summary>
    public HostProcess Host => _host ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The deployment the host anchors to.</summary>
    public TestDeployment Deployment { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await VerificationPageFixture.LaunchChromiumAsync(_playwright);

        Deployment = await chain.DeployAsync();
        var setup = new LedgerHostSetup(Deployment, _directory);
        var settings = await setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        settings["Ledger:Host:AdminApiKeyFile"] = await KeyFileAsync("admin.key", AdminKey);
        settings["Ledger:Host:AuditorApiKeyFile"] = await KeyFileAsync("auditor.key", AuditorKey);
        settings["Ledger:Chain:PaymentChannels"] = Deployment.Chain.Options.PaymentChannels!;
        _host = await LedgerHostProcess.StartAsync(settings);

        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        var ingested = 0;
        foreach (var count in Rounds)
        {
            var response = await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, setup.NewRecords(count));
            Assert.All(response.Records, r => Assert.True(r.Accepted, $"record {r.RecordDigest} refused: {r.Problem}"));
            ingested += count;
            await WaitUntilAsync("every record anchored", async () =>
                await CountAsync(http, "anchored") == ingested && await CountAsync(http, "pending") == 0 && await CountAsync(http, "anchoring") == 0);
        }

        await SettleOneVoucherAsync();
        await WaitUntilAsync("the settlement indexed", async () =>
            (await http.GetFromJsonAsync<AuditPage<AuditSettlement>>(LedgerSettlements.SettlementsPath))!.Items.Count == 1);

        using var reconcile = new HttpRequestMessage(HttpMethod.Post, LedgerAudit.ReconcilePath);
        reconcile.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var reconciled = await http.SendAsync(reconcile);
        Assert.True(reconciled.IsSuccessStatusCode, await reconciled.Content.ReadAsStringAsync());
    }

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

    private async Task<string> KeyFileAsync(string name, string key)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, key + "\n");
        return path;
    }

    // A creator opens a channel to a second node of the model (registered with its key's consent, approved by the
    // model's owner) and its operator settles one voucher: a ChannelSettled event for the ledger's indexer.
    private async Task SettleOneVoucherAsync()
    {
        var creator = await chain.NewAccountAsync();
        var provider = await chain.NewAccountAsync();
        var nodeKey = Nethereum.Signer.EthECKey.GenerateKey();
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        await Deployment.Contracts.RegistryFor(provider.Web3).RegisterNodeAsync(nodeKey, [Deployment.ModelHash]);
        await Deployment.Contracts.RegistryFor(Deployment.Owner.Web3).SetNodeApprovalAsync(Deployment.ModelHash, node, approved: true);
        var (channelId, _) = await Deployment.Contracts.ChannelsFor(creator.Web3)
            .OpenChannelAsync(node, Deployment.ModelHash, EvmAddress.Zero, new BigInteger(10_000_000), TimeProvider.System.GetUtcNow().AddDays(1));
        var channels = Deployment.Contracts.ChannelsFor(provider.Web3);
        var voucher = new PaymentVoucher(channelId, new BigInteger(2_500_000), 1);
        await channels.SettleAsync([new SignedPaymentVoucher(voucher, PaymentVoucherTypedData.Sign(voucher, channels.Domain, creator.Key))]);
    }

    private static async Task<int> CountAsync(HttpClient http, string state) =>
        (await http.GetFromJsonAsync<AuditPage<AuditRecord>>($"{LedgerAudit.RecordsPath}?state={state}&limit=1000"))!.Items.Count;

    private async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException($"Not done within 90 s: {what}.\n{Host.OutputTail()}");
            }

            await Task.Delay(200);
        }
    }
}
