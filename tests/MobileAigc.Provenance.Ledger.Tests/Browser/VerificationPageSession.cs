using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// One browser context on the verification page, with what the page wrote to the console, the
/// script errors it threw and every request it made, and locators for what a user sees (labelled
/// fields, the verdict, its label, the facts at a glance, the checks, the status line).
/// </summary>
public sealed class VerificationPageSession : IAsyncDisposable
{
    /// <summary>The label of the file form's input.</summary>
    public const string FileLabel = "Image (PNG, JPEG, WebP) or text (.txt)";

    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];
    private readonly List<string> _requests = [];

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
        context.Request += (_, request) =>
        {
            lock (_requests)
            {
                _requests.Add(request.Url);
            }
        };
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

    /// <summary>The URL of every request any page of the context made so far, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The label beside the verdict ("AI-generated", or what stands in its place).</summary>
    public ILocator AiLabel => Page.Locator("#ai-label");

    /// <summary>The uploaded picture shown beside the verdict.</summary>
    public ILocator PreviewImage => Page.Locator("#preview img");

    /// <summary>The excerpt of an uploaded text shown beside the verdict.</summary>
    public ILocator PreviewText => Page.Locator("#preview blockquote");

    /// <summary>The live status line (role <c>status</c>): progress and error messages.</summary>
    public ILocator Status => Page.GetByRole(AriaRole.Status);

    /// <summary>
    /// Opens <paramref name="baseAddress"/> in a new context (a desktop window unless <paramref name="options"/> say otherwise:
    /// a phone's viewport, clipboard permissions) and waits until the network is idle (the browser's own favicon request included).
    /// </summary>
    public static async Task<VerificationPageSession> OpenAsync(IBrowser browser, Uri baseAddress, BrowserNewContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(baseAddress);
        options ??= new BrowserNewContextOptions();
        options.BaseURL = baseAddress.ToString();
        var context = await browser.NewContextAsync(options);
        var session = new VerificationPageSession(context, await context.NewPageAsync());
        await session.Page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        return session;
    }

    /// <summary>The verdict heading with exactly this text.</summary>
    public ILocator Verdict(string text) => Page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = text, Exact = true });

    /// <summary>The value shown next to the label <paramref name="label"/> (exact text) in the result's details.</summary>
    public ILocator Field(string label) => ValueIn("#details", label);

    /// <summary>The value shown next to the label <paramref name="label"/> (exact text) in the facts at a glance, beside the verdict.</summary>
    public ILocator Fact(string label) => ValueIn("#facts", label);

    /// <summary>The item of the checks list named <paramref name="name"/> (exact text): its state and reason are inside.</summary>
    public ILocator Check(string name) =>
        Page.Locator("#checks li").Filter(new LocatorFilterOptions
        {
            Has = Page.Locator(".check-name", new PageLocatorOptions { HasTextRegex = new Regex($"^{Regex.Escape(name)}$") }),
        });

    /// <summary>The state word of the check named <paramref name="name"/>: passed, failed or not checked.</summary>
    public ILocator CheckState(string name) => Check(name).Locator(".check-state");

    /// <summary>The reason given for the check named <paramref name="name"/>.</summary>
    public ILocator CheckReason(string name) => Check(name).Locator(".check-reason");

    /// <summary>Picks <paramref name="bytes"/> as the file named <paramref name="name"/> in the file form, and submits it.</summary>
    public async Task UploadAsync(byte[] bytes, string name, string mediaType)
    {
        await Page.GetByLabel(FileLabel).SetInputFilesAsync(new FilePayload { Name = name, MimeType = mediaType, Buffer = bytes });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify file" }).ClickAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private ILocator ValueIn(string scope, string label) =>
        Page.Locator($"{scope} dt", new PageLocatorOptions { HasTextRegex = new Regex($"^{Regex.Escape(label)}$") })
            .Locator("xpath=following-sibling::dd[1]");

    private void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }
}
