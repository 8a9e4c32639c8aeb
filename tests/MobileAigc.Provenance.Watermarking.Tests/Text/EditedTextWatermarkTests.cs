using System.Security.Cryptography;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.ModelDescriptions.Tokenization;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Testing.Text;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

/// <summary>
/// Issue 17's edits on the shipped model's watermarked generations of 200 tokens, at the issue's threshold (exact
/// p-value × 100 node keys at most 1e-6): a CI-sized sample of the benchmark (docs/benchmarks/text-watermark-edits.md),
/// with its attack definitions (<see cref="WordEdits"/>) and words drawn from a shipped sample of the same list.
/// </summary>
public sealed class EditedTextWatermarkTests
{
    private const int Texts = 8;

    /// <summary>ln(1e-6 / 100): the raw p-value a text needs to be traced among 100 keys at a false-positive rate of 1e-6.</summary>
    private static readonly double LogThreshold = Math.Log(1e-6) - Math.Log(100);

    private static readonly TextWatermark Watermark = new(WatermarkKey.FromBytes(SHA256.HashData("edited text watermark test key"u8)));

    private static readonly WordEdits Edits = WordEdits.Load(RepositoryPaths.WordListSample);

    /// <summary>Generated once for every test: (watermarked, unwatermarked) texts of the same prompts and seeds.</summary>
    private static readonly Lazy<(string Marked, string Plain)[]> Generations = new(Generate);

    private static readonly TextTokenizer Tokenizer =
        TextTokenizer.FromDescription(ModelManifest.Load(Path.Combine(RepositoryPaths.TextModel, "manifest.json")).Text!.Tokenizer);

    public static TheoryData<string> Attacks => ["replace 25 %", "delete 10 %", "insert 10 %"];

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Detect_WatermarkedGenerationEditedAsInIssue17_IsTracedAmongAHundredKeys(string attack)
    {
        var detections = Generations.Value.Select((g, i) => Detect(Edit(attack, g.Marked, i))).ToList();

        Assert.All(detections, d => Assert.True(
            d.Verdict != TextWatermarkVerdict.TooShortToTell && d.LogPValue <= LogThreshold,
            $"{attack}: {d.GreenTokens}/{d.ScoredTokens} green, p = {d.PValue:0.##e+0} (needs <= 1e-8)"));
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Detect_UnwatermarkedGenerationWithTheSameEdits_IsNotTraced(string attack)
    {
        var detections = Generations.Value.Select((g, i) => Detect(Edit(attack, g.Plain, i))).ToList();

        // Not at the issue's threshold, nor at the single-key rate the detector's verdict uses.
        Assert.All(detections, d => Assert.True(d.LogPValue > LogThreshold, $"{attack}: p = {d.PValue:0.##e+0}"));
        Assert.All(detections, d => Assert.False(d.IsWatermarked, $"{attack}: p = {d.PValue:0.##e+0}"));
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void Edit_EveryGeneration_ChangesTheText(string attack)
    {
        // The attacks above must really edit: a no-op would make the detection test pass for nothing.
        Assert.All(Generations.Value.Select((g, i) => (g.Marked, Edited: Edit(attack, g.Marked, i))), p => Assert.NotEqual(p.Marked, p.Edited));
    }

    private static string Edit(string attack, string text, int index)
    {
        var random = new Random(index);
        return attack switch
        {
            "replace 25 %" => Edits.Replace(text, 0.25, random),
            "delete 10 %" => Edits.Delete(text, 0.10, random),
            "insert 10 %" => Edits.Insert(text, 0.10, random),
            _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, "Unknown attack."),
        };
    }

    private static TextWatermarkDetection Detect(string text) =>
        Watermark.Detect(Tokenizer.Encode(text), Tokenizer.VocabularySize);

    private static (string Marked, string Plain)[] Generate()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);
        var generator = new TextGenerator(model);
        var sampling = TextGenerationOptions.FromManifest(model.Manifest) with { MaxNewTokens = 200 };
        string[] prompts = ["In the beginning ", "And the LORD ", "Blessed is the ", "Then said Jesus "];
        return [.. Enumerable.Range(0, Texts).Select(i =>
        {
            var prompt = prompts[i % prompts.Length];
            var seeded = sampling with { Seed = (ulong)(700 + i) };
            return (generator.Generate(prompt, seeded, Watermark.Bias).Text, generator.Generate(prompt, seeded).Text);
        })];
    }
}
