using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.Training.Tests.FineTuning;

public sealed class TextFineTunerInputTests
{
    private static readonly FineTuneSettings Short = new() { Steps = 4, BatchSize = 8 };

    public static TheoryData<string, string[], string> BadExamples => new()
    {
        { "none", [], "No examples" },
        { "blank", ["          "], "Example 1 is 0 characters long" },
        { "too short", [string.Concat(CreatorSample.Examples), "Hi there"[..5]], "Example 2 is 5 characters long" },
        { "unknown script", [string.Concat(Enumerable.Repeat("这是一个用中文写的例子，基础模型不认识这些字。", 60))], "characters the base model knows" },
        { "digits only", [string.Concat(Enumerable.Repeat("0123456789 ", 200))], "characters the base model knows" },
        { "too little", ["A short note that is long enough to be an example but far too short to hold any out."], "too little" },
    };

    [Theory]
    [MemberData(nameof(BadExamples))]
    public void Run_UnusableExamples_ThrowsFineTuneInputExceptionSayingWhy(string _, string[] examples, string message)
    {
        var e = Assert.Throws<FineTuneInputException>(() => Run(examples, Short));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NullExample_ThrowsFineTuneInputException()
    {
        var e = Assert.Throws<FineTuneInputException>(() => Run([CreatorSample.Examples[0], null!], Short));

        Assert.Contains("Example 2 is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MoreThanTheLimit_ThrowsFineTuneInputException()
    {
        var huge = new string('a', (TextFineTuner.MaxTotalCharacters / 2) + 1);

        var e = Assert.Throws<FineTuneInputException>(() => Run([huge, huge], Short));

        Assert.Contains("more than", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, FineTuneSettings> BadSettings => new()
    {
        { "Steps", Short with { Steps = 0 } },
        { "Steps", Short with { Steps = FineTuneSettings.MaxSteps + 1 } },
        { "batch size", Short with { BatchSize = 0 } },
        { "batch size", Short with { BatchSize = 7 } },
        { "batch size", Short with { BatchSize = FineTuneSettings.MaxBatchSize + 2 } },
        { "learning rate", Short with { LearningRate = 0 } },
        { "learning rate", Short with { LearningRate = double.NaN } },
        { "learning rate", Short with { LearningRate = 2 } },
        { "held-out share", Short with { HeldOutShare = 0 } },
        { "held-out share", Short with { HeldOutShare = 0.9 } },
        { "held-out share", Short with { HeldOutShare = double.PositiveInfinity } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Run_SettingOutOfRange_ThrowsFineTuneInputExceptionNamingIt(string setting, FineTuneSettings settings)
    {
        var e = Assert.Throws<FineTuneInputException>(() => Run(CreatorSample.Examples, settings));

        Assert.Contains(setting, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, DerivativeIdentity> BadIdentities => new()
    {
        { "name", CreatorSample.Identity() with { Name = " " } },
        { "name", CreatorSample.Identity() with { Name = "line\nbreak" } },
        { "name", CreatorSample.Identity() with { Name = new string('n', 101) } },
        { "owner", CreatorSample.Identity() with { Owner = "" } },
        { "fine-tuner", CreatorSample.Identity() with { FineTunedBy = null! } },
        { "parent's SHA-256", CreatorSample.Identity() with { ParentSha256 = "583ea2" } },
        { "base model's file has SHA-256", CreatorSample.Identity() with { ParentSha256 = "0x" + new string('0', 64) } },
        { "commitment", CreatorSample.Identity() with { TrainingDataCommitment = "0x1234" } },
    };

    [Theory]
    [MemberData(nameof(BadIdentities))]
    public void Run_BadIdentity_ThrowsFineTuneInputExceptionNamingTheField(string field, DerivativeIdentity identity)
    {
        var e = Assert.Throws<FineTuneInputException>(() =>
            TextFineTuner.Run(RepositoryPaths.TextModel, CreatorSample.Examples, Short, identity, null, CancellationToken.None));

        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ParentHashInUpperCase_IsAccepted()
    {
        var identity = CreatorSample.Identity() with { ParentSha256 = "0x" + CreatorSample.ParentSha256[2..].ToUpperInvariant() };

        var outcome = TextFineTuner.Run(RepositoryPaths.TextModel, CreatorSample.Examples, Short, identity, null, CancellationToken.None);

        Assert.Equal(CreatorSample.ParentSha256, outcome.Manifest.Provenance!["parentSha256"]);
    }

    [Fact]
    public void Run_ImageModelAsBase_ThrowsInvalidModelException()
    {
        var e = Assert.Throws<InvalidModelException>(() =>
            TextFineTuner.Run(RepositoryPaths.ImageModel, CreatorSample.Examples, Short, CreatorSample.Identity(), null, CancellationToken.None));

        Assert.Contains("not a text model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingBaseFolder_ThrowsDirectoryNotFoundException()
    {
        using var folder = new TemporaryFolder();

        Assert.Throws<DirectoryNotFoundException>(() =>
            TextFineTuner.Run(Path.Combine(folder.Path, "nothing"), CreatorSample.Examples, Short, CreatorSample.Identity(), null, CancellationToken.None));
    }

    [Fact]
    public void Run_BaseModelFileTamperedWith_ThrowsInvalidModelException()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName), Path.Combine(folder.Path, ModelManifest.FileName));
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.TextModel, "model.onnx"));
        bytes[^100] ^= 1;
        File.WriteAllBytes(Path.Combine(folder.Path, "model.onnx"), bytes);

        var e = Assert.Throws<InvalidModelException>(() =>
            TextFineTuner.Run(folder.Path, CreatorSample.Examples, Short, CreatorSample.Identity(), null, CancellationToken.None));

        Assert.Contains("but the manifest pins", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CancelledBeforeStart_ThrowsOperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            TextFineTuner.Run(RepositoryPaths.TextModel, CreatorSample.Examples, Short, CreatorSample.Identity(), null, cancellation.Token));
    }

    [Fact]
    public void Run_CancelledDuringTraining_StopsAtTheNextStep()
    {
        using var cancellation = new CancellationTokenSource();
        var lastStep = 0;
        var progress = new CallbackProgress(p =>
        {
            lastStep = p.Step;
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            TextFineTuner.Run(RepositoryPaths.TextModel, CreatorSample.Examples, new FineTuneSettings { Steps = 10_000, BatchSize = 8 }, CreatorSample.Identity(), progress, cancellation.Token));
        Assert.Equal(3, lastStep);
    }

    private static FineTuneOutcome Run(IReadOnlyList<string> examples, FineTuneSettings settings) =>
        TextFineTuner.Run(RepositoryPaths.TextModel, examples, settings, CreatorSample.Identity(), null, CancellationToken.None);

    private sealed class CallbackProgress(Action<FineTuneProgress> report) : IProgress<FineTuneProgress>
    {
        public void Report(FineTuneProgress value) => report(value);
    }
}
