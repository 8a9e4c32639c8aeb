using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using static Microsoft.Playwright.Assertions;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// The verification page in a real headless Chromium against the real ledger process and anvil:
/// what a creator sees after picking, dropping or pasting, checked on visible text and roles, and
/// the chain facts the page shows re-checked against the chain itself.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class VerificationPageTests(VerificationPageFixture fixture) : IClassFixture<VerificationPageFixture>
{
    private const string FileLabel = VerificationPageSession.FileLabel;
    private const string HashLabel = "…or a SHA-256 of the exact file";

    static VerificationPageTests() =>
        // The first verification of a process pays for JIT and the watermark reader's tables; 5 s is tight on a shared 2-core machine.
        SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task OpenPage_Always_ShowsBothFormsAndAnIconWithoutConsoleErrors()
    {
        await using var session = await fixture.OpenPageAsync();
        // Browsers fetch the tab icon on their own, late and unreported to the page: without a declared icon
        // that loads, every visit logs a /favicon.ico 404 in the console. Ask for it the way the browser would.
        var icon = await session.Page.EvaluateAsync<int>(
            "async () => { const link = document.querySelector('link[rel~=icon]'); return link ? (await fetch(link.href)).status : 0; }");
        Assert.Equal(200, icon);

        await Expect(session.Page).ToHaveTitleAsync(new Regex("Verify AI-generated content"));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Verify a file", Level = 1 })).ToBeVisibleAsync();
        await Expect(session.Page.GetByLabel(FileLabel)).ToBeVisibleAsync();
        await Expect(session.Page.GetByLabel(HashLabel)).ToBeVisibleAsync();
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify file" })).ToBeEnabledAsync();
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify hash" })).ToBeEnabledAsync();
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_AnchoredImage_ShowsVerifiedRecordTransactionAndOnChainCheck()
    {
        await using var session = await fixture.OpenPageAsync();

        await UploadAsync(session, fixture.AnchoredPng, "generated.png", "image/png");

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.Field("SHA-256")).ToHaveTextAsync(fixture.ImageRecord.ContentHash.ToString());
        await Expect(session.Field("Found by")).ToHaveTextAsync("exact bytes (SHA-256)");
        await Expect(session.Field("Record id (digest)")).ToHaveTextAsync(fixture.ImageDigest.ToString());
        await Expect(session.Field("Creator")).ToHaveTextAsync($"{fixture.Creator} (signed the request)");
        await Expect(session.Field("Signed at (node's claim)")).ToHaveTextAsync(
            DateTimeOffset.FromUnixTimeSeconds((long)fixture.ImageRecord.Timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        await Expect(session.Field("Anchored at (block time)")).Not.ToHaveTextAsync("not anchored yet");
        await Expect(session.Field("Signing address")).ToHaveTextAsync(Exactly(fixture.Node));
        await Expect(session.Field("Operator")).ToHaveTextAsync(Exactly(fixture.Deployment.Owner.Address));
        await Expect(session.Field("Model hash")).ToHaveTextAsync(fixture.Deployment.ModelHash.ToString());
        await Expect(session.Field("Owner")).ToHaveTextAsync(Exactly(fixture.Deployment.Owner.Address));
        await Expect(session.Field("Royalty")).ToHaveTextAsync("5 %");
        await Expect(session.Field("Valid")).ToHaveTextAsync("yes");
        await Expect(session.Field("Recovered signer")).ToHaveTextAsync(Exactly(fixture.Node));
        await Expect(session.Field("State")).ToHaveTextAsync("anchored");
        await Expect(session.Field("Proof checks locally")).ToHaveTextAsync("yes");
        await Expect(session.Field("Root checked on chain")).ToHaveTextAsync("yes");
        await Expect(session.Field("Root read at")).ToContainTextAsync("block ");

        // What the page claims about the chain, checked against the chain itself.
        var transaction = await session.Field("Transaction").TextContentAsync();
        var block = await session.Field("Block").TextContentAsync();
        var receipt = await fixture.Deployment.Owner.Web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(transaction);
        Assert.NotNull(receipt);
        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(fixture.Deployment.Contracts.ProvenanceLedger.ToString(), receipt.To, ignoreCase: true);
        Assert.Equal(receipt.BlockNumber.Value.ToString(CultureInfo.InvariantCulture), block);
        var root = Bytes32.Parse((await session.Field("Merkle root").TextContentAsync())!);
        Assert.True(await fixture.Deployment.Chain.Ledger.VerifyInclusionAsync(root, fixture.ImageDigest, await ProofAsync(session)));
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_EditedCopyOfWatermarkedImage_ShowsModifiedButTracedToTheRecord()
    {
        await using var session = await fixture.OpenPageAsync();
        var edited = ImageCodec.Encode(ImageCodec.Resize(fixture.AnchoredImage, 400, 400), ImageFileFormat.Jpeg, quality: 75);

        await UploadAsync(session, edited, "shared-online.jpg", "image/jpeg");

        await Expect(session.Verdict("Modified, but traced")).ToBeVisibleAsync();
        await Expect(session.Field("SHA-256")).ToHaveTextAsync(Bytes32.Sha256(edited).ToString());
        await Expect(session.Field("Found by")).ToHaveTextAsync("image watermark");
        await Expect(session.Field("Watermark confidence")).ToHaveTextAsync(new Regex(@"^(0\.\d\d|1\.00)$"));
        await Expect(session.Field("Record id (digest)")).ToHaveTextAsync(fixture.ImageDigest.ToString());
        await Expect(session.Field("Valid")).ToHaveTextAsync("yes");
        await Expect(session.Field("State")).ToHaveTextAsync("anchored");
        await Expect(session.Field("Root checked on chain")).ToHaveTextAsync("yes");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_WebpCopyOfWatermarkedImage_ShowsItsPreviewAndModifiedButTraced()
    {
        await using var session = await fixture.OpenPageAsync();
        // Quality 80, not 50: the "band" change of issue 17 is what makes the mark survive WebP quality 50.
        var webp = ImageCodec.Encode(fixture.AnchoredImage, ImageFileFormat.Webp, quality: 80);
        Assert.Contains(".webp", await session.Page.GetByLabel(FileLabel).GetAttributeAsync("accept") ?? "", StringComparison.Ordinal);

        await UploadAsync(session, webp, "shared-online.webp", "image/webp");

        await Expect(session.Verdict("Modified, but traced")).ToBeVisibleAsync();
        await Expect(session.Field("Found by")).ToHaveTextAsync("image watermark");
        await Expect(session.Field("Record id (digest)")).ToHaveTextAsync(fixture.ImageDigest.ToString());
        await Expect(session.Page.GetByAltText("The uploaded picture, shared-online.webp")).ToBeVisibleAsync();
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_UnrelatedImage_ShowsUnknownWithoutARecord()
    {
        await using var session = await fixture.OpenPageAsync();
        var unrelated = ImageCodec.Encode(TestPictures.Create(97), ImageFileFormat.Png);

        await UploadAsync(session, unrelated, "holiday.png", "image/png");

        await Expect(session.Verdict("Unknown")).ToBeVisibleAsync();
        await Expect(session.Field("SHA-256")).ToHaveTextAsync(Bytes32.Sha256(unrelated).ToString());
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Name = "Record", Exact = true })).ToHaveCountAsync(0);
        await Expect(session.Field("Transaction")).ToHaveCountAsync(0);
        AssertNoProblems(session);
    }

    [Fact]
    public async Task UploadFile_GarbageBytes_ShowsTheApiProblemMessage()
    {
        await using var session = await fixture.OpenPageAsync();
        var garbage = new byte[3000];
        new Random(11).NextBytes(garbage);
        var (title, detail) = await ProblemForAsync(garbage, "notes.bin");

        await UploadAsync(session, garbage, "notes.bin", "application/octet-stream");

        await Expect(session.Status).ToHaveTextAsync($"{title}: {detail}");
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveCountAsync(0);
        await Expect(session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify file" })).ToBeEnabledAsync();
        // The browser itself logs every failed request; that one line is expected, nothing else is.
        Assert.All(session.Problems, p => Assert.Contains("status of 415", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PasteSha256_SumLineOfAnchoredText_ShowsVerifiedRecord()
    {
        await using var session = await fixture.OpenPageAsync();
        // What `sha256sum haiku.txt` prints, pasted as is: upper or lower case, a file name after it.
        var line = $"  {fixture.TextRecord.ContentHash.ToString()[2..].ToUpperInvariant()}  haiku.txt ";

        await session.Page.GetByLabel(HashLabel).FillAsync(line);
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify hash" }).ClickAsync();

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.Field("SHA-256")).ToHaveTextAsync(fixture.TextRecord.ContentHash.ToString());
        await Expect(session.Field("Record id (digest)")).ToHaveTextAsync(fixture.TextDigest.ToString());
        await Expect(session.Field("State")).ToHaveTextAsync("anchored");
        await Expect(session.Field("Root checked on chain")).ToHaveTextAsync("yes");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task PasteSha256_OfADerivedRecord_ShowsTheRecordItWasDerivedFrom()
    {
        var domain = fixture.Deployment.Chain.Domain;
        var extensions = new ProvenanceRecordExtensionsV2(fixture.ImageDigest);
        var edit = new ProvenanceRecord(
            Bytes32.Sha256("an edit of the anchored picture"u8), Bytes32.Zero, fixture.Deployment.ModelHash, fixture.Node, EvmAddress.Zero,
            Bytes32.Zero, Bytes32.Sha256("prompt"u8), Bytes32.Sha256("parameters"u8), (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Bytes32.Zero, 100, ProvenanceRecordVersions.V2) { Extensions = extensions.HashStruct() };
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        var submitted = await LedgerHostSetup.SubmitWhenNodeKnownAsync(
            http, [new SignedProvenanceRecord(edit, ProvenanceRecordTypedData.Sign(edit, domain, fixture.Deployment.NodeKey)) { ExtensionsV2 = extensions }]);
        Assert.True(submitted.Records[0].Accepted, submitted.Records[0].Problem?.Detail);
        await using var session = await fixture.OpenPageAsync();

        await session.Page.GetByLabel(HashLabel).FillAsync(edit.ContentHash.ToString());
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify hash" }).ClickAsync();

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.Field("Generation 1")).ToContainTextAsync(fixture.ImageDigest.ToString());
        await Expect(session.Field("Generation 1")).ToContainTextAsync(fixture.ImageRecord.ContentHash.ToString());
        await Expect(session.Field("Chain ends")).ToContainTextAsync("generated from a prompt alone");
        AssertNoProblems(session);
    }

    [Fact]
    public async Task PasteSha256_Malformed_SaysWhatASha256LooksLike()
    {
        await using var session = await fixture.OpenPageAsync();

        await session.Page.GetByLabel(HashLabel).FillAsync("0x1234 is not a hash");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Verify hash" }).ClickAsync();

        await Expect(session.Status).ToHaveTextAsync(new Regex("64 hex digits"));
        await Expect(session.Page.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveCountAsync(0);
        AssertNoProblems(session);
    }

    [Fact]
    public async Task DropFile_AnchoredImageOnThePage_ShowsVerified()
    {
        await using var session = await fixture.OpenPageAsync();
        // A real drag from the desktop cannot be scripted; this is the drop event the browser would fire.
        var dataTransfer = await session.Page.EvaluateHandleAsync(
            """
            (base64) => {
              const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
              const transfer = new DataTransfer();
              transfer.items.add(new File([bytes], "generated.png", { type: "image/png" }));
              return transfer;
            }
            """,
            Convert.ToBase64String(fixture.AnchoredPng));

        await session.Page.Locator("main").DispatchEventAsync("dragover", new { dataTransfer });
        await session.Page.Locator("main").DispatchEventAsync("drop", new { dataTransfer });

        await Expect(session.Verdict("Verified")).ToBeVisibleAsync();
        await Expect(session.Field("Record id (digest)")).ToHaveTextAsync(fixture.ImageDigest.ToString());
        Assert.EndsWith("/", session.Page.Url, StringComparison.Ordinal); // Still on the page, not navigated to the file.
        AssertNoProblems(session);
    }

    private static Task UploadAsync(VerificationPageSession session, byte[] bytes, string name, string mediaType) =>
        session.UploadAsync(bytes, name, mediaType);

    /// <summary>The problem the API answers for this upload, asked directly: the page must show the same words.</summary>
    private async Task<(string Title, string Detail)> ProblemForAsync(byte[] bytes, string name)
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", name } };
        using var response = await http.PostAsync(new Uri("api/verify", UriKind.Relative), form);
        Assert.False(response.IsSuccessStatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (json.RootElement.GetProperty("title").GetString()!, json.RootElement.GetProperty("detail").GetString()!);
    }

    /// <summary>The proof as the page shows it: sibling hashes, or words saying a batch of one record needs none.</summary>
    private static async Task<IReadOnlyList<Bytes32>> ProofAsync(VerificationPageSession session)
    {
        var text = (await session.Field("Proof (leaf to root)").TextContentAsync())!;
        return text.StartsWith("none needed", StringComparison.Ordinal)
            ? []
            : [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Bytes32.Parse)];
    }

    private static Regex Exactly(EvmAddress address) => new($"^{address}$", RegexOptions.IgnoreCase);

    private static void AssertNoProblems(VerificationPageSession session) =>
        Assert.True(session.Problems.Count == 0, string.Join('\n', session.Problems));
}
