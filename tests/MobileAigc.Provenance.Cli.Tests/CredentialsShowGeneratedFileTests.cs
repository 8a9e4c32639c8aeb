using System.Text.Json;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance credentials show</c> on files made here: a JPEG the node generated, a JPEG the official SDK signed,
/// and a node's manifest store moved onto another picture.
/// </summary>
public sealed class CredentialsShowGeneratedFileTests(EdgeCliNode node, C2paSdkFixture sdk)
    : IClassFixture<EdgeCliNode>, IClassFixture<C2paSdkFixture>
{
    [Fact]
    public async Task Show_NodeGeneratedJpeg_IsValidNamesTheRecordAndIsTrustedWithTheNodesCa()
    {
        var untrusted = await CliRunner.RunAsync("credentials", "show", node.Jpeg);
        var trusted = await CliRunner.RunAsync("credentials", "show", node.Jpeg, "--trust-anchors", node.DevelopmentCa);

        Assert.Equal((0, ""), (untrusted.ExitCode, untrusted.Error));
        Assert.Matches("state +Valid", untrusted.Output);
        Assert.Matches("success +claimSignature.validated", untrusted.Output);
        Assert.Matches("success +assertion.dataHash.match", untrusted.Output);
        Assert.Matches("failure +signingCredential.untrusted", untrusted.Output);
        Assert.Matches("action +c2pa.created http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", untrusted.Output);
        Assert.Matches($"record +{node.JpegRecord} by node 0x", untrusted.Output);
        Assert.Matches("signer +.*CN=", untrusted.Output);
        Assert.Equal((0, ""), (trusted.ExitCode, trusted.Error));
        Assert.Matches("state +Trusted", trusted.Output);
        Assert.DoesNotMatch("failure ", trusted.Output);
    }

    [Fact]
    public async Task Show_SdkSignedJpeg_GivesTheSdksVerdictInJson()
    {
        var credentials = C2paTestCertificates.Create(nameof(CredentialsShowGeneratedFileTests));
        var signed = await sdk.Sdk.SignAsync(Picture(ImageFileFormat.Jpeg, 90), "image/jpeg", Definition(), credentials);
        var path = node.File("sdk-signed.jpg");
        await File.WriteAllBytesAsync(path, signed);
        var anchor = node.File("sdk-ca.pem");
        await File.WriteAllTextAsync(anchor, credentials.TrustAnchorPem);

        var untrusted = await CliRunner.RunAsync("credentials", "show", path, "--json");
        var trusted = await CliRunner.RunAsync("credentials", "show", path, "--trust-anchors", anchor);
        var read = await sdk.Sdk.ReadAsync(signed, "image/jpeg");

        Assert.Equal((0, ""), (untrusted.ExitCode, untrusted.Error));
        using var json = JsonDocument.Parse(untrusted.Output);
        Assert.Equal(read.ValidationState, json.RootElement.GetProperty("state").GetString());
        Assert.Equal(read.ActiveManifestLabel, json.RootElement.GetProperty("activeManifest").GetString());
        Assert.Equal(read.FailureCodes.ToHashSet(), Codes(json.RootElement, "failure"));
        Assert.Contains("assertion.dataHash.match", Codes(json.RootElement, "success"));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("record").ValueKind);
        Assert.Equal(0, trusted.ExitCode);
        Assert.Matches("state +Trusted", trusted.Output);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task Show_NodesStoreMovedOntoAnotherPicture_IsDataHashMismatchAndExitsOne(string format)
    {
        var (generated, picture) = format == "png"
            ? (node.Png, Picture(ImageFileFormat.Png, 91))
            : (node.Jpeg, Picture(ImageFileFormat.Jpeg, 92));
        var store = AssetContainers.Locate(await File.ReadAllBytesAsync(generated))!.ManifestStore;
        var moved = node.File($"moved.{format}");
        await File.WriteAllBytesAsync(moved, AssetContainers.Embed(picture, store).File);

        var result = await CliRunner.RunAsync("credentials", "show", moved, "--trust-anchors", node.DevelopmentCa);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches("state +Invalid", result.Output);
        Assert.Matches("failure +assertion.dataHash.mismatch", result.Output);
        Assert.DoesNotMatch("success +assertion.dataHash.match", result.Output);
        Assert.Matches("success +claimSignature.validated", result.Output);
        Assert.Matches($"record +{(format == "png" ? node.PngRecord : node.JpegRecord)}", result.Output);
    }

    private static HashSet<string> Codes(JsonElement report, string kind) =>
        [.. report.GetProperty(kind).EnumerateArray().Select(status => status.GetProperty("code").GetString() ?? "")];

    // A picture no generation made: a diagonal gradient, different for each seed.
    private static byte[] Picture(ImageFileFormat format, int seed)
    {
        var image = RgbImage.Create(256, 256);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            var pixel = i / 3;
            image.Pixels[i] = (byte)((pixel % 256) + (pixel / 256) + (seed * (i % 3 + 1)));
        }

        return ImageCodec.Encode(image, format);
    }

    private static string Definition() => new JsonObject
    {
        ["title"] = "sdk-signed.jpg",
        ["claim_generator_info"] = new JsonArray(new JsonObject { ["name"] = "MobileAigc.Provenance CLI tests", ["version"] = "1.0" }),
        ["assertions"] = new JsonArray(new JsonObject
        {
            ["label"] = "c2pa.actions.v2",
            ["data"] = new JsonObject
            {
                ["actions"] = new JsonArray(new JsonObject
                {
                    ["action"] = "c2pa.created",
                    ["digitalSourceType"] = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
                }),
            },
        }),
    }.ToJsonString();
}
