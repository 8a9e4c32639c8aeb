using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance credentials show</c> and <c>provenance hash</c> on files signed by the C2PA reference
/// implementation (tests/fixtures/c2pa-rs, with the official SDK's verdicts in its README).
/// </summary>
public sealed class CredentialsShowAndHashCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-credentials-show-").FullName;

    [Fact]
    public async Task Show_ValidFile_PrintsStatusesSignerAndActionsAndExitsZero()
    {
        var result = await CliRunner.RunAsync("credentials", "show", Fixture("C.jpg"));

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Matches("state +Valid", result.Output);
        Assert.Matches("success +claimSignature.validated", result.Output);
        Assert.Matches("success +assertion.dataHash.match", result.Output);
        Assert.Matches("failure +signingCredential.untrusted", result.Output);
        Assert.Matches("signer +.*CN=", result.Output);
        Assert.Matches("claim generator +\\S", result.Output);
    }

    [Fact]
    public async Task Show_Json_GivesTheSdkVerdictsOfEveryFixture()
    {
        var verdicts = new Dictionary<string, (int Exit, string State, string[] Failures)>
        {
            ["C.jpg"] = (0, "Valid", ["signingCredential.untrusted"]),
            ["CA.jpg"] = (0, "Valid", ["signingCredential.untrusted"]),
            ["E-sig-CA.jpg"] = (1, "Invalid", ["signingCredential.untrusted", "claimSignature.mismatch"]),
            ["XCA.jpg"] = (1, "Invalid", ["signingCredential.untrusted", "assertion.dataHash.mismatch"]),
        };
        foreach (var (file, expected) in verdicts)
        {
            var result = await CliRunner.RunAsync("credentials", "show", Fixture(file), "--json");

            using var json = JsonDocument.Parse(result.Output);
            var root = json.RootElement;
            Assert.Equal((expected.Exit, ""), (result.ExitCode, result.Error));
            Assert.True(root.GetProperty("present").GetBoolean(), file);
            Assert.Equal(expected.State, root.GetProperty("state").GetString());
            var failures = root.GetProperty("failure").EnumerateArray().Select(status => status.GetProperty("code").GetString()).ToHashSet();
            Assert.True(failures.SetEquals(expected.Failures), $"{file}: {string.Join(", ", failures)}");
        }
    }

    [Fact]
    public async Task Show_TimeStampedFile_PrintsTheTimeStampAndThatItIsNotTrusted()
    {
        var text = await CliRunner.RunAsync("credentials", "show", Fixture("C.jpg"));
        var json = await CliRunner.RunAsync("credentials", "show", Fixture("C.jpg"), "--json");

        Assert.Matches(@"time-stamped +2024-08-06 21:53:37Z by CN=DigiCert Timestamp 2023.* \(sigTst, not trusted", text.Output);
        Assert.Matches("success +timeStamp.validated", text.Output);
        Assert.Matches("informational +timeStamp.untrusted", text.Output);
        using var document = JsonDocument.Parse(json.Output);
        var stamp = document.RootElement.GetProperty("timeStamp");
        Assert.Equal(new DateTimeOffset(2024, 8, 6, 21, 53, 37, TimeSpan.Zero), stamp.GetProperty("time").GetDateTimeOffset());
        Assert.Equal("sigTst", stamp.GetProperty("header").GetString());
        Assert.False(stamp.GetProperty("trusted").GetBoolean());
    }

    [Fact]
    public async Task Show_IngredientWithoutManifest_ListsTheParent()
    {
        var result = await CliRunner.RunAsync("credentials", "show", Fixture("CA.jpg"));

        Assert.Equal(0, result.ExitCode);
        Assert.Matches("ingredient +parentOf .*\\(no manifest\\)", result.Output);
        Assert.Matches("informational +ingredient.unknownProvenance", result.Output);
    }

    [Fact]
    public async Task Show_NoManifestStore_SaysSoAndExitsTwo()
    {
        var result = await CliRunner.RunAsync("credentials", "show", Fixture("no_manifest.jpg"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no Content Credentials", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_TruncatedStore_IsManifestInaccessibleAndExitsOne()
    {
        var bytes = await File.ReadAllBytesAsync(Fixture("C.jpg"));
        var location = AssetContainers.Locate(bytes)!;
        var path = Path.Combine(_dir, "broken.jpg");
        // Cut the file in the middle of its manifest store: the JUMBF boxes lie about their lengths.
        await File.WriteAllBytesAsync(path, bytes[..((int)location.Ranges[0].Start + 200)]);

        var result = await CliRunner.RunAsync("credentials", "show", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches("state +Invalid", result.Output);
        Assert.Matches("failure +manifest.inaccessible", result.Output);
    }

    [Fact]
    public async Task Show_MissingFileOrNotAnImage_ExitsTwoWithAMessage()
    {
        var text = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(text, "hello");

        var missing = await CliRunner.RunAsync("credentials", "show", Path.Combine(_dir, "absent.jpg"));
        var notImage = await CliRunner.RunAsync("credentials", "show", text);
        var badAnchor = await CliRunner.RunAsync("credentials", "show", Fixture("C.jpg"), "--trust-anchors", text);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No file at", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, notImage.ExitCode);
        Assert.Contains("not PNG, JPEG or WebP", notImage.Error, StringComparison.Ordinal);
        Assert.Equal(2, badAnchor.ExitCode);
        Assert.Contains("no PEM certificate", badAnchor.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_CredentialedFile_PrintsTheFileHashAndTheAssetHashOfItsStrippedCopy()
    {
        var bytes = await File.ReadAllBytesAsync(Fixture("C.jpg"));
        var stripped = Path.Combine(_dir, "stripped.jpg");
        await File.WriteAllBytesAsync(stripped, AssetContainers.Strip(bytes));

        var credentialed = await CliRunner.RunAsync("hash", Fixture("C.jpg"));
        var bare = await CliRunner.RunAsync("hash", stripped);

        Assert.Equal((0, ""), (credentialed.ExitCode, credentialed.Error));
        Assert.Contains($"sha256      {Bytes32.Sha256(bytes)}", credentialed.Output, StringComparison.Ordinal);
        var assetHash = Bytes32.Sha256(AssetContainers.Strip(bytes));
        Assert.Contains($"asset       {assetHash} (without its manifest store)", credentialed.Output, StringComparison.Ordinal);
        Assert.Contains($"sha256      {assetHash}", bare.Output, StringComparison.Ordinal);
        Assert.Contains($"asset       {assetHash} (no manifest store", bare.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_BrokenStoreOrMissingFile_ExitsOneWithAMessage()
    {
        var bytes = await File.ReadAllBytesAsync(Fixture("C.jpg"));
        // The store's first box claims far more bytes than its APP11 segments carry; the image itself still decodes.
        var box = bytes.AsSpan().IndexOf("jumb"u8) - 4;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(box), 0x7FFF_FFF0);
        var broken = Path.Combine(_dir, "broken.jpg");
        await File.WriteAllBytesAsync(broken, bytes);

        var brokenResult = await CliRunner.RunAsync("hash", broken);
        var missing = await CliRunner.RunAsync("hash", Path.Combine(_dir, "absent.png"));
        var none = await CliRunner.RunAsync("hash");

        Assert.Equal(1, brokenResult.ExitCode);
        Assert.Contains("no asset hash", brokenResult.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No file at", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("give the file", none.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowAndHash_ReferenceStoreCarriedIntoAWebp_ReadFromTheWebpWithTheDataHashMismatch()
    {
        // A WebP carrying C.jpg's manifest store in its C2PA chunk: read and validated, signature sound, hard binding not.
        var store = AssetContainers.Locate(await File.ReadAllBytesAsync(Fixture("C.jpg")))!.ManifestStore;
        var webp = MobileAigc.Provenance.Imaging.ImageCodec.Encode(
            MobileAigc.Provenance.Imaging.RgbImage.Create(64, 48), MobileAigc.Provenance.Imaging.ImageFileFormat.Webp);
        var carried = Path.Combine(_dir, "carried.webp");
        await File.WriteAllBytesAsync(carried, AssetContainers.Embed(webp, store).File);

        var show = await CliRunner.RunAsync("credentials", "show", carried);
        var hash = await CliRunner.RunAsync("hash", carried);

        Assert.Equal(1, show.ExitCode);
        Assert.Matches("state +Invalid", show.Output);
        Assert.Matches("success +claimSignature.validated", show.Output);
        Assert.Matches("failure +assertion.dataHash.mismatch", show.Output);
        Assert.Equal((0, ""), (hash.ExitCode, hash.Error));
        Assert.Contains($"asset       {Bytes32.Sha256(webp)} (without its manifest store)", hash.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture(string name) => RepositoryPaths.Combine("tests", "fixtures", "c2pa-rs", name);
}
