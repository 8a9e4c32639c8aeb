using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using static MobileAigc.Provenance.EdgeNode.Tests.FineTuning.FineTuneNodes;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>Image fine-tunes at the real host process, payments off: the derivative learns the pictures' colours; bad pictures are refused.</summary>
public sealed class ImageFineTuningHostTests(FineTuneNodeFixture node) : IClassFixture<FineTuneNodeFixture>
{
    private const string Prompt = "a harbour at dusk";

    private static readonly byte[][] Sunsets = [.. SamplePictures];

    private HttpClient Http => node.Http;

    [Fact]
    public async Task FineTune_SunsetPictures_DerivativeIsListedAndDrawsInTheirColours()
    {
        var accepted = await StartAsync(Http, "cppn-image", new FineTuneRequest(null, "sunset-public", Seed: 2, Visibility: ModelVisibilities.Public, Pictures: Sunsets));

        var job = await WaitAsync(Http, accepted.JobId);

        Assert.True(job.State == FineTuneStates.Succeeded, $"{job.State}: {job.Error}");
        Assert.True(job.HeldOutLossAfter < 0.8 * job.HeldOutLossBefore, $"held-out loss {job.HeldOutLossBefore} -> {job.HeldOutLossAfter}");
        var models = (await Http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!;
        var derivative = models.Single(m => m.Name == "sunset-public");
        var parent = models.Single(m => m.Name == "cppn-image");
        Assert.Equal(("image", (Bytes32?)parent.ModelHash, (Bytes32?)derivative.ModelHash), (derivative.Kind, derivative.Parent, job.DerivativeHash));

        var tuned = await GenerateAsync("sunset-public", seed: 5);
        var original = await GenerateAsync("cppn-image", seed: 5);

        Assert.Equal(job.DerivativeHash, tuned.Record.Record.ModelHash);
        Assert.NotNull(AssetContainers.Locate(tuned.File));
        var watermarkKey = WatermarkKey.Parse((await File.ReadAllTextAsync(node.Directory.File("watermark.key"))).Trim());
        Assert.Equal(tuned.WatermarkPayload, new ImageWatermarker(watermarkKey).Extract(ImageCodec.Decode(tuned.File)).Payload);
        var target = MeanColour(Sunsets.Select(p => ImageCodec.Decode(p)));
        var (tunedDistance, originalDistance) = (Distance(MeanColour([ImageCodec.Decode(tuned.File)]), target), Distance(MeanColour([ImageCodec.Decode(original.File)]), target));
        Assert.True(tunedDistance < originalDistance, $"mean colour distance to the examples: derivative {tunedDistance:F1}, base model {originalDistance:F1}");
    }

    [Fact]
    public async Task FineTune_JpegAndWebpPictures_LearnsFromBothCommitsToThemWithItsSaltAndDeletesThem()
    {
        byte[][] pictures = [.. Sunsets[..2], .. Sunsets[2..4].Select(p => ImageCodec.Encode(ImageCodec.Decode(p), ImageFileFormat.Webp, quality: 90))];
        var accepted = await StartAsync(Http, "cppn-image", new FineTuneRequest([], "sunset-commitment", Visibility: ModelVisibilities.Public, Pictures: pictures));

        var job = await WaitAsync(Http, accepted.JobId);

        Assert.True(job.State == FineTuneStates.Succeeded, $"{job.State}: {job.Error}");
        Assert.Equal(Commitments.TrainingPictures(job.TrainingDataSalt, pictures), job.TrainingDataCommitment);
        var manifest = await File.ReadAllTextAsync(Path.Combine(node.Directory.Path, "models", "sunset-commitment", "manifest.json"));
        Assert.Contains(job.TrainingDataCommitment.ToString(), manifest, StringComparison.Ordinal);
        await EdgeNodeHostTests.WaitUntilAsync(() => !ExampleFiles(node.Directory.Path).Any(f => f.Contains(accepted.JobId, StringComparison.Ordinal)));
    }

    public static TheoryData<string, string, HttpStatusCode, string> WrongKinds() => new()
    {
        { "cppn-image", """{"examples":["a red boat at sea"],"name":"x","visibility":"public"}""", HttpStatusCode.UnprocessableEntity, FineTuneProblemTypes.UnsupportedData },
        { "kjv-char-mlp", """{"pictures":["/9j/4AAQ"],"name":"x","visibility":"public"}""", HttpStatusCode.UnprocessableEntity, FineTuneProblemTypes.UnsupportedData },
        { "cppn-image", """{"examples":["a red boat"],"pictures":["/9j/4AAQ"],"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.MixedExamples },
        { "kjv-char-mlp", """{"examples":["a red boat"],"pictures":["/9j/4AAQ"],"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.MixedExamples },
        { "cppn-image", """{"pictures":[],"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.ExamplesEmpty },
        { "cppn-image", """{"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.ExamplesEmpty },
        { "cppn-image", """{"pictures":"not base64!","name":"x"}""", HttpStatusCode.BadRequest, EdgeNodeProblemTypes.MalformedBody },
    };

    [Theory]
    [MemberData(nameof(WrongKinds))]
    public async Task FineTune_WrongKindOfExamples_IsAProblemAndQueuesNothing(string model, string body, HttpStatusCode status, string type)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync(EdgeRoutes.FineTune(model), content);

        await AssertProblemAsync(response, status, type);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task FineTune_NotAPicture_Is400NamingItAndStoresNothing()
    {
        var before = ExampleFiles(node.Directory.Path).Length;

        var problem = await RefusedAsync([Sunsets[0], "not a picture at all"u8.ToArray(), Sunsets[1]], HttpStatusCode.BadRequest, FineTuneProblemTypes.BadPicture);

        Assert.Equal("1", problem.Extensions["pictureIndex"]?.ToString());
        Assert.Contains("picture 2 of 3", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(before, ExampleFiles(node.Directory.Path).Length);
    }

    [Fact]
    public async Task FineTune_TruncatedPicture_Is400NamingIt()
    {
        var problem = await RefusedAsync([Sunsets[0], Sunsets[1], Sunsets[2][..(Sunsets[2].Length / 3)]], HttpStatusCode.BadRequest, FineTuneProblemTypes.BadPicture);

        Assert.Equal("2", problem.Extensions["pictureIndex"]?.ToString());
    }

    [Fact]
    public async Task FineTune_TooSmallPicture_Is400NamingIt()
    {
        var tiny = ImageCodec.Encode(ImageCodec.Resize(ImageCodec.Decode(Sunsets[0]), 8, 8), ImageFileFormat.Png);

        var problem = await RefusedAsync([tiny, Sunsets[1]], HttpStatusCode.BadRequest, FineTuneProblemTypes.BadPicture);

        Assert.Equal("0", problem.Extensions["pictureIndex"]?.ToString());
    }

    [Fact]
    public async Task FineTune_FlatPictures_Is400()
    {
        var grey = RgbImage.Create(64, 64);
        Array.Fill(grey.Pixels, (byte)128);
        var flat = ImageCodec.Encode(grey, ImageFileFormat.Png);

        var problem = await RefusedAsync([flat, flat], HttpStatusCode.BadRequest, FineTuneProblemTypes.BadPicture);

        Assert.Contains("flat", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FineTune_MorePicturesThanTheNodeTakes_Is413()
    {
        await RefusedAsync([.. Enumerable.Repeat(Sunsets[0], 17)], HttpStatusCode.RequestEntityTooLarge, FineTuneProblemTypes.ExamplesTooLarge);
    }

    [Fact]
    public async Task FineTune_PicturesOverTheByteLimit_Is413()
    {
        // 8 MiB and 2 KiB in all: just past the default limit, within the body limit sized for it.
        var half = new byte[(4 * 1024 * 1024) + 1024];

        await RefusedAsync([half, half], HttpStatusCode.RequestEntityTooLarge, FineTuneProblemTypes.ExamplesTooLarge);
    }

    private async Task<Microsoft.AspNetCore.Mvc.ProblemDetails> RefusedAsync(byte[][] pictures, HttpStatusCode status, string type)
    {
        using var response = await Http.PostAsJsonAsync(EdgeRoutes.FineTune("cppn-image"),
            new FineTuneRequest(null, "refused", Visibility: ModelVisibilities.Public, Pictures: pictures));
        Assert.Null(response.Headers.Location);
        return await AssertProblemAsync(response, status, type);
    }

    private async Task<GenerateImageResponse> GenerateAsync(string model, ulong seed)
    {
        using var response = await Http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest(Prompt, Model: model, Seed: seed));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<GenerateImageResponse>())!;
    }

    private static (double R, double G, double B) MeanColour(IEnumerable<RgbImage> images)
    {
        var (r, g, b, count) = (0.0, 0.0, 0.0, 0L);
        foreach (var image in images)
        {
            for (var i = 0; i < image.Pixels.Length; i += 3)
            {
                (r, g, b, count) = (r + image.Pixels[i], g + image.Pixels[i + 1], b + image.Pixels[i + 2], count + 1);
            }
        }

        return (r / count, g / count, b / count);
    }

    private static double Distance((double R, double G, double B) a, (double R, double G, double B) b) =>
        Math.Sqrt(((a.R - b.R) * (a.R - b.R)) + ((a.G - b.G) * (a.G - b.G)) + ((a.B - b.B) * (a.B - b.B)));
}
