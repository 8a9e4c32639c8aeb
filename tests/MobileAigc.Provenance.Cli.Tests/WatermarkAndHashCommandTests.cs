using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Cli.Tests;

public sealed class WatermarkAndHashCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-tests-").FullName;

    [Fact]
    public async Task WatermarkEmbedThenExtract_SameKey_PrintsThePayload()
    {
        var key = (await CliRunner.RunAsync("watermark", "new-key")).Output.Trim();
        var input = WriteImage("in.png", ImageFileFormat.Png);

        var embed = await CliRunner.RunAsync("watermark", "embed", "--in", input, "--out", Path.Combine(_dir, "out.png"), "--key", key, "--payload", "0x0123456789abcdef");
        var extract = await CliRunner.RunAsync("watermark", "extract", "--in", Path.Combine(_dir, "out.png"), "--key", key);

        Assert.Equal(0, embed.ExitCode);
        Assert.Equal(0, extract.ExitCode);
        Assert.Contains("payload 0x0123456789abcdef", extract.Output);
    }

    [Fact]
    public async Task WatermarkExtract_OtherKey_ExitsOneSayingNoneFound()
    {
        var key = (await CliRunner.RunAsync("watermark", "new-key")).Output.Trim();
        var other = (await CliRunner.RunAsync("watermark", "new-key")).Output.Trim();
        var input = WriteImage("in.jpg", ImageFileFormat.Jpeg);
        await CliRunner.RunAsync("watermark", "embed", "--in", input, "--out", Path.Combine(_dir, "out.png"), "--key", key, "--payload", "42");

        var extract = await CliRunner.RunAsync("watermark", "extract", "--in", Path.Combine(_dir, "out.png"), "--key", other);

        Assert.Equal(1, extract.ExitCode);
        Assert.Contains("no watermark found", extract.Error);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("truncated")]
    [InlineData("tiny")]
    public async Task WatermarkEmbed_BadInput_ExitsOneWithAMessage(string kind)
    {
        var key = (await CliRunner.RunAsync("watermark", "new-key")).Output.Trim();
        var input = BadInput(kind);

        var result = await CliRunner.RunAsync("watermark", "embed", "--in", input, "--out", Path.Combine(_dir, "out.png"), "--key", key, "--payload", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("watermark embed: ", result.Error);
        Assert.False(File.Exists(Path.Combine(_dir, "out.png")));
    }

    [Theory]
    [InlineData("--payload", "0x0123456789abcdef", "0x0123456789abcdef")]
    [InlineData("--payload", "0123456789ABCDEF", "0x0123456789abcdef")]
    [InlineData("--payload", "1234567890123456", "0x1234567890123456")]
    [InlineData("--payload", "0X2a", "0x000000000000002a")]
    [InlineData("--payload", "ffffffffffffffff", "0xffffffffffffffff")]
    [InlineData("--payload-decimal", "1234567890123456", "0x000462d53c8abac0")]
    [InlineData("--payload-decimal", "18446744073709551615", "0xffffffffffffffff")]
    [InlineData("--payload-decimal", "0", "0x0000000000000000")]
    public async Task WatermarkEmbed_Payload_HexUnlessGivenAsDecimal(string option, string payload, string embedded)
    {
        var result = await EmbedAsync(option, payload);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"embedded payload {embedded} ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--payload", "0x0123456789abcdef0")]
    [InlineData("--payload", "0123456789abcdef0")]
    [InlineData("--payload", "0x")]
    [InlineData("--payload", "xyz")]
    [InlineData("--payload", "0x12g4")]
    [InlineData("--payload", "-1")]
    [InlineData("--payload-decimal", "18446744073709551616")]
    [InlineData("--payload-decimal", "0x12")]
    [InlineData("--payload-decimal", "12ab")]
    public async Task WatermarkEmbed_BadPayload_ExitsOneNamingTheOption(string option, string payload)
    {
        var result = await EmbedAsync(option, payload);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"watermark embed: {option} '{payload}' is not", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out.png")));
    }

    [Fact]
    public async Task WatermarkEmbed_BothPayloadOptions_ExitsOneSayingGiveOne()
    {
        var result = await EmbedAsync("--payload", "12", "--payload-decimal", "12");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("mutually exclusive", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out.png")));
    }

    [Fact]
    public async Task WatermarkEmbed_NoPayload_ExitsOneNamingBothOptions()
    {
        var result = await EmbedAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--payload", result.Error, StringComparison.Ordinal);
        Assert.Contains("--payload-decimal", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("zz")]
    public async Task WatermarkEmbed_MalformedKey_ExitsOne(string key)
    {
        var result = await CliRunner.RunAsync("watermark", "embed", "--in", WriteImage("in.png", ImageFileFormat.Png), "--out", Path.Combine(_dir, "o.png"), "--key", key, "--payload", "1");

        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task Hash_Image_PrintsContentAndPerceptualHash()
    {
        var result = await CliRunner.RunAsync("hash", "--in", WriteImage("in.png", ImageFileFormat.Png));

        Assert.Equal(0, result.ExitCode);
        Assert.Matches("sha256 +0x[0-9a-f]{64}", result.Output);
        Assert.Matches("perceptual +0x[0-9a-f]{64}", result.Output);
    }

    [Fact]
    public async Task WatermarkExtract_MarkedPictureReencodedAsWebp_PrintsThePayload()
    {
        var key = (await CliRunner.RunAsync("watermark", "new-key")).Output.Trim();
        var marked = Path.Combine(_dir, "marked.png");
        await CliRunner.RunAsync("watermark", "embed", "--in", WriteImage("in.png", ImageFileFormat.Png), "--out", marked, "--key", key, "--payload", "0x0123456789abcdef");
        var webp = Path.Combine(_dir, "shared.webp");
        await File.WriteAllBytesAsync(webp, ImageCodec.Encode(ImageCodec.Decode(await File.ReadAllBytesAsync(marked)), ImageFileFormat.Webp, quality: 80));

        var extract = await CliRunner.RunAsync("watermark", "extract", "--in", webp, "--key", key);

        Assert.Equal((0, ""), (extract.ExitCode, extract.Error));
        Assert.Contains("payload 0x0123456789abcdef", extract.Output);
    }

    [Fact]
    public async Task Hash_Webp_PrintsContentAssetAndPerceptualHash()
    {
        var result = await CliRunner.RunAsync("hash", WriteImage("in.webp", ImageFileFormat.Webp));

        Assert.Equal((0, ""), (result.ExitCode, result.Error));
        Assert.Matches("perceptual +0x[0-9a-f]{64}", result.Output);
        Assert.Matches("asset +0x[0-9a-f]{64} \\(no manifest store", result.Output);
    }

    [Theory]
    [InlineData("truncated-webp", "truncated")]
    [InlineData("animated-webp", "animated WebP")]
    [InlineData("lying-webp", "running past the end of the RIFF container")]
    public async Task HashAndExtract_BadWebp_ExitOneNamingTheProblem(string kind, string problem)
    {
        var input = BadInput(kind);

        var hash = await CliRunner.RunAsync("hash", input);
        var extract = await CliRunner.RunAsync("watermark", "extract", "--in", input, "--key", "0x" + new string('7', 64));

        Assert.Equal(1, hash.ExitCode);
        Assert.Contains(problem, hash.Error, StringComparison.Ordinal);
        Assert.Equal(1, extract.ExitCode);
        Assert.StartsWith("watermark extract: ", extract.Error, StringComparison.Ordinal);
        Assert.Contains(problem, extract.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_Image_PrintsItsPdqInTheReferenceFormWithItsQuality()
    {
        var path = WriteImage("pdq.png", ImageFileFormat.Png);
        var flat = Path.Combine(_dir, "flat.png");
        await File.WriteAllBytesAsync(flat, ImageCodec.Encode(RgbImage.Create(64, 64), ImageFileFormat.Png));

        var result = await CliRunner.RunAsync("hash", path);
        var flatResult = await CliRunner.RunAsync("hash", flat);

        Assert.Equal(0, result.ExitCode);
        var expected = PdqHasher.Compute(await File.ReadAllBytesAsync(path));
        Assert.Contains($"pdq         {expected.Hash}", result.Output, StringComparison.Ordinal);
        Assert.Matches("pdq +[0-9a-f]{64}\\n", result.Output.ReplaceLineEndings("\n"));
        Assert.Contains($"pdq quality {expected.Quality}", result.Output, StringComparison.Ordinal);
        Assert.Contains("pdq quality 0 (below 50: the ledger does not match it)", flatResult.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_TruncatedImage_ExitsOneNamingTheProblem()
    {
        var result = await CliRunner.RunAsync("hash", "--in", BadInput("truncated"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("truncated", result.Error);
    }

    /// <summary>Embeds into a fresh PNG with a fixed key (the payload is what these tests vary).</summary>
    private Task<(int ExitCode, string Output, string Error)> EmbedAsync(params string[] payloadArguments) =>
        CliRunner.RunAsync(["watermark", "embed", "--in", WriteImage("in.png", ImageFileFormat.Png), "--out", Path.Combine(_dir, "out.png"),
            "--key", "0x" + new string('7', 64), .. payloadArguments]);

    private string WriteImage(string name, ImageFileFormat format)
    {
        var image = RgbImage.Create(320, 240);
        var random = new Random(7);
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var i = 3 * ((y * image.Width) + x);
                image.Pixels[i] = (byte)((x * 255 / image.Width) ^ random.Next(32));
                image.Pixels[i + 1] = (byte)(y * 255 / image.Height);
                image.Pixels[i + 2] = (byte)(((x / 20) + (y / 20)) % 2 == 0 ? 200 : 60);
            }
        }

        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, ImageCodec.Encode(image, format));
        return path;
    }

    private string BadInput(string kind)
    {
        var path = Path.Combine(_dir, "bad-" + kind);
        switch (kind)
        {
            case "missing":
                return path;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "text":
                File.WriteAllText(path, "this is not an image");
                break;
            case "truncated":
                var png = File.ReadAllBytes(WriteImage("whole.png", ImageFileFormat.Png));
                File.WriteAllBytes(path, png[..(png.Length / 2)]);
                break;
            case "truncated-webp":
                var webp = File.ReadAllBytes(WriteImage("whole.webp", ImageFileFormat.Webp));
                File.WriteAllBytes(path, webp[..(webp.Length / 2)]);
                break;
            case "animated-webp":
                // The extended header with its animation flag set (bit 1), in front of a still picture's chunks.
                var still = File.ReadAllBytes(WriteImage("still.webp", ImageFileFormat.Webp));
                byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0x02, 0, 0, 0, 0x3F, 0x01, 0x00, 0xEF, 0x00, 0x00];
                byte[] animated = [.. still.AsSpan(0, 12), .. vp8x, .. still.AsSpan(12)];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(animated.AsSpan(4), (uint)(animated.Length - 8));
                File.WriteAllBytes(path, animated);
                break;
            case "lying-webp":
                var lying = File.ReadAllBytes(WriteImage("lying.webp", ImageFileFormat.Webp));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(16), 0x7FFF_FFF0); // the VP8 chunk's size
                File.WriteAllBytes(path, lying);
                break;
            case "tiny":
                File.WriteAllBytes(path, ImageCodec.Encode(RgbImage.Create(32, 32), ImageFileFormat.Png));
                break;
        }

        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
