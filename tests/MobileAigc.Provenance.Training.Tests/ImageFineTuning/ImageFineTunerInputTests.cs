using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;
using MobileAigc.Provenance.Training.Image;
using MobileAigc.Provenance.Training.Onnx;
using static Onnx.TensorProto.Types;

namespace MobileAigc.Provenance.Training.Tests.ImageFineTuning;

public sealed class ImageFineTunerInputTests
{
    private static readonly FineTuneSettings Short = new() { Steps = 2 };

    [Fact]
    public void Run_OnePicture_RefusesNamingTheMinimum()
    {
        var error = Assert.Throws<FineTuneInputException>(() => Run([SepiaExamples.Six[0]]));

        Assert.Null(error.ExampleIndex);
        Assert.Contains("at least 2", error.Message);
    }

    [Fact]
    public void Run_TooManyPictures_Refuses()
    {
        var error = Assert.Throws<FineTuneInputException>(() => Run([.. Enumerable.Repeat(SepiaExamples.Six[0], 65)]));

        Assert.Contains("at most 64", error.Message);
    }

    [Fact]
    public void Run_NotAPicture_NamesWhichPictureAndWhy()
    {
        var error = Assert.Throws<FineTuneInputException>(() => Run([SepiaExamples.Six[0], "just some text, not a picture"u8.ToArray(), SepiaExamples.Six[1]]));

        Assert.Equal(1, error.ExampleIndex);
        Assert.Contains("Example picture 2 of 3", error.Message);
        Assert.Contains(nameof(UnreadableImageReason.UnsupportedFormat), error.Message);
    }

    [Fact]
    public void Run_EmptyPicture_NamesIt()
    {
        var error = Assert.Throws<FineTuneInputException>(() => Run([SepiaExamples.Six[0], SepiaExamples.Six[1], []]));

        Assert.Equal(2, error.ExampleIndex);
        Assert.Contains("Example picture 3 of 3 is empty", error.Message);
    }

    [Fact]
    public void Run_TruncatedPng_NamesIt()
    {
        var truncated = SepiaExamples.Six[1][..(SepiaExamples.Six[1].Length / 2)];

        var error = Assert.Throws<FineTuneInputException>(() => Run([SepiaExamples.Six[0], truncated]));

        Assert.Equal(1, error.ExampleIndex);
        Assert.Contains(nameof(UnreadableImageReason.Truncated), error.Message);
    }

    [Fact]
    public void Run_TinyPicture_RefusesItsSize()
    {
        var tiny = ImageCodec.Encode(RgbImage.Create(8, 40), ImageFileFormat.Png);

        var error = Assert.Throws<FineTuneInputException>(() => Run([SepiaExamples.Six[0], tiny]));

        Assert.Equal(1, error.ExampleIndex);
        Assert.Contains("8×40", error.Message);
    }

    [Fact]
    public void Run_FlatPictures_RefusedForTheWatermarksSake()
    {
        var flat = Enumerable.Range(0, 3).Select(i =>
        {
            var image = RgbImage.Create(64, 64);
            Array.Fill(image.Pixels, (byte)(20 + i));
            return ImageCodec.Encode(image, ImageFileFormat.Png);
        }).ToList();

        var error = Assert.Throws<FineTuneInputException>(() => Run(flat));

        Assert.Null(error.ExampleIndex);
        Assert.Contains("nearly flat", error.Message);
    }

    [Fact]
    public void Run_TextModelAsBase_IsAnInvalidModel()
    {
        var parent = SepiaExamples.BaseSha256;

        var error = Assert.Throws<InvalidModelException>(() =>
            ImageFineTuner.Run(RepositoryPaths.TextModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(parent: parent), null, CancellationToken.None));

        Assert.Contains("text model", error.Message);
    }

    [Fact]
    public void Run_UnknownBaseFolder_IsNotFound()
    {
        using var folder = new TemporaryFolder();

        Assert.Throws<DirectoryNotFoundException>(() =>
            ImageFineTuner.Run(Path.Combine(folder.Path, "missing"), SepiaExamples.Six, Short, SepiaFineTuning.Identity(), null, CancellationToken.None));
    }

    [Fact]
    public void Run_FileNotTheOneTheManifestPins_IsAnInvalidModel()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Path.Combine(RepositoryPaths.ImageModel, "manifest.json"), Path.Combine(folder.Path, "manifest.json"));
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryPaths.ImageModel, "model.onnx"));
        bytes[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(folder.Path, "model.onnx"), bytes);

        var error = Assert.Throws<InvalidModelException>(() =>
            ImageFineTuner.Run(folder.Path, SepiaExamples.Six, Short, SepiaFineTuning.Identity(), null, CancellationToken.None));

        Assert.Contains("pins", error.Message);
    }

    [Fact]
    public void Run_ImageGraphWithoutAColourHead_IsAnInvalidModel()
    {
        using var folder = new TemporaryFolder();
        var graph = HeadlessImageGraph();
        File.WriteAllBytes(Path.Combine(folder.Path, "model.onnx"), graph);
        var manifest = ModelManifest.Load(Path.Combine(RepositoryPaths.ImageModel, "manifest.json")) with { Sha256 = null };
        File.WriteAllText(Path.Combine(folder.Path, "manifest.json"), manifest.ToJson());

        var error = Assert.Throws<InvalidModelException>(() =>
            ImageFineTuner.Run(folder.Path, SepiaExamples.Six, Short, SepiaFineTuning.Identity(parent: Bytes32.Sha256(graph).ToString()), null, CancellationToken.None));

        Assert.Contains("rgb.weight", error.Message);
    }

    [Fact]
    public void Run_IdentityNamingAnotherParent_IsRefused()
    {
        var error = Assert.Throws<FineTuneInputException>(() =>
            ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, SepiaFineTuning.Identity(parent: "0x" + new string('0', 64)), null, CancellationToken.None));

        Assert.Contains("names parent", error.Message);
    }

    [Theory]
    [InlineData("Owner", " ", "owner")]
    [InlineData("Name", "a\nb", "name")]
    [InlineData("FineTunedBy", "", "fine-tuner")]
    [InlineData("TrainingDataCommitment", "0x1234", "training data commitment")]
    [InlineData("ParentSha256", "a8df1d606978da4e98c98a32bfb4423ad277fc4e77458f849ca6a0a21bb2aa01", "parent's SHA-256")]
    public void Run_MalformedIdentity_NamesTheField(string field, string value, string named)
    {
        var identity = SepiaFineTuning.Identity();
        identity = field switch
        {
            "Owner" => identity with { Owner = value },
            "Name" => identity with { Name = value },
            "FineTunedBy" => identity with { FineTunedBy = value },
            "TrainingDataCommitment" => identity with { TrainingDataCommitment = value },
            _ => identity with { ParentSha256 = value },
        };

        var error = Assert.Throws<FineTuneInputException>(() =>
            ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, Short, identity, null, CancellationToken.None));

        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData(0, 8, 0.05, 0.25, "Steps")]
    [InlineData(10, 0, 0.05, 0.25, "batch size")]
    [InlineData(10, 65, 0.05, 0.25, "batch size")]
    [InlineData(10, 8, 0, 0.25, "learning rate")]
    [InlineData(10, 8, double.NaN, 0.25, "learning rate")]
    [InlineData(10, 8, 0.05, 0.6, "held-out share")]
    [InlineData(10, 8, 0.05, 0, "held-out share")]
    public void Run_SettingOutOfRange_NamesIt(int steps, int batch, double rate, double share, string named)
    {
        var settings = new FineTuneSettings { Steps = steps, BatchSize = batch, LearningRate = rate, HeldOutShare = share };

        var error = Assert.Throws<FineTuneInputException>(() =>
            ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, settings, SepiaFineTuning.Identity(), null, CancellationToken.None));

        Assert.Contains(named, error.Message);
    }

    /// <summary>An image graph with the generator's signature whose colours come straight from the coordinates.</summary>
    private static byte[] HeadlessImageGraph()
    {
        var g = new OnnxGraphBuilder("headless");
        g.Input("latent", DataType.Float, 1, 32);
        var coords = g.Input("coords", DataType.Float, "pixels", 3);
        g.Output("rgb", DataType.Float, "pixels", 3);
        g.Node("Sigmoid", "rgb", [g.Node("MatMul", "mm", [coords, g.Initializer("w", new float[9], 3, 3)])]);
        return g.ToBytes("test", "no colour head");
    }

    private static FineTuneOutcome Run(IReadOnlyList<byte[]> pictures) =>
        ImageFineTuner.Run(RepositoryPaths.ImageModel, pictures, Short, SepiaFineTuning.Identity(), null, CancellationToken.None);
}
