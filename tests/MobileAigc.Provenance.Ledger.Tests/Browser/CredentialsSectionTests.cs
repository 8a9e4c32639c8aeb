using System.Text.RegularExpressions;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// The verification page's Content Credentials section in a real headless Chromium against the real ledger process:
/// a credentialed file shows its signer, its validation state and a link to the record its credentials name; the same
/// file changed by one byte outside the manifest store shows the credentials invalid and no verified verdict.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class CredentialsSectionTests(VerificationPageFixture fixture) : IClassFixture<VerificationPageFixture>
{
    static CredentialsSectionTests() =>
        // The first verification of a process pays for JIT and the watermark reader's tables; 5 s is tight on a shared 2-core machine.
        SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task UploadFile_CredentialedJpeg_ShowsTheSignerTheValidStateAndALinkToTheRecord()
    {
        var signer = new ManifestValidator().ValidateFile(fixture.CredentialedJpeg).Store!.ActiveManifest!.Signature!.Signer!;
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(fixture.CredentialedJpeg, "credentialed.jpg", "image/jpeg");

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = "Content Credentials (C2PA)" })).ToBeVisibleAsync();
        await Expect(session.Field("Validation state")).ToHaveTextAsync("Valid");
        await Expect(session.Field("Validation state")).ToHaveClassAsync("yes");
        await Expect(session.Field("Signer")).ToHaveTextAsync($"{signer.Subject}, issued by {signer.Issuer}");
        await Expect(session.Field("Success")).ToContainTextAsync("assertion.dataHash.match");
        var link = session.Field("Record named").GetByRole(Microsoft.Playwright.AriaRole.Link);
        await Expect(link).ToHaveTextAsync(fixture.CredentialedDigest.ToString());
        await Expect(link).ToHaveAttributeAsync("href", $"api/records/{fixture.CredentialedDigest}");
        await Expect(session.Field("Record id (digest)")).ToHaveTextAsync(fixture.CredentialedDigest.ToString());
        await Expect(session.Page.GetByText("Contradicts the record", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.True(session.Problems.Count == 0, string.Join('\n', session.Problems));

        // The link leads to the record on this ledger (a JSON document: the browser may ask it for a favicon).
        var response = await session.Page.GotoAsync((await link.GetAttributeAsync("href"))!);
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Contains(fixture.CredentialedDigest.ToString(), await response.TextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UploadFile_CredentialedJpegChangedByOneByteOutsideTheStore_ShowsTheCredentialsInvalidAndNoVerifiedVerdict()
    {
        var changed = fixture.CredentialedJpeg.ToArray();
        // The first value of the picture's first quantisation table, after the manifest store (whose claim thumbnail
        // has tables of its own): the picture still decodes, its bytes outside the store differ.
        var afterStore = (int)AssetContainers.Locate(changed)!.Ranges.Max(range => range.End);
        var table = afterStore + changed.AsSpan(afterStore).IndexOf(new byte[] { 0xFF, 0xDB });
        Assert.True(table >= afterStore, "The picture has a quantisation table after its manifest store.");
        changed[table + 5] = (byte)(changed[table + 5] == 1 ? 2 : changed[table + 5] - 1);
        await using var session = await fixture.OpenPageAsync();

        await session.UploadAsync(changed, "changed.jpg", "image/jpeg");

        // Its watermark still leads to the record, as a modified file: never as the exact bytes the credentials vouch for.
        await Expect(session.Verdict("Modified, but traced")).ToBeVisibleAsync();
        await Expect(session.Verdict("Verified")).ToHaveCountAsync(0);
        await Expect(session.Field("Validation state")).ToHaveTextAsync("Invalid");
        await Expect(session.Field("Validation state")).ToHaveClassAsync("no");
        await Expect(session.Field("Failure")).ToContainTextAsync("assertion.dataHash.mismatch");
        await Expect(session.Field("Failure")).ToHaveClassAsync("no");
        await Expect(session.Field("Record named")).ToContainTextAsync("named by credentials that do not validate");
        await Expect(session.Field("Success")).Not.ToContainTextAsync(new Regex(@"assertion\.dataHash\.match\b"));
        await Expect(session.Field("Found by")).Not.ToHaveTextAsync("exact bytes (SHA-256)");
        Assert.True(session.Problems.Count == 0, string.Join('\n', session.Problems));
    }
}
