using System.Security.Cryptography;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Text;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Training.Tests.FineTuning;

public sealed class TextFineTunerTests(FineTunedSampleFixture fixture, ITestOutputHelper output) : IClassFixture<FineTunedSampleFixture>
{
    [Fact]
    public void Run_DefaultsOnCreatorSample_LowersHeldOutLossByAFifth()
    {
        var outcome = fixture.Outcome;
        output.WriteLine($"held-out loss {outcome.HeldOutLossBefore:F4} -> {outcome.HeldOutLossAfter:F4} ({outcome.HeldOutLossDrop:P1}) in {outcome.Elapsed.TotalSeconds:F1} s");

        Assert.True(outcome.HeldOutLossDrop >= 0.20, $"The held-out loss fell by {outcome.HeldOutLossDrop:P1} ({outcome.HeldOutLossBefore:F4} -> {outcome.HeldOutLossAfter:F4}).");
        Assert.Equal(new FineTuneSettings().Steps, outcome.Steps);
    }

    [Fact]
    public void Run_DefaultsOnCreatorSample_GivesThePinnedDerivative()
    {
        // The file docs/benchmarks/fine-tuning.md reports (Release build): the same on every run and build on this
        // project's kind of machine (x64, AVX2, .NET 10; docs/models.md says why another may differ).
        Assert.Equal("0x9c3f8be068f3364a77d3179e6eea75ef5b0ac1c6089f56df847777fccc73edab", fixture.Outcome.Manifest.Sha256);
    }

    [Fact]
    public void Run_Defaults_ReportsEveryStepInOrderWithAFiniteLoss()
    {
        var steps = new FineTuneSettings().Steps;

        Assert.Equal(Enumerable.Range(0, steps + 1), fixture.Reports.Select(r => r.Step));
        Assert.All(fixture.Reports, r => Assert.Equal(steps, r.Steps));
        Assert.Null(fixture.Reports[0].RecentTrainLoss);
        Assert.All(fixture.Reports.Skip(1), r => Assert.True(r.RecentTrainLoss is > 0 and < 10, $"step {r.Step}: {r.RecentTrainLoss}"));
    }

    [Fact]
    public void Run_Outcome_LoadsThroughOnnxModelAndGenerates()
    {
        using var folder = new TemporaryFolder();
        fixture.Outcome.WriteTo(folder.Path);

        using var model = OnnxModel.LoadDirectory(folder.Path);
        var result = new TextGenerator(model).Generate("The ", TextGenerationOptions.FromManifest(model.Manifest, seed: 3));

        Assert.Equal(fixture.Outcome.Manifest.Sha256, model.Sha256.ToString());
        Assert.Equal("factbook-style", model.Manifest!.Name);
        Assert.True(result.Tokens.Count == model.Manifest.Text!.Defaults.MaxNewTokens, $"generated {result.Tokens.Count} tokens");
        Assert.False(string.IsNullOrWhiteSpace(result.Text));
        output.WriteLine(result.Text);
    }

    [Fact]
    public void Run_Outcome_FileAndManifestCommitToTheIdentityButNotTheTexts()
    {
        var outcome = fixture.Outcome;
        var identity = CreatorSample.Identity();
        var file = CharMlpOnnxReader.Read(outcome.Onnx);
        var metadata = file.Metadata.ToDictionary(e => e.Key, e => e.Value);

        Assert.Equal("0x" + Convert.ToHexStringLower(SHA256.HashData(outcome.Onnx)), outcome.Manifest.Sha256);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["name"] = identity.Name,
            ["parentSha256"] = identity.ParentSha256,
            ["trainingDataCommitment"] = identity.TrainingDataCommitment,
            ["owner"] = identity.Owner,
            ["fineTunedBy"] = identity.FineTunedBy,
            ["fineTuning"] = new FineTuneSettings().ToString(),
        })
        {
            Assert.Equal(value, metadata["mobileaigc.derivative." + key]);
            Assert.Equal(value, outcome.Manifest.Provenance![key]);
        }

        // No ten-character run of any example is in the file or the manifest.
        var manifestJson = outcome.Manifest.ToJson();
        var fileText = System.Text.Encoding.UTF8.GetString(outcome.Onnx);
        foreach (var example in CreatorSample.Examples)
        {
            for (var i = 0; i + 10 <= example.Length; i += 37)
            {
                Assert.DoesNotContain(example.Substring(i, 10), manifestJson, StringComparison.Ordinal);
                Assert.DoesNotContain(example.Substring(i, 10), fileText, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Run_Outcome_KeepsTheParentsSignatureTokenizerAndDefaults()
    {
        var parent = ModelManifest.Load(Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName));
        var derivative = fixture.Outcome.Manifest;

        Assert.Equal(parent.Text!.Tokenizer.Vocabulary, derivative.Text!.Tokenizer.Vocabulary);
        Assert.Equal(parent.Text.ContextLength, derivative.Text.ContextLength);
        Assert.Equal(parent.Text.Defaults, derivative.Text.Defaults);
        Assert.Equal(parent.Inputs.Select(i => i.Name), derivative.Inputs.Select(i => i.Name));
        Assert.Equal(ModelKind.Text, derivative.Kind);
    }

    [Fact]
    public void Run_Outcome_GeneratesTextCloserToTheExamplesThanTheBaseModel()
    {
        using var folder = new TemporaryFolder();
        fixture.Outcome.WriteTo(folder.Path);
        using var derivative = OnnxModel.LoadDirectory(folder.Path);
        using var parent = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);
        var measure = new CharacterBigramDivergence(CreatorSample.Examples);

        var baseDivergence = measure.From(Generations(parent));
        var derivativeDivergence = measure.From(Generations(derivative));
        output.WriteLine($"character-bigram Jensen-Shannon divergence from the examples: base {baseDivergence:F4} bits, derivative {derivativeDivergence:F4} bits");

        Assert.True(derivativeDivergence <= baseDivergence * 0.8, $"base {baseDivergence:F4}, derivative {derivativeDivergence:F4}");
    }

    private static string Generations(OnnxModel model)
    {
        var generator = new TextGenerator(model);
        return string.Join('\n', Enumerable.Range(1, 5).Select(seed =>
            generator.Generate("The ", TextGenerationOptions.FromManifest(model.Manifest, (ulong)seed) with { MaxNewTokens = 300 }).Text));
    }
}
