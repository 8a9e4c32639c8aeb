using System.Text;
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
    public async Task OpenPage_InsideAnotherSitesFrame_OffersOnlyALinkToItselfInItsOwnTab()
    {
        var stranger = await fixture.OpenBlankPageAsync();
        try
        {
            await stranger.SetContentAsync($"<iframe src=\"{fixture.BaseAddress}\" width=\"800\" height=\"600\"></iframe>");
            var frame = stranger.FrameLocator("iframe");

            await Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "This page cannot be shown inside another site" })).ToBeVisibleAsync();
            await Expect(frame.GetByRole(AriaRole.Link, new() { Name = "Open the verification page in its own tab" })).ToHaveAttributeAsync("target", "_blank");
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
