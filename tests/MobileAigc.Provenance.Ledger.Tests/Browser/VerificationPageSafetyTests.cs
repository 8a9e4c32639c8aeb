using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// What the verification page must never do, in a real headless Chromium against the real ledger: ask another origin
/// for anything, run what an uploaded file carries, work inside another site's frame; and what its copy buttons and
/// text excerpts give.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class VerificationPageSafetyTests(VerificationPageFixture fixture) : IClassFixture<VerificationPageFixture>
{
    static VerificationPageSafetyTests() =>
        // The first verification of a process pays for JIT and the watermark reader's tables; 5 s is tight on a shared 2-core machine.
        SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task UseThePage_PictureTextAndHash_AsksNothingOfAnotherOrigin()
    {
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.AnchoredPng, "generated.png", "image/png");
        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.PreviewImage).ToHaveJSPropertyAsync("complete", true);
        await session.UploadAsync(fixture.AnchoredText, "haiku.txt", "text/plain");
        await Expect(session.PreviewText).ToBeVisibleAsync();
        await session.Page.GetByLabel("…or a SHA-256 of the exact file").FillAsync(fixture.TextRecord.ContentHash.ToString());
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify hash" }).ClickAsync();
        await Expect(session.PreviewText).ToBeHiddenAsync();
        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();

        var origin = fixture.BaseAddress.GetLeftPart(UriPartial.Authority);
        var requests = session.Requests;
        Assert.Contains(requests, r => r.EndsWith("/verify.js", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.EndsWith("/verify-checks.js", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.EndsWith("/api/verify", StringComparison.Ordinal));
        // The preview is a blob: URL of the file already in the browser, whose origin is the page's.
        var foreign = requests.Where(r => !r.StartsWith(origin + "/", StringComparison.Ordinal) && !r.StartsWith($"blob:{origin}/", StringComparison.Ordinal));
        Assert.Empty(foreign);
        AssertNoProblems(session);
    }

    [Fact]
    public async Task CopyButton_TransactionAndContentHash_PutTheWholeHashOnTheClipboard()
    {
        await using var session = await fixture.OpenPageAsync(new BrowserNewContextOptions { Permissions = ["clipboard-read", "clipboard-write"] });

        await session.UploadAsync(fixture.AnchoredPng, "generated.png", "image/png");

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        var transaction = (await session.Field("Transaction").TextContentAsync())!;
        Assert.Matches("^0x[0-9a-f]{64}$", transaction);
        var copyTransaction = session.Page.GetByRole(AriaRole.Button, new() { Name = "Copy transaction hash" });
        await copyTransaction.ClickAsync();
        await Expect(copyTransaction).ToHaveTextAsync("Copied");
        Assert.Equal(transaction, await session.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        var copyContent = session.Page.GetByRole(AriaRole.Button, new() { Name = "Copy content hash" });
        await copyContent.ClickAsync();
        await Expect(copyContent).ToHaveTextAsync("Copied");
        Assert.Equal(fixture.ImageRecord.ContentHash.ToString(), await session.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Copy record digest" })).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Copy Merkle root" })).ToBeVisibleAsync();
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_GeneratedText_ShowsItsExcerptInsteadOfAPicture()
    {
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.AnchoredText, "haiku.txt", "text/plain");

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.AiLabel).ToHaveTextAsync("AI-generated");
        await Expect(session.PreviewText).ToHaveTextAsync(Encoding.UTF8.GetString(fixture.AnchoredText));
        await Expect(session.PreviewImage).ToBeHiddenAsync();
        await Expect(session.Fact("Content hash")).ToContainTextAsync(fixture.TextRecord.ContentHash.ToString()[..6]);
        await PageScreenshots.SaveAsync(session.Page, "verified-text-desktop");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_TextCarryingMarkup_ShowsTheMarkupAsTextAndRunsNothing()
    {
        const string markup = "<img src=x onerror=\"window.pwned = 1\"><script>window.pwned = 2</script> plain words";
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(Encoding.UTF8.GetBytes(markup), "notes.txt", "text/plain");

        await Expect(session.Verdict("Unknown")).ToBeVisibleAsync();
        await Expect(session.PreviewText).ToHaveTextAsync(markup);
        await Expect(session.Page.Locator("#result img[src='x'], #result script")).ToHaveCountAsync(0);
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_AnswerCarryingMarkupInEveryNameAndARefusedRoot_ShowsTheMarkupAsTextAndTheCheckFailed()
    {
        // The ledger's real answer for the generated picture, with what a hostile registry entry, file or chain could put in
        // its strings, and a revoked record whose root the chain refuses: the page must say so and run none of it.
        const string markup = "<img src=x onerror=\"window.pwned = 1\">";
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var answer = JsonNode.Parse(await http.GetStringAsync(new Uri($"api/verify/{fixture.ImageRecord.ContentHash}", UriKind.Relative)))!;
        answer["verdict"] = "revoked";
        answer["summary"] = "Summary " + markup;
        answer["node"]!["endpoint"] = "https://edge.example/" + markup;
        answer["model"]!["name"] = "Model " + markup;
        answer["anchoring"]!["onChain"] = "disagrees";
        answer["anchoring"]!["rootCheckedOnChain"] = false;
        answer["anchoring"]!["onChainDetail"] = "Refused " + markup;
        answer["revocation"] = new JsonObject { ["revokedAt"] = "2026-12-06T12:00:00+00:00", ["reason"] = "<script>window.pwned = 2</script>" };
        // A derivative's lineage whose names come from manifests an operator was given, and could be anything.
        var model = answer["model"]!["modelHash"]!.GetValue<string>();
        var owner = answer["model"]!["owner"]!.GetValue<string>();
        answer["modelLineage"] = new JsonArray(
            LineageEntry(0, model, "Tuned " + markup, parent: model, owner),
            LineageEntry(1, model, "Root " + markup, parent: null, owner));
        await using var session = await fixture.OpenPageAsync();
        await session.Page.RouteAsync("**/api/verify", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 200, ContentType = "application/json", Body = answer.ToJsonString(),
        }));

        await session.UploadAsync(fixture.AnchoredPng, "generated.png", "image/png");

        await Expect(session.Verdict("Revoked")).ToBeVisibleAsync();
        await Expect(session.AiLabel).ToHaveTextAsync("Claimed AI-generated: the claim does not hold");
        await Expect(session.CheckState("On-chain root")).ToHaveTextAsync("failed");
        await Expect(session.CheckReason("On-chain root")).ToHaveTextAsync("Refused " + markup);
        await Expect(session.Fact("Model")).ToContainTextAsync("Model " + markup);
        await Expect(session.Field("Endpoint (advertised by its operator)")).ToHaveTextAsync("https://edge.example/" + markup);
        await Expect(session.Field("Reason")).ToHaveTextAsync("<script>window.pwned = 2</script>");
        await Expect(session.Field("Derivative (made this content)")).ToContainTextAsync("Tuned " + markup);
        await Expect(session.Field("Root (depth 1)")).ToContainTextAsync("Root " + markup);
        await Expect(session.Page.Locator("#result img[src='x'], #result script")).ToHaveCountAsync(0);
        Assert.True(await session.Page.EvaluateAsync<bool>("() => window.pwned === undefined"));
        AssertNoProblems(session);
    }

    private static JsonObject LineageEntry(int depth, string model, string name, string? parent, string owner) => new()
    {
        ["depth"] = depth, ["modelHash"] = model, ["name"] = name, ["parentHash"] = parent, ["owner"] = owner, ["ownerSinceBlock"] = 1,
        ["pricePerGeneration"] = "0", ["royaltyBasisPoints"] = 1_000, ["active"] = true,
    };

    [Fact]
    public async Task OpenPage_InsideAnotherSitesFrame_IsRefusedByTheBrowser()
    {
        var stranger = await fixture.OpenBlankPageAsync();
        try
        {
            var framed = stranger.WaitForResponseAsync(response => response.Url == fixture.BaseAddress.ToString());
            await stranger.SetContentAsync($"<iframe src=\"{fixture.BaseAddress}\" width=\"800\" height=\"600\"></iframe>");
            var response = await framed;

            Assert.Equal("DENY", await response.HeaderValueAsync("x-frame-options"));
            Assert.Equal("frame-ancestors 'none'", await response.HeaderValueAsync("content-security-policy"));
            var frame = stranger.FrameLocator("iframe");
            await Expect(frame.GetByLabel(VerificationPageSession.FileLabel)).ToHaveCountAsync(0);
            await Expect(frame.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        }
        finally
        {
            await stranger.Context.DisposeAsync();
        }
    }

    private static void AssertNoProblems(VerificationPageSession session) =>
        Assert.True(session.Problems.Count == 0, string.Join('\n', session.Problems));
}
