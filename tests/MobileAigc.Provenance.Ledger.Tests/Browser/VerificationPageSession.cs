using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// One browser context on the verification page, with what the page wrote to the console and the
/// script errors it threw, and locators for what a user sees (labelled fields, the verdict, the status line).
/// </summary>
public sealed class VerificationPageSession : IAsyncDisposable
{
    /// <summary>The label of the file form's input.</summary>
    public const string FileLabel = "Image (PNG, JPEG) or text (.txt)";

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private VerificationPageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Record($"uncaught script error: {error}");
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>Console errors and uncaught script errors so far, in order.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>The live status line (role <c>status</c>): progress and error messages.</summary>
    public ILocator Status => Page.GetByRole(AriaRole.Status);

    /// <summary>Opens <paramref name="baseAddress"/> in a new context and waits until the network is idle (the browser's own favicon request included).</summary>
    public static async Task<VerificationPageSession> OpenAsync(IBrowser browser, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        var session = new VerificationPageSession(context, await context.NewPageAsync());
        await session.Page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        return session;
    }

    /// <summary>The verdict heading with exactly this text.</summary>
    public ILocator Verdict(string text) => Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = text, Exact = true });

    /// <summary>The value shown next to the label <paramref name="label"/> (exact text) in the result's details.</summary>
    public ILocator Field(string label) =>
        Page.Locator("dt", new PageLocatorOptions { HasTextRegex = new Regex($"^{Regex.Escape(label)}$") })
            .Locator("xpath=following-sibling::dd[1]");

    /// <summary>Picks <paramref name="bytes"/> as the file named <paramref name="name"/> in the file form, and submits it.</summary>
    public async Task UploadAsync(byte[] bytes, string name, string mediaType)
    {
        await Page.GetByLabel(FileLabel).SetInputFilesAsync(new FilePayload { Name = name, MimeType = mediaType, Buffer = bytes });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify file" }).ClickAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
