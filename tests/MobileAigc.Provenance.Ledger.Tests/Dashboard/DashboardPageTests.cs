using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Ledger.Tests.Browser;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace MobileAigc.Provenance.Ledger.Tests.Dashboard;

/// <summary>
/// The auditor dashboard in a real headless Chromium against the real ledger process after a demo-like
/// run: the numbers it shows are re-counted from the public <c>api/audit</c> pages, a wrong key shows the
/// error and no data, and each state is saved as a PNG (<see cref="PageScreenshots"/>).
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class DashboardPageTests(DashboardPageFixture fixture) : IClassFixture<DashboardPageFixture>
{
    private const string KeyLabel = "Admin or auditor API key";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    static DashboardPageTests() =>
        // The first requests of a process pay for JIT; 5 s is tight on a shared 2-core machine.
        SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task Open_AuditorKey_ShowsTheNumbersTheAuditApiGives()
    {
        var expected = await CountFromAuditApiAsync();
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, DashboardPageFixture.AuditorKey);
        var problems = Problems(page);

        await Expect(Field(page, "Records")).ToHaveTextAsync(expected.Records.ToString(CultureInfo.InvariantCulture));
        await Expect(Field(page, "Anchored")).ToHaveTextAsync(expected.Records.ToString(CultureInfo.InvariantCulture));
        await Expect(Field(page, "Pending")).ToHaveTextAsync("0");
        await Expect(Field(page, "Batches anchored")).ToHaveTextAsync(expected.Batches.ToString(CultureInfo.InvariantCulture));
        await Expect(Field(page, "Gas per record")).ToHaveTextAsync(expected.GasPerRecord);
        await Expect(Field(page, "Settlements")).ToHaveTextAsync("1");
        await Expect(Field(page, "Models")).ToHaveTextAsync(expected.PerModel.Count.ToString(CultureInfo.InvariantCulture));
        await Expect(Field(page, "Nodes")).ToHaveTextAsync(expected.PerNode.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (model, count) in expected.PerModel)
        {
            await Expect(Row(page, "models-table", model)).ToHaveTextAsync(new Regex($"{count}$"));
        }

        foreach (var (node, count) in expected.PerNode)
        {
            await Expect(Row(page, "nodes-table", node)).ToHaveTextAsync(new Regex($"{count}$"));
        }

        await Expect(page.Locator("#records-table tr")).ToHaveCountAsync(expected.Records);
        await Expect(page.Locator("#batches-table tr")).ToHaveCountAsync(expected.Batches);
        // Every plot drew: records by model and by node, delay, gas, settlements, reconciliations.
        await Expect(page.Locator("svg.plot")).ToHaveCountAsync(6);
        await Expect(page.Locator("#reconciliation-latest")).ToContainTextAsync($"{expected.Batches} batches checked, {expected.Batches} agree");
        await page.Locator("details").Nth(0).Locator("summary").ClickAsync();
        await Expect(page.Locator("#anchoring-table tr")).ToHaveCountAsync(expected.Batches);
        await ScreenshotAsync(page, "dashboard-auditor");
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Open_WrongKey_ShowsTheErrorAndNoData()
    {
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, "not-the-key");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex("key was refused"));
        await Expect(page.Locator("#dashboard")).ToBeHiddenAsync();
        await Expect(page.Locator("#summary dd")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel(KeyLabel)).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('ledger.dashboardKey')"));
        await ScreenshotAsync(page, "dashboard-wrong-key");
    }

    [Fact]
    public async Task Filter_OtherModelThenMalformedModel_EmptiesTheTablesThenShowsTheProblem()
    {
        await using var context = await NewContextAsync();
        var page = await OpenAsync(context, DashboardPageFixture.AuditorKey);
        await Expect(page.Locator("#records-table tr")).ToHaveCountAsync(DashboardPageFixture.Rounds.Sum());

        await page.GetByLabel("Model", new() { Exact = true }).FillAsync(Core.Primitives.Bytes32.Sha256("another model"u8).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(page.Locator("#records-table tr")).ToHaveCountAsync(0);
        await Expect(page.Locator("#models-table tr")).ToHaveCountAsync(0);
        await Expect(page.Locator("#plot-models")).ToHaveTextAsync("Nothing in this window.");

        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("0x12");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex("model must be a 0x-prefixed 32-byte hex hash"));
    }

    [Fact]
    public async Task Reload_KeyKeptForTheTabOnly_NewContextAsksAgain()
    {
        await using (var context = await NewContextAsync())
        {
            var page = await OpenAsync(context, DashboardPageFixture.AdminKey);
            await Expect(Field(page, "Settlements")).ToHaveTextAsync("1");

            await page.ReloadAsync();

            await Expect(Field(page, "Settlements")).ToHaveTextAsync("1");
            Assert.Equal(DashboardPageFixture.AdminKey, await page.EvaluateAsync<string?>("() => sessionStorage.getItem('ledger.dashboardKey')"));
            Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('ledger.dashboardKey')"));
        }

        await using var fresh = await NewContextAsync();
        var again = await fresh.NewPageAsync();
        await again.GotoAsync("audit/");
        await Expect(again.GetByLabel(KeyLabel)).ToBeVisibleAsync();
        await Expect(again.Locator("#dashboard")).ToBeHiddenAsync();
    }

    private Task<IBrowserContext> NewContextAsync() =>
        fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Host.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });

    private static async Task<IPage> OpenAsync(IBrowserContext context, string key)
    {
        var page = await context.NewPageAsync();
        // Without the trailing slash the ledger redirects to it, as for any folder with an index page.
        await page.GotoAsync("audit", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        await page.GetByLabel(KeyLabel).FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open dashboard" }).ClickAsync();
        return page;
    }

    private static ILocator Field(IPage page, string label) =>
        page.Locator("#summary dt", new PageLocatorOptions { HasTextRegex = new Regex($"^{Regex.Escape(label)}$") }).Locator("xpath=following-sibling::dd[1]");

    private static ILocator Row(IPage page, string table, string key) =>
        page.Locator($"#{table} tr", new PageLocatorOptions { HasText = key });

    private static List<string> Problems(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (problems)
                {
                    problems.Add($"console error: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (problems)
            {
                problems.Add($"uncaught script error: {error}");
            }
        };
        return problems;
    }

    // Kept beside the verification page's screenshots (PageScreenshots: TestResults/screenshots/ or $PROVENANCE_SCREENSHOTS).
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = await PageScreenshots.SaveAsync(page, name);
        Assert.True(new FileInfo(path).Length > 0, $"{path} is empty");
    }

    // What an auditor would count by hand from the public pages: every record, every batch.
    private async Task<Expected> CountFromAuditApiAsync()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        var records = (await http.GetFromJsonAsync<AuditPage<AuditRecord>>($"{LedgerAudit.RecordsPath}?limit=1000", Json))!.Items;
        var batches = (await http.GetFromJsonAsync<AuditPage<LedgerBatch>>($"{LedgerAudit.BatchesPath}?limit=1000", Json))!.Items;
        Assert.Equal(DashboardPageFixture.Rounds.Sum(), records.Count);
        Assert.True(batches.Count >= DashboardPageFixture.Rounds.Length, $"{batches.Count} batches");
        Assert.All(batches, b => Assert.Equal(BatchState.Anchored, b.State));
        var gasPerRecord = (double)batches.Sum(b => b.GasUsed!.Value) / batches.Sum(b => b.RecordCount);
        return new Expected(
            records.Count,
            records.GroupBy(r => r.ModelHash.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
            records.GroupBy(r => r.Node.ToString().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Count()),
            batches.Count,
            gasPerRecord.ToString("F1", CultureInfo.InvariantCulture));
    }

    private sealed record Expected(int Records, Dictionary<string, int> PerModel, Dictionary<string, int> PerNode, int Batches, string GasPerRecord);
}
