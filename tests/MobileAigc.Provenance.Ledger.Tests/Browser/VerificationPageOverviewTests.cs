using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// The top of the verification page's answer in a real headless Chromium against the real ledger and anvil: the
/// uploaded picture beside the verdict badge and its label, model and node by name, times, transaction and block,
/// and the six checks with their reasons, for a generated picture, an edited copy and an unrelated picture; on a
/// desktop and on a phone, with a screenshot of each kept (<see cref="PageScreenshots"/>).
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class VerificationPageOverviewTests(VerificationPageFixture fixture) : IClassFixture<VerificationPageFixture>
{
    static VerificationPageOverviewTests() =>
        // The first verification of a process pays for JIT and the watermark reader's tables; 5 s is tight on a shared 2-core machine.
        SetDefaultExpectTimeout(20_000);

    /// <summary>An iPhone-sized viewport (CSS pixels), touch and a phone's user agent behaviour.</summary>
    public static BrowserNewContextOptions Phone() => new() { ViewportSize = new ViewportSize { Width = 375, Height = 812 }, IsMobile = true, HasTouch = true };

    [Fact]
    public async Task UploadFile_GeneratedPicture_ShowsItBesideTheVerifiedBadgeWithItsOriginTimesAndPassedChecks()
    {
        using var answer = await AnswerAsync(fixture.ImageRecord.ContentHash);
        var anchoring = answer.RootElement.GetProperty("anchoring");
        var batch = anchoring.GetProperty("inclusion").GetProperty("batch");
        var transaction = batch.GetProperty("transactionHash").GetString()!;
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.AnchoredPng, "generated.png", "image/png");

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.AiLabel).ToHaveTextAsync("AI-generated");
        await Expect(session.PreviewImage).ToBeVisibleAsync();
        await Expect(session.PreviewImage).ToHaveAttributeAsync("alt", "The uploaded picture, generated.png");
        await Expect(session.PreviewImage).ToHaveJSPropertyAsync("naturalWidth", fixture.AnchoredImage.Width);
        await Expect(session.Fact("Model")).ToContainTextAsync(VerificationPageFixture.ModelName);
        await Expect(session.Fact("Model")).ToContainTextAsync(Short(fixture.Deployment.ModelHash.ToString()));
        await Expect(session.Fact("Model owner")).ToContainTextAsync(Short(fixture.Deployment.Owner.Address.ToString()), new() { IgnoreCase = true });
        await Expect(session.Fact("Node")).ToContainTextAsync("edge-1.example:8443");
        await Expect(session.Fact("Node")).ToContainTextAsync(Short(fixture.Node.ToString()), new() { IgnoreCase = true });
        await Expect(session.Fact("Provider (node operator)")).ToContainTextAsync(Short(fixture.Deployment.Owner.Address.ToString()), new() { IgnoreCase = true });
        await Expect(session.Fact("Signed at")).ToHaveTextAsync(Readable(DateTimeOffset.FromUnixTimeSeconds((long)fixture.ImageRecord.Timestamp)));
        await Expect(session.Fact("Anchored at")).ToHaveTextAsync(
            Readable(answer.RootElement.GetProperty("record").GetProperty("anchoredAt").GetDateTimeOffset()));
        await Expect(session.Fact("Transaction")).ToContainTextAsync(Short(transaction));
        await Expect(session.Fact("Transaction").Locator("code")).ToHaveAttributeAsync("title", transaction);
        await Expect(session.Fact("Block")).ToHaveTextAsync(batch.GetProperty("blockNumber").GetRawText());
        var deployment = anchoring.GetProperty("deployment").GetProperty("provenanceLedger").GetString()!;
        await Expect(session.Fact("Contract")).ToContainTextAsync(Short(deployment), new() { IgnoreCase = true });
        await Expect(session.Fact("Contract")).Not.ToContainTextAsync("previous deployment");
        await Expect(session.Fact("Record digest")).ToContainTextAsync(Short(fixture.ImageDigest.ToString()));
        await Expect(session.Fact("Merkle root")).ToContainTextAsync(Short(anchoring.GetProperty("inclusion").GetProperty("root").GetString()!));
        await ExpectCheckAsync(session, "Signature", "passed", "recovers to the record's node");
        await ExpectCheckAsync(session, "Merkle proof", "passed", "leads from the record's digest to its batch root");
        await ExpectCheckAsync(session, "On-chain root", "passed", "confirmed the root");
        await ExpectCheckAsync(session, "Credentials", "not checked", "carries no Content Credentials");
        await ExpectCheckAsync(session, "Watermark", "passed", fixture.ImageRecord.WatermarkId.ToString());
        await ExpectCheckAsync(session, "Perceptual hash", "passed", "The file's perceptual hash is the record's");
        await PageScreenshots.SaveAsync(session.Page, "verified-desktop");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_EditedCopy_ShowsModifiedButTracedByItsWatermarkWithTheRecordsTransaction()
    {
        using var answer = await AnswerAsync(fixture.ImageRecord.ContentHash);
        var batch = answer.RootElement.GetProperty("anchoring").GetProperty("inclusion").GetProperty("batch");
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.EditedJpeg(), "shared-online.jpg", "image/jpeg");

        await Expect(session.Verdict("Modified, but traced")).ToBeVisibleAsync();
        await Expect(session.AiLabel).ToHaveTextAsync("AI-generated");
        await Expect(session.PreviewImage).ToHaveJSPropertyAsync("naturalWidth", 400);
        await Expect(session.Fact("Node")).ToContainTextAsync("edge-1.example:8443");
        await Expect(session.Fact("Transaction")).ToContainTextAsync(Short(batch.GetProperty("transactionHash").GetString()!));
        await Expect(session.Fact("Block")).ToHaveTextAsync(batch.GetProperty("blockNumber").GetRawText());
        await ExpectCheckAsync(session, "Signature", "passed", "recovers to the record's node");
        await ExpectCheckAsync(session, "Merkle proof", "passed", "checked by the ledger just now");
        await ExpectCheckAsync(session, "On-chain root", "passed", "confirmed the root");
        await ExpectCheckAsync(session, "Credentials", "not checked", "carries no Content Credentials");
        await ExpectCheckAsync(session, "Watermark", "passed", "carries the record's watermark id (confidence");
        await ExpectCheckAsync(session, "Perceptual hash", "not checked", "traced another way");
        await PageScreenshots.SaveAsync(session.Page, "modified-but-traced-desktop");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_UnrelatedPicture_ShowsUnknownWithNoAiLabelAndNothingChecked()
    {
        var unrelated = VerificationPageFixture.UnrelatedPng();
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(unrelated, "holiday.png", "image/png");

        await Expect(session.Verdict("Unknown")).ToBeVisibleAsync();
        await Expect(session.AiLabel).ToHaveTextAsync("No AI-generation record found");
        await Expect(session.PreviewImage).ToBeVisibleAsync();
        await Expect(session.Fact("Content hash")).ToContainTextAsync(Short(Bytes32.Sha256(unrelated).ToString()));
        await Expect(session.Fact("Transaction")).ToHaveCountAsync(0);
        await Expect(session.Fact("Model")).ToHaveCountAsync(0);
        await Expect(session.Fact("Contract")).ToHaveCountAsync(0);
        foreach (var name in new[] { "Signature", "Merkle proof", "On-chain root", "Watermark", "Perceptual hash" })
        {
            await ExpectCheckAsync(session, name, "not checked", "Nothing in this ledger matches the content");
        }

        await ExpectCheckAsync(session, "Credentials", "not checked", "carries no Content Credentials");
        await Expect(session.Page.Locator("#checks li.passed")).ToHaveCountAsync(0);
        await PageScreenshots.SaveAsync(session.Page, "unknown-desktop");
        AssertNoProblems(session);
    }

    [Theory]
    [InlineData("generated", "Verified")]
    [InlineData("edited", "Modified, but traced")]
    [InlineData("unrelated", "Unknown")]
    public async Task UploadFile_OnAPhone_ShowsTheVerdictAndLabelInViewWithoutSidewaysScrollingOrSmallTargets(string picture, string verdict)
    {
        var (bytes, name, type) = picture switch
        {
            "generated" => (fixture.AnchoredPng, "generated.png", "image/png"),
            "edited" => (fixture.EditedJpeg(), "shared-online.jpg", "image/jpeg"),
            _ => (VerificationPageFixture.UnrelatedPng(), "holiday.png", "image/png"),
        };
        await using var session = await fixture.OpenPageAsync(Phone());

        await session.UploadAsync(bytes, name, type);

        await Expect(session.Verdict(verdict)).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(session.AiLabel).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(session.PreviewImage).ToHaveJSPropertyAsync("complete", true);
        var width = await session.Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(width[0] <= width[1], $"The page is {width[0]} px wide in a {width[1]} px viewport: it scrolls sideways.");
        // Every control a thumb must hit (form inputs and buttons, copy buttons, the details toggle) is at least 44 × 44 CSS pixels.
        var small = await session.Page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll("button, input, summary")]
              .filter((e) => e.getClientRects().length > 0)
              .map((e) => [e, e.getBoundingClientRect()])
              .filter(([, r]) => r.width < 44 || r.height < 44)
              .map(([e, r]) => `${e.outerHTML.slice(0, 80)}: ${r.width} × ${r.height}`)
            """);
        Assert.True(small.Length == 0, string.Join('\n', small));
        // What the phone shows when the answer arrives, and the whole answer scrolled through.
        await PageScreenshots.SaveAsync(session.Page, $"{VerdictFile(verdict)}-phone", fullPage: false);
        await PageScreenshots.SaveAsync(session.Page, $"{VerdictFile(verdict)}-phone-full");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_AnyVerdict_TellsTheVerdictInWordsAndSignsWithReadableContrast()
    {
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.EditedJpeg(), "shared-online.jpg", "image/jpeg");

        await Expect(session.Verdict("Modified, but traced")).ToBeVisibleAsync();
        await Expect(session.Verdict("Modified, but traced").Locator(".verdict-sign")).ToHaveAttributeAsync("aria-hidden", "true");
        var contrast = await session.Page.Locator("#verdict").EvaluateAsync<double>(
            """
            (e) => {
              const luminance = (color) => {
                const [r, g, b] = color.match(/\d+/g).slice(0, 3).map((v) => {
                  const c = Number(v) / 255;
                  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
              };
              const style = getComputedStyle(e);
              const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
              return (a + 0.05) / (b + 0.05);
            }
            """);
        Assert.True(contrast >= 4.5, $"The badge's text has a contrast of {contrast:0.00}:1, under WCAG AA's 4.5:1.");
        await Expect(session.CheckState("Perceptual hash")).ToHaveTextAsync("not checked");
        AssertNoProblems(session);
    }

    /// <summary>The API's answer for a content hash: what the page must show.</summary>
    private async Task<JsonDocument> AnswerAsync(Bytes32 contentHash)
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        return JsonDocument.Parse(await http.GetStringAsync(new Uri($"{LedgerVerification.VerifyPath}/{contentHash}", UriKind.Relative)));
    }

    private static async Task ExpectCheckAsync(VerificationPageSession session, string name, string state, string reason)
    {
        await Expect(session.CheckState(name)).ToHaveTextAsync(state);
        await Expect(session.CheckReason(name)).ToContainTextAsync(reason, new() { IgnoreCase = true });
    }

    private static string Short(string hex) => $"{hex[..6]}…{hex[^4..]}";

    private static string Readable(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string VerdictFile(string verdict) => Regex.Replace(verdict.ToLowerInvariant(), "[^a-z]+", "-").Trim('-');

    private static void AssertNoProblems(VerificationPageSession session) =>
        Assert.True(session.Problems.Count == 0, string.Join('\n', session.Problems));
}
