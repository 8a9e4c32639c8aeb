using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>Image-to-image through the real host: the input's pixels shape the output, the record names its parent.</summary>
public sealed class ImageToImageHostTests(EdgeNodeHostFixture fixture) : IClassFixture<EdgeNodeHostFixture>
{
    private const int Side = 256;
    private static readonly ContractDomain Domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse(EdgeNodeHost.LedgerContract));
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task GenerateImage_WithParent_SignsAVersion3RecordNamingItAndDeliversTheExtensionData()
    {
        var parent = Bytes32.Sha256("the input's own record"u8);
        var input = HalfDark(left: true);

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage,
            new GenerateImageRequest("make it stormy", Seed: 2, InputImage: input, Strength: 0.5, ParentRecord: parent));
        var result = (await response.Content.ReadFromJsonAsync<GenerateImageResponse>())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = result.Record.Record;
        Assert.Equal(ProvenanceRecordVersions.V3, record.Version);
        Assert.Equal(parent, result.Record.ParentRecord);
        Assert.Equal(parent, result.Record.ExtensionsV3!.ParentRecord);
        Assert.Equal(result.Record.ExtensionsV3.HashStruct(), record.Extensions);
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(record, Domain, result.Record.Signature));
        Assert.Equal(new ImageDerivation(Bytes32.Sha256(input), 0.5, parent), result.Derivation);
        await EdgeNodeHostTests.WaitUntilAsync(() => fixture.Ledger.Received.ContainsKey(record.Sequence));
        Assert.Equal(parent, fixture.Ledger.Received[record.Sequence].ParentRecord);
    }

    [Fact]
    public async Task GenerateImage_DarkLeftVersusDarkRightInput_OutputHalvesFollowTheInput()
    {
        var fromLeft = await GenerateAsync(HalfDark(left: true));
        var fromRight = await GenerateAsync(HalfDark(left: false));

        var (leftA, rightA) = HalfLumas(fromLeft);
        var (leftB, rightB) = HalfLumas(fromRight);
        Assert.True(rightA - leftA > 30, $"dark-left input: left {leftA:F1}, right {rightA:F1}");
        Assert.True(leftB - rightB > 30, $"dark-right input: left {leftB:F1}, right {rightB:F1}");
    }

    [Fact]
    public async Task GenerateImage_WebpInput_IsDecodedAndShapesTheOutputAsAPngInputDoes()
    {
        var fromWebp = await GenerateAsync(HalfDark(left: true, ImageFileFormat.Webp));

        var (left, right) = HalfLumas(fromWebp);
        Assert.True(right - left > 30, $"dark-left WebP input: left {left:F1}, right {right:F1}");
    }

    [Fact]
    public async Task GenerateImage_NoisyInputOverTheGeneralBodyLimitWithoutParent_IsAVersion1Record()
    {
        var noisy = Noisy();

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("brighter", Seed: 2, InputImage: noisy));
        var result = (await response.Content.ReadFromJsonAsync<GenerateImageResponse>())!;

        Assert.True(noisy.Length > 64 * 1024, $"{noisy.Length} bytes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ProvenanceRecordVersions.V3, result.Record.Record.Version);
        Assert.Null(result.Record.ParentRecord);
        Assert.Equal(ImageDerivationDefaults.Strength, result.Derivation?.Strength);
        var png = ImageCodec.Decode(result.File);
        Assert.Equal((Side, Side), (png.Width, png.Height));
    }

    public static TheoryData<string, GenerateImageRequest> BadRequests() => new()
    {
        { "not a picture", new GenerateImageRequest("x", InputImage: "GIF89a not really"u8.ToArray()) },
        { "truncated png", new GenerateImageRequest("x", InputImage: HalfDark(left: true)[..100]) },
        { "strength above 1", new GenerateImageRequest("x", InputImage: HalfDark(left: true), Strength: 1.5) },
        { "parent without input", new GenerateImageRequest("x", ParentRecord: Bytes32.Sha256("p"u8)) },
        { "zero parent", new GenerateImageRequest("x", InputImage: HalfDark(left: true), ParentRecord: Bytes32.Zero) },
        { "unknown format", new GenerateImageRequest("x", Format: "gif") },
        { "too many pixels", new GenerateImageRequest("x", InputImage: ImageCodec.Encode(RgbImage.Create(4097, 1100), ImageFileFormat.Png)) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task GenerateImage_BadInput_IsAnInvalidParameterProblemAndRecordsNothing(string reason, GenerateImageRequest request)
    {
        var before = (await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!;

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{reason}: {response.StatusCode}");
        Assert.Equal(GenerationProblemTypes.InvalidParameter, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Type);
        var after = (await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!;
        Assert.Equal(before.PendingRecords + before.DeliveredRecords + before.HeldRecords, after.PendingRecords + after.DeliveredRecords + after.HeldRecords);
    }

    [Fact]
    public async Task GenerateImage_BodyOverTheImageRouteLimit_IsRefusedBeforeGeneration()
    {
        var huge = JsonContent.Create(new GenerateImageRequest("x", InputImage: new byte[13 * 1024 * 1024]));
        await huge.LoadIntoBufferAsync();
        // With a declared length and 100-continue the node answers before the client sends the body.
        using var request = new HttpRequestMessage(HttpMethod.Post, EdgeRoutes.GenerateImage) { Content = huge };
        request.Headers.ExpectContinue = true;

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private async Task<RgbImage> GenerateAsync(byte[] input)
    {
        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage,
            new GenerateImageRequest("a variation", Seed: 5, InputImage: input, Strength: 0.6));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ImageCodec.Decode((await response.Content.ReadFromJsonAsync<GenerateImageResponse>())!.File);
    }

    private static byte[] HalfDark(bool left, ImageFileFormat format = ImageFileFormat.Png)
    {
        var image = RgbImage.Create(Side, Side);
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                image.Pixels.AsSpan(((y * Side) + x) * 3, 3).Fill((x < Side / 2) == left ? (byte)25 : (byte)225);
            }
        }

        return ImageCodec.Encode(image, format);
    }

    // Random pixels do not compress: a PNG larger than the 64 KiB every other route accepts.
    private static byte[] Noisy()
    {
        var image = RgbImage.Create(Side, Side);
        new Random(7).NextBytes(image.Pixels);
        return ImageCodec.Encode(image, ImageFileFormat.Png);
    }

    private static (double Left, double Right) HalfLumas(RgbImage image)
    {
        var luma = ImageCodec.ToLuma(image);
        double left = 0, right = 0;
        for (var i = 0; i < luma.Length; i++)
        {
            if (i % image.Width < image.Width / 2)
            {
                left += luma[i];
            }
            else
            {
                right += luma[i];
            }
        }

        return (left * 2 / luma.Length, right * 2 / luma.Length);
    }

    private static class ImageDerivationDefaults
    {
        public const double Strength = 0.6;
    }
}
