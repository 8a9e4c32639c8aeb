using Microsoft.Playwright;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// Keeps screenshots of the verification page as test artefacts: PNGs in the folder named by
/// <c>PROVENANCE_SCREENSHOTS</c>, by default <c>TestResults/screenshots/</c> beside the test assembly
/// (under <c>bin/</c>, git-ignored like every <c>TestResults/</c> folder). Each run overwrites the files of the same name.
/// </summary>
public static class PageScreenshots
{
    /// <summary>The environment variable that moves the folder.</summary>
    public const string FolderVariable = "PROVENANCE_SCREENSHOTS";

    /// <summary>Where the screenshots go.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>Saves the page as <c>{name}.png</c>, whole or only what the viewport shows, and returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name, bool fullPage = true)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }
}
