using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance edge generate image --input FILE --strength S --parent DIGEST</c>: an image-to-image generation on a
/// real node's data folder, and every bad option refused with a message before the node is opened.
/// </summary>
public sealed class EdgeGenerateImageCommandTests(EdgeCliNode node) : IClassFixture<EdgeCliNode>
{
    private const string ZeroDigest = "0x0000000000000000000000000000000000000000000000000000000000000000";

    [Fact]
    public async Task GenerateImage_FromTheNodesJpegWithItsRecordAsParent_FollowsTheInputAndNamesTheParent()
    {
        var child = node.File("child.png");
        var parent = node.JpegRecord.ToString();

        var result = await node.RunGenerateAsync(node.DataDirectory,
            "--out", child, "--seed", EdgeCliNode.PngSeed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--input", node.Jpeg, "--strength", "0.3", "--parent", parent);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"derived from record {parent}", result.Output, StringComparison.Ordinal);
        using var record = EdgeCliNode.RecordFile(child);
        var signed = record.RootElement.GetProperty("record");
        // Every picture's record is version 3 (its signed PDQ beside the parent), an image-to-image result's with the parent set.
        Assert.Equal(3, signed.GetProperty("record").GetProperty("version").GetInt32());
        Assert.Equal(parent, signed.GetProperty("extensionsV3").GetProperty("parentRecord").GetString());
        Assert.Equal(0.3, record.RootElement.GetProperty("derivation").GetProperty("strength").GetDouble());
        // Same prompt and seed as the plain PNG: the only difference is the input, and the output follows it.
        var output = ImageCodec.Decode(await File.ReadAllBytesAsync(child));
        var plain = ImageCodec.Decode(await File.ReadAllBytesAsync(node.Png));
        var input = ImageCodec.Decode(await File.ReadAllBytesAsync(node.Jpeg));
        var fromPlain = MeanAbsoluteDifference(output, plain);
        var fromInput = MeanAbsoluteDifference(output, input);
        Assert.True(fromPlain > 8 && fromInput < fromPlain, $"mean difference from the plain generation {fromPlain:0.0}, from the input {fromInput:0.0}");
    }

    [Fact]
    public async Task GenerateImage_MissingInputFile_ExitsOneNamingItBeforeOpeningTheNode()
    {
        var missing = node.File("absent.png");

        await AssertRefusedAsync($"No file at '{missing}'", "--input", missing);
    }

    [Fact]
    public async Task GenerateImage_InputNotAnImage_ExitsOneSayingSoBeforeOpeningTheNode()
    {
        var text = node.File("notes.txt");
        await File.WriteAllTextAsync(text, "not a picture at all");

        await AssertRefusedAsync("--input notes.txt is not a PNG, JPEG or WebP picture", "--input", text);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("NaN")]
    public async Task GenerateImage_StrengthOutOfRange_ExitsOneGivingTheRange(string strength)
    {
        await AssertRefusedAsync("--strength must be 0 (keep the input) to 1 (ignore it)", "--input", node.Png, "--strength", strength);
    }

    [Fact]
    public async Task GenerateImage_StrengthNotANumber_ExitsNonZeroNamingTheOption()
    {
        var dataDirectory = node.File("never-opened-" + Guid.NewGuid().ToString("N"));

        var result = await node.RunGenerateAsync(dataDirectory, "--out", node.File("never.png"), "--input", node.Png, "--strength", "strong");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'strong'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--strength", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0xzz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("a record")]
    [InlineData(ZeroDigest)]
    public async Task GenerateImage_MalformedParent_ExitsOneSayingWhatADigestIs(string parent)
    {
        await AssertRefusedAsync($"--parent '{parent}' is not a record digest (0x and 64 hex digits, not zero)", "--input", node.Png, "--parent", parent);
    }

    [Theory]
    [InlineData("--strength", "0.5", "--strength needs --input")]
    [InlineData("--parent", ZeroDigest, "--parent needs --input")]
    public async Task GenerateImage_DerivationOptionWithoutInput_ExitsOneAskingForTheInput(string option, string value, string message)
    {
        await AssertRefusedAsync(message, option, value);
    }

    [Fact]
    public async Task GenerateImage_UnknownFormat_ExitsNonZeroListingTheFormats()
    {
        var dataDirectory = node.File("never-opened-" + Guid.NewGuid().ToString("N"));

        var result = await node.RunGenerateAsync(dataDirectory, "--out", node.File("never.gif"), "--format", "gif");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("'gif'", result.Error, StringComparison.Ordinal);
        Assert.Contains("jpeg", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory));
    }

    // Every refusal happens before the node opens: a fresh data folder is never created, and nothing is written.
    private async Task AssertRefusedAsync(string message, params string[] options)
    {
        var dataDirectory = node.File("never-opened-" + Guid.NewGuid().ToString("N"));
        var output = node.File("never.png");

        var result = await node.RunGenerateAsync(dataDirectory, ["--out", output, .. options]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("edge generate image: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dataDirectory), "the node was opened: its data folder exists");
        Assert.False(File.Exists(output));
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
        {
            sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        }

        return (double)sum / a.Pixels.Length;
    }
}
