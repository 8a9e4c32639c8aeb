using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// <c>api/verify</c> reads the Content Credentials of uploaded images: the SDK's verdicts on the c2pa-rs
/// fixtures, a credentialed file found by its asset hash whatever happens to its store, and credentials
/// that contradict the record never verified.
/// </summary>
public sealed class VerifyCredentialsApiTests(VerificationHostFactory host) : IClassFixture<VerificationHostFactory>
{
    [Theory]
    [InlineData("C.jpg", "Valid", "signingCredential.untrusted")]
    [InlineData("CA.jpg", "Valid", "signingCredential.untrusted")]
    [InlineData("E-sig-CA.jpg", "Invalid", "signingCredential.untrusted claimSignature.mismatch")]
    [InlineData("XCA.jpg", "Invalid", "signingCredential.untrusted assertion.dataHash.mismatch")]
    public async Task PostVerify_C2paRsFixture_ReportsTheSdkVerdict(string file, string state, string failures)
    {
        using var json = await PostAsync(await File.ReadAllBytesAsync(Fixture(file)), file);

        var credentials = json.RootElement.GetProperty("credentials");
        Assert.True(credentials.GetProperty("present").GetBoolean());
        Assert.Equal(state, credentials.GetProperty("state").GetString());
        Assert.Equal(failures.Split(' ').ToHashSet(), Codes(credentials, "failure"));
        Assert.StartsWith("CN=", credentials.GetProperty("signer").GetProperty("subject").GetString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostVerify_FileWithoutCredentials_SaysSo()
    {
        using var json = await PostAsync(await File.ReadAllBytesAsync(Fixture("no_manifest.jpg")), "no_manifest.jpg");

        var credentials = json.RootElement.GetProperty("credentials");
        Assert.False(credentials.GetProperty("present").GetBoolean());
        Assert.Equal(JsonValueKind.Null, credentials.GetProperty("state").ValueKind);
    }

    [Fact]
    public async Task PostVerify_CredentialedFile_FoundByItsAssetHashAsDeliveredStrippedAndReembedded()
    {
        var asset = CredentialedPictures.Asset(41, ImageFileFormat.Png);
        var assetHash = Bytes32.Sha256(asset);
        var row = await host.StoreAsync(assetHash, Bytes32.Zero, Bytes32.Zero);
        var signed = CredentialedPictures.Sign(asset, row.Digest, row.Node, assetHash);
        var stripped = AssetContainers.Strip(signed.File);
        var reembedded = AssetContainers.Embed(stripped, signed.ManifestStore).File;

        using var delivered = await PostAsync(signed.File, "delivered.png");
        using var bare = await PostAsync(stripped, "stripped.png");
        using var again = await PostAsync(reembedded, "again.png");
        using var byHash = await GetAsync(assetHash);

        foreach (var json in new[] { delivered, bare, again, byHash })
        {
            Assert.Equal(row.Digest.ToString(), json.RootElement.GetProperty("record").GetProperty("digest").GetString());
            Assert.Equal("content-hash", json.RootElement.GetProperty("match").GetProperty("method").GetString());
        }

        Assert.Equal(stripped, asset);
        var credentials = delivered.RootElement.GetProperty("credentials");
        Assert.Equal("Valid", credentials.GetProperty("state").GetString());
        Assert.Equal(assetHash.ToString(), credentials.GetProperty("assetHash").GetString());
        Assert.Equal(row.Digest.ToString(), credentials.GetProperty("record").GetProperty("recordDigest").GetString());
        Assert.Empty(credentials.GetProperty("record").GetProperty("problems").EnumerateArray());
        Assert.Contains("assertion.dataHash.match", Codes(credentials, "success"));
        Assert.Contains(credentials.GetProperty("actions").EnumerateArray(), action => action.GetProperty("action").GetString() == "c2pa.created");
        Assert.Equal(2, credentials.GetProperty("softBindings").GetArrayLength());
        Assert.False(bare.RootElement.GetProperty("credentials").GetProperty("present").GetBoolean());
        Assert.Equal("Valid", again.RootElement.GetProperty("credentials").GetProperty("state").GetString());
    }

    [Fact]
    public async Task PostVerify_CredentialsNamingAnotherRecordAndNode_ReportTheMismatchAndNeverVerify()
    {
        var asset = CredentialedPictures.Asset(42, ImageFileFormat.Png);
        var row = await host.StoreAsync(Bytes32.Sha256(asset), Bytes32.Zero, Bytes32.Zero);
        var otherDigest = Bytes32.Sha256("another record"u8);
        var otherNode = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        // The builder refuses to name another content hash; a lying signer names another record and node.
        var signed = CredentialedPictures.Sign(asset, otherDigest, otherNode, Bytes32.Sha256(asset));

        using var json = await PostAsync(signed.File, "lying.png");

        var problems = json.RootElement.GetProperty("credentials").GetProperty("record").GetProperty("problems")
            .EnumerateArray().Select(problem => problem.GetString() ?? "").ToList();
        Assert.Contains(problems, problem => problem.Contains($"name record {otherDigest}", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains($"name node {otherNode}", StringComparison.Ordinal));
        Assert.Equal(row.Digest.ToString(), json.RootElement.GetProperty("record").GetProperty("digest").GetString());
        Assert.NotEqual("verified", json.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task PostVerify_OneByteChangedOutsideTheStore_IsDataHashMismatchAndNotFoundExactly()
    {
        var asset = CredentialedPictures.Asset(43, ImageFileFormat.Jpeg);
        var assetHash = Bytes32.Sha256(asset);
        var row = await host.StoreAsync(assetHash, Bytes32.Zero, Bytes32.Zero);
        var file = CredentialedPictures.Sign(asset, row.Digest, row.Node, assetHash).File;
        // The first value of the first quantisation table: the image still decodes, its bytes differ.
        var table = file.AsSpan().IndexOf(new byte[] { 0xFF, 0xDB });
        file[table + 5] = (byte)(file[table + 5] == 1 ? 2 : file[table + 5] - 1);

        using var json = await PostAsync(file, "changed.jpg");

        var credentials = json.RootElement.GetProperty("credentials");
        Assert.Equal("Invalid", credentials.GetProperty("state").GetString());
        Assert.Contains("assertion.dataHash.mismatch", Codes(credentials, "failure"));
        Assert.NotEqual("verified", json.RootElement.GetProperty("verdict").GetString());
        Assert.NotEqual("content-hash", json.RootElement.TryGetProperty("match", out var match) && match.ValueKind == JsonValueKind.Object
            ? match.GetProperty("method").GetString() : null);
    }

    private static HashSet<string> Codes(JsonElement credentials, string kind) => VerifyCalls.Codes(credentials, kind);

    private Task<JsonDocument> PostAsync(byte[] file, string name) => VerifyCalls.PostAsync(host.CreateClient(), file, name);

    private Task<JsonDocument> GetAsync(Bytes32 hash) => VerifyCalls.GetAsync(host.CreateClient(), hash);

    private static string Fixture(string name) => RepositoryPaths.Combine("tests", "fixtures", "c2pa-rs", name);
}
