using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.Tests.FineTuning;

public sealed class TextFineTunerDeterminismTests
{
    // Short runs: determinism does not need a good model.
    private static readonly FineTuneSettings Short = new() { Steps = 12, BatchSize = 16 };

    [Fact]
    public void Run_SameInputsTwice_GivesSameBytesAndLosses()
    {
        var first = Run(Short);
        var second = Run(Short);

        Assert.Equal(first.Onnx, second.Onnx);
        Assert.Equal(first.Manifest.ToJson(), second.Manifest.ToJson());
        Assert.Equal(first.HeldOutLossBefore, second.HeldOutLossBefore);
        Assert.Equal(first.HeldOutLossAfter, second.HeldOutLossAfter);
    }

    public static TheoryData<string, FineTuneSettings> ChangedSettings => new()
    {
        { "seed", Short with { Seed = 2 } },
        { "steps", Short with { Steps = 13 } },
        { "batch", Short with { BatchSize = 18 } },
        { "learning rate", Short with { LearningRate = 0.002 } },
        { "held-out share", Short with { HeldOutShare = 0.2 } },
    };

    [Theory]
    [MemberData(nameof(ChangedSettings))]
    public void Run_OneSettingChanged_GivesDifferentWeights(string setting, FineTuneSettings changed)
    {
        var reference = Run(Short);
        var other = Run(changed);

        Assert.False(SameWeights(reference, other), $"changing the {setting} left the weights as they were");
    }

    [Fact]
    public void Run_OtherIdentity_GivesSameWeightsButDifferentBytes()
    {
        var reference = Run(Short);
        var other = TextFineTuner.Run(RepositoryPaths.TextModel, CreatorSample.Examples, Short, CreatorSample.Identity() with { Owner = "0x3333333333333333333333333333333333333333" }, null, CancellationToken.None);

        Assert.True(SameWeights(reference, other));
        Assert.NotEqual(reference.Onnx, other.Onnx);
        Assert.NotEqual(reference.Manifest.Sha256, other.Manifest.Sha256);
    }

    [Fact]
    public void Run_OneExampleChanged_GivesDifferentBytes()
    {
        var examples = CreatorSample.Examples.ToArray();
        examples[0] = examples[0].Replace("France", "Spain", StringComparison.Ordinal);

        var reference = Run(Short);
        var other = TextFineTuner.Run(RepositoryPaths.TextModel, examples, Short, CreatorSample.Identity(), null, CancellationToken.None);

        Assert.NotEqual(reference.Onnx, other.Onnx);
    }

    private static FineTuneOutcome Run(FineTuneSettings settings) =>
        TextFineTuner.Run(RepositoryPaths.TextModel, CreatorSample.Examples, settings, CreatorSample.Identity(), null, CancellationToken.None);

    private static bool SameWeights(FineTuneOutcome a, FineTuneOutcome b)
    {
        var x = CharMlpOnnxReader.Read(a.Onnx).Model.Parameters;
        var y = CharMlpOnnxReader.Read(b.Onnx).Model.Parameters;
        return x.Zip(y).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }
}
