using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Image;
using Onnx;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Training.Tests.ImageFineTuning;

public sealed class ImageFineTunerTests(SepiaFineTuning tuning, ITestOutputHelper output) : IClassFixture<SepiaFineTuning>
{
    private static readonly FineTuneSettings Short = new() { Steps = 20 };

    [Fact]
    public void Run_SepiaExamples_HeldOutLossFallsByAFifth()
    {
        var outcome = tuning.Outcome;

        output.WriteLine($"held-out {outcome.HeldOutLossBefore:F5} -> {outcome.HeldOutLossAfter:F5} in {outcome.Elapsed}");
        Assert.Equal(ImageFineTuner.DefaultSteps, outcome.Steps);
        Assert.True(outcome.HeldOutLossBefore > 0);
        Assert.True(outcome.HeldOutLossAfter <= 0.8 * outcome.HeldOutLossBefore, $"held-out {outcome.HeldOutLossBefore} -> {outcome.HeldOutLossAfter}");
    }

    [Fact]
    public void Run_Result_LoadsAndGeneratesPicturesCloserToTheExamples()
    {
        using var folder = new TemporaryFolder();
        using var tuned = OnnxModel.LoadDirectory(SepiaFineTuning.WriteFolder(tuning.Outcome, folder.Path));
        using var shipped = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        var examples = SepiaExamples.Six.Select(file => ImageCodec.Decode(file)).ToList();
        ImageGenerationOptions[] requests = [.. Enumerable.Range(1, 4).Select(seed => new ImageGenerationOptions { Seed = (ulong)seed, Width = 128, Height = 128, Prompt = seed % 2 == 0 ? "a quiet harbour" : null })];

        var before = requests.Select(new ImageGenerator(shipped).Generate).ToList();
        var after = requests.Select(new ImageGenerator(tuned).Generate).ToList();

        var histogramBefore = PaletteDistance.Histogram(before, examples);
        var histogramAfter = PaletteDistance.Histogram(after, examples);
        var meanBefore = PaletteDistance.MeanColour(before, examples);
        var meanAfter = PaletteDistance.MeanColour(after, examples);
        var change = before.Zip(after, MeanAbsoluteDifference).Min();
        output.WriteLine($"histogram distance {histogramBefore:F3} -> {histogramAfter:F3}; mean colour distance {meanBefore:F1} -> {meanAfter:F1}; smallest change {change:F1} levels");
        Assert.True(histogramAfter < 0.7 * histogramBefore, $"histogram distance {histogramBefore} -> {histogramAfter}");
        Assert.True(meanAfter < 0.7 * meanBefore, $"mean colour distance {meanBefore} -> {meanAfter}");
        Assert.True(change > 15, $"the same seed changed by only {change} levels");
    }

    [Fact]
    public void Run_ShippedSamplePictures_LearnsTheirPaletteForPicturesItNeverSaw()
    {
        var files = Enumerable.Range(1, 8).Select(i => File.ReadAllBytes(RepositoryPaths.Combine("models", "samples", "images", $"sunset-{i}.jpg"))).ToList();
        var unseen = files.Skip(6).Select(file => ImageCodec.Decode(file)).ToList();

        var outcome = ImageFineTuner.Run(RepositoryPaths.ImageModel, files.Take(6).ToList(), ImageFineTuner.DefaultSettings, SepiaFineTuning.Identity("cppn-image-sunset"), null, CancellationToken.None);

        using var folder = new TemporaryFolder();
        using var tuned = OnnxModel.LoadDirectory(SepiaFineTuning.WriteFolder(outcome, folder.Path));
        using var shipped = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        ImageGenerationOptions[] requests = [.. Enumerable.Range(11, 4).Select(seed => new ImageGenerationOptions { Seed = (ulong)seed, Width = 128, Height = 128 })];
        var before = PaletteDistance.Histogram([.. requests.Select(new ImageGenerator(shipped).Generate)], unseen);
        var after = PaletteDistance.Histogram([.. requests.Select(new ImageGenerator(tuned).Generate)], unseen);
        output.WriteLine($"held-out {outcome.HeldOutLossBefore:F5} -> {outcome.HeldOutLossAfter:F5}; histogram distance to unseen pictures {before:F3} -> {after:F3}");
        Assert.True(outcome.HeldOutLossAfter <= 0.8 * outcome.HeldOutLossBefore, $"held-out {outcome.HeldOutLossBefore} -> {outcome.HeldOutLossAfter}");
        Assert.True(after < 0.8 * before, $"histogram distance {before} -> {after}");
    }

    [Fact]
    public void Run_Result_PinsItsHashAndCarriesTheIdentityInManifestAndOnnxMetadata()
    {
        var outcome = tuning.Outcome;
        var identity = SepiaFineTuning.Identity();

        Assert.Equal(Bytes32.Sha256(outcome.Onnx).ToString(), outcome.Manifest.Sha256);
        Assert.Equal(identity.Name, outcome.Manifest.Name);
        Assert.Equal(identity.ParentSha256, outcome.Manifest.Provenance!["parentSha256"]);
        Assert.Equal(identity.TrainingDataCommitment, outcome.Manifest.Provenance["trainingDataCommitment"]);
        var metadata = ModelProto.Parser.ParseFrom(outcome.Onnx).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(identity.ParentSha256, metadata["mobileaigc.derivative.parentSha256"]);
        Assert.Equal(identity.TrainingDataCommitment, metadata["mobileaigc.derivative.trainingDataCommitment"]);
        Assert.Equal(identity.Owner, metadata["mobileaigc.derivative.owner"]);
        Assert.Equal(identity.FineTunedBy, metadata["mobileaigc.derivative.fineTunedBy"]);
        Assert.Equal(identity.Name, metadata["mobileaigc.derivative.name"]);
        Assert.Equal(ImageFineTuner.DefaultSettings.ToString(), metadata["mobileaigc.derivative.fineTuning"]);
        Assert.Equal(outcome.Manifest.Provenance["fineTuning"], metadata["mobileaigc.derivative.fineTuning"]);
        Assert.True(outcome.HeldOutLossDrop >= 0.2);
    }

    [Fact]
    public void Run_SameInputsTwice_GivesSameBytes()
    {
        var first = ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), null, CancellationToken.None);
        var second = ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), null, CancellationToken.None);

        Assert.Equal(first.Onnx, second.Onnx);
        Assert.Equal(first.HeldOutLossAfter, second.HeldOutLossAfter);
    }

    [Fact]
    public void Run_OtherSeedOrOtherIdentity_GivesOtherBytes()
    {
        var first = ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), null, CancellationToken.None);
        var otherSeed = ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short with { Seed = 2 }, SepiaFineTuning.Identity(), null, CancellationToken.None);
        var otherOwner = ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity() with { Owner = "0x" + new string('d', 40) }, null, CancellationToken.None);

        Assert.NotEqual(first.Onnx, otherSeed.Onnx);
        Assert.NotEqual(first.Onnx, otherOwner.Onnx);
    }

    [Fact]
    public void Run_OnADerivative_TunesItAgainAndTheResultLoads()
    {
        using var folder = new TemporaryFolder();
        var derivative = SepiaFineTuning.WriteFolder(tuning.Outcome, folder.Path);
        var pictures = SepiaExamples.Six.Select(file => ImageCodec.Encode(Inverted(ImageCodec.Decode(file)), ImageFileFormat.Png)).ToList();

        var again = ImageFineTuner.Run(derivative, pictures, Short, SepiaFineTuning.Identity("cppn-image-sepia-2", tuning.Outcome.Manifest.Sha256), null, CancellationToken.None);

        Assert.True(again.HeldOutLossAfter < again.HeldOutLossBefore);
        Assert.Single(ModelProto.Parser.ParseFrom(again.Onnx).Graph.Initializer, t => t.Name == "rgb.bias");
        using var model = OnnxModel.LoadDirectory(SepiaFineTuning.WriteFolder(again, folder.Path));
        Assert.Equal(64 * 64 * 3, new ImageGenerator(model).Generate(new ImageGenerationOptions { Seed = 3, Width = 64, Height = 64 }).Pixels.Length);
    }

    [Fact]
    public void Run_ImageToImageAtStrengthZero_StillGivesTheInputBack()
    {
        using var folder = new TemporaryFolder();
        using var tuned = OnnxModel.LoadDirectory(SepiaFineTuning.WriteFolder(tuning.Outcome, folder.Path));
        var input = ImageCodec.Decode(SepiaExamples.Six[0]);

        var result = new ImageGenerator(tuned).Generate(new ImageGenerationOptions { Seed = 5, Input = input, Strength = 0 });

        Assert.True(MeanAbsoluteDifference(input, result) < 1.5);
    }

    [Fact]
    public void Run_Progress_ReportsEveryStepWithARecentLoss()
    {
        var reports = new List<FineTuneProgress>();

        ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), new Recorder(reports.Add), CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, Short.Steps + 1), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(Short.Steps, r.Steps));
        Assert.Null(reports[0].RecentTrainLoss);
        Assert.All(reports.Skip(1), r => Assert.True(r.RecentTrainLoss > 0));
    }

    [Fact]
    public void Run_CancelledDuringTraining_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var last = 0;
        var progress = new Recorder(p =>
        {
            last = p.Step;
            if (p.Step == 3)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), progress, cancellation.Token));
        Assert.Equal(3, last);
    }

    [Fact]
    public void Run_AlreadyCancelled_ThrowsBeforeAnyStep()
    {
        var reports = new List<FineTuneProgress>();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), new Recorder(reports.Add), new CancellationToken(true)));
        Assert.Empty(reports);
    }

    private static RgbImage Inverted(RgbImage image)
    {
        var result = image.Clone();
        for (var i = 0; i < result.Pixels.Length; i++)
        {
            result.Pixels[i] = (byte)(255 - result.Pixels[i]);
        }

        return result;
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) =>
        a.Pixels.Zip(b.Pixels, (x, y) => (double)Math.Abs(x - y)).Average();

    /// <summary>Reports synchronously on the training thread (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Recorder(Action<FineTuneProgress> report) : IProgress<FineTuneProgress>
    {
        public void Report(FineTuneProgress value) => report(value);
    }
}
