using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Generation.Tests;

public sealed class TextGeneratorTests
{
    private static readonly WatermarkKey Key = WatermarkKey.FromBytes(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void LoadDirectory_ShippedTextModel_ReportsSha256OfTheFile()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);

        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.TextModel, "model.onnx"));
        Assert.Equal(Bytes32.Sha256(bytes), model.Sha256);
        Assert.Equal(model.Manifest!.Sha256, model.Sha256.ToString());
        Assert.True(model.SizeBytes < 10 * 1024 * 1024);
    }

    [Fact]
    public void Generate_ShippedModelSameSeed_GivesSameText()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);
        var generator = new TextGenerator(model);
        var options = TextGenerationOptions.FromManifest(model.Manifest, seed: 42) with { MaxNewTokens = 80 };

        var first = generator.Generate("And the LORD", options);
        var second = generator.Generate("And the LORD", options);
        var other = generator.Generate("And the LORD", options with { Seed = 43 });

        Assert.Equal(80, first.Tokens.Count);
        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, other.Text);
        Assert.Matches("[a-z]", first.Text);
    }

    [Fact]
    public void Generate_ShippedModelEmptyPrompt_StartsFromBeginToken()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);
        var generator = new TextGenerator(model);

        var result = generator.Generate(string.Empty, TextGenerationOptions.FromManifest(model.Manifest, seed: 1) with { MaxNewTokens = 30 });

        Assert.Equal(30, result.Tokens.Count);
        Assert.DoesNotContain(0, result.Tokens);
    }

    [Fact]
    public void Generate_ShippedModelWithWatermark_IsDetectedAndPlainIsNot()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);
        var generator = new TextGenerator(model);
        var watermark = new TextWatermark(Key);
        var options = TextGenerationOptions.FromManifest(model.Manifest, seed: 5) with { MaxNewTokens = 200 };
        var vocabulary = generator.VocabularySize!.Value;

        var marked = generator.Generate("In the beginning", options, watermark.Bias);
        var plain = generator.Generate("In the beginning", options);

        var markedScore = watermark.Detect([.. marked.Tokens], vocabulary);
        var plainScore = watermark.Detect([.. plain.Tokens], vocabulary);
        var wrongKeyScore = new TextWatermark(WatermarkKey.Generate()).Detect([.. marked.Tokens], vocabulary);
        Assert.True(markedScore.IsWatermarked, $"watermarked z = {markedScore.ZScore:F2}");
        Assert.False(plainScore.IsWatermarked, $"plain z = {plainScore.ZScore:F2}");
        Assert.False(wrongKeyScore.IsWatermarked, $"wrong key z = {wrongKeyScore.ZScore:F2}");
    }

    [Fact]
    public void Generate_OnTheFlyWordModelWithAttentionMask_FollowsItsBigrams()
    {
        using var folder = new TemporaryFolder();
        TinyWordModel.WriteTo(folder.Path);
        using var model = OnnxModel.LoadDirectory(folder.Path);
        var generator = new TextGenerator(model);

        var greedy = generator.Generate(string.Empty, new TextGenerationOptions { Temperature = 0, MaxNewTokens = 4 });
        var toEnd = generator.Generate("the mat", new TextGenerationOptions { Temperature = 0, MaxNewTokens = 10 });
        var sampled = generator.Generate("the", TextGenerationOptions.FromManifest(model.Manifest, seed: 3));

        Assert.Equal("the cat sat on", greedy.Text);
        Assert.Equal(".", toEnd.Text);
        Assert.Equal(2, toEnd.Tokens.Count);
        Assert.Equal(9, generator.VocabularySize);
        Assert.All(sampled.Tokens, t => Assert.InRange(t, 0, 8));
    }

    [Fact]
    public void GenerateTokens_BareGraphWithoutManifest_RunsOnTokenIds()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "bigram.onnx");
        File.WriteAllBytes(path, TinyWordModel.OnnxBytes());
        using var model = OnnxModel.Load(path);
        var generator = new TextGenerator(model);

        var tokens = generator.GenerateTokens([3], new TextGenerationOptions { Temperature = 0, MaxNewTokens = 3 });

        Assert.Null(generator.Tokenizer);
        Assert.Equal([4, 5, 6], tokens);
        Assert.Throws<InvalidOperationException>(() => generator.Generate("the", new TextGenerationOptions()));
        Assert.Throws<ArgumentException>(() => generator.GenerateTokens([], new TextGenerationOptions()));
    }

    [Theory]
    [InlineData(0, 1.0, 0, 1.0, "MaxNewTokens")]
    [InlineData(200_000, 1.0, 0, 1.0, "MaxNewTokens")]
    [InlineData(10, -1.0, 0, 1.0, "Temperature")]
    [InlineData(10, double.NaN, 0, 1.0, "Temperature")]
    [InlineData(10, 1.0, -1, 1.0, "TopK")]
    [InlineData(10, 1.0, 0, 0.0, "TopP")]
    [InlineData(10, 1.0, 0, 1.5, "TopP")]
    public void Generate_BadOption_ThrowsArgumentOutOfRangeNamingIt(int maxNewTokens, double temperature, int topK, double topP, string parameter)
    {
        using var folder = new TemporaryFolder();
        TinyWordModel.WriteTo(folder.Path);
        using var model = OnnxModel.LoadDirectory(folder.Path);
        var generator = new TextGenerator(model);
        var options = new TextGenerationOptions { MaxNewTokens = maxNewTokens, Temperature = temperature, TopK = topK, TopP = topP };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate("the", options));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void GenerateTokens_PromptTokenOutsideVocabulary_ThrowsArgumentOutOfRange()
    {
        using var folder = new TemporaryFolder();
        TinyWordModel.WriteTo(folder.Path);
        using var model = OnnxModel.LoadDirectory(folder.Path);

        Assert.Throws<ArgumentOutOfRangeException>(() => new TextGenerator(model).GenerateTokens([3, 99], new TextGenerationOptions()));
    }

    [Fact]
    public void Constructor_ImageModel_ThrowsInvalidModel()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);

        var error = Assert.Throws<InvalidModelException>(() => new TextGenerator(model));

        Assert.Contains("input_ids", error.Message);
    }
}
