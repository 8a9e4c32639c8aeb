using System.Text.Json;
using MobileAigc.Provenance.Credentials.Containers;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// <c>POST api/verify</c> on a picture carrying the Content Credentials a real edge node signed for another picture:
/// the credentials are invalid (data hash mismatch) and the file never gets the original record's verified verdict.
/// </summary>
public sealed class MovedCredentialsVerifyTests(VerificationHostFactory host, EdgeNodePictures node)
    : IClassFixture<VerificationHostFactory>, IClassFixture<EdgeNodePictures>
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task PostVerify_StoreMovedOntoAnotherRecordedPicture_IsContentMismatchOfThatPictureWithInvalidCredentials(string format)
    {
        var original = node.Generate("a harbour in the rain", 51, format);
        var other = node.Generate("a forest at dawn", 52, format);
        await host.StoreAsync(original.Record, original.RecordDigest);
        await host.StoreAsync(other.Record, other.RecordDigest);
        var moved = AssetContainers.Embed(AssetContainers.Strip(other.File), AssetContainers.Locate(original.File)!.ManifestStore).File;

        using var genuine = await VerifyCalls.PostAsync(host.CreateClient(), original.File, Name(format));
        using var json = await VerifyCalls.PostAsync(host.CreateClient(), moved, Name(format));

        // The control: the node's own file is verified and its credentials hold (untrusted: the node's development CA is no anchor here).
        Assert.Equal("verified", Verdict(genuine));
        Assert.Equal("Valid", genuine.RootElement.GetProperty("credentials").GetProperty("state").GetString());

        var root = json.RootElement;
        // The pixels are the other record's content; the credentials contradict that record.
        Assert.Equal("content-mismatch", Verdict(json));
        Assert.Equal("content-hash", root.GetProperty("match").GetProperty("method").GetString());
        Assert.Equal(other.RecordDigest.ToString(), root.GetProperty("record").GetProperty("digest").GetString());
        var credentials = root.GetProperty("credentials");
        Assert.Equal("Invalid", credentials.GetProperty("state").GetString());
        Assert.Contains("assertion.dataHash.mismatch", VerifyCalls.Codes(credentials, "failure"));
        Assert.DoesNotContain("assertion.dataHash.match", VerifyCalls.Codes(credentials, "success"));
        Assert.Contains("claimSignature.validated", VerifyCalls.Codes(credentials, "success"));
        var claim = credentials.GetProperty("record");
        Assert.Equal(original.RecordDigest.ToString(), claim.GetProperty("recordDigest").GetString());
        var problems = claim.GetProperty("problems").EnumerateArray().Select(problem => problem.GetString() ?? "").ToList();
        Assert.Contains(problems, problem => problem.Contains($"name record {original.RecordDigest}", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains($"name content hash {original.Record.Record.ContentHash}", StringComparison.Ordinal));
        Assert.Contains(original.RecordDigest.ToString(), root.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task PostVerify_StoreMovedOntoAPictureNoRecordHas_IsUnknownWithInvalidCredentialsNamingTheOriginal(string format)
    {
        var original = node.Generate("a lighthouse at night", 53, format);
        var unrecorded = node.Generate("a desert road", 54, format);
        await host.StoreAsync(original.Record, original.RecordDigest);
        var moved = AssetContainers.Embed(AssetContainers.Strip(unrecorded.File), AssetContainers.Locate(original.File)!.ManifestStore).File;

        using var json = await VerifyCalls.PostAsync(host.CreateClient(), moved, Name(format));

        // The credentials naming a record do not lead to it: only the content does, and no record holds this content.
        var root = json.RootElement;
        Assert.Equal("unknown", Verdict(json));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("record").ValueKind);
        var credentials = root.GetProperty("credentials");
        Assert.Equal("Invalid", credentials.GetProperty("state").GetString());
        Assert.Contains("assertion.dataHash.mismatch", VerifyCalls.Codes(credentials, "failure"));
        Assert.Equal(original.RecordDigest.ToString(), credentials.GetProperty("record").GetProperty("recordDigest").GetString());
        Assert.Equal(unrecorded.Record.Record.ContentHash.ToString(), credentials.GetProperty("assetHash").GetString());
    }

    private static string Name(string format) => format == "png" ? "picture.png" : "picture.jpg";

    private static string? Verdict(JsonDocument json) => json.RootElement.GetProperty("verdict").GetString();
}
