using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Generation.Tests;

public sealed class ImageGeneratorTests
{
    [Fact]
    public void Generate_ShippedModelDefaults_Is512SquareWithTexture()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        var generator = new ImageGenerator(model);

        var image = generator.Generate(new ImageGenerationOptions { Seed = 1 });

        Assert.Equal(512, image.Width);
        Assert.Equal(512, image.Height);
        Assert.True(LumaStandardDeviation(image) > 20, $"luma sd {LumaStandardDeviation(image):F1}");
        Assert.True(MeanNeighbourDifference(image) > 4, $"detail {MeanNeighbourDifference(image):F1}");
        Assert.Equal(Bytes32.Sha256(File.ReadAllBytes(Path.Combine(RepositoryPaths.ImageModel, "model.onnx"))), model.Sha256);
    }

    [Fact]
    public void Generate_SameSeed_GivesSamePixelsAndOtherSeedsDiffer()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        var generator = new ImageGenerator(model);

        var first = generator.Generate(new ImageGenerationOptions { Seed = 9, Width = 96, Height = 64 });
        var again = generator.Generate(new ImageGenerationOptions { Seed = 9, Width = 96, Height = 64 });
        var other = generator.Generate(new ImageGenerationOptions { Seed = 10, Width = 96, Height = 64 });
        var prompted = generator.Generate(new ImageGenerationOptions { Seed = 9, Width = 96, Height = 64, Prompt = "a harbour at dawn" });

        Assert.Equal(first.Pixels, again.Pixels);
        Assert.True(MeanAbsoluteDifference(first, other) > 20, $"seed difference {MeanAbsoluteDifference(first, other):F1}");
        Assert.True(MeanAbsoluteDifference(first, prompted) > 10, $"prompt difference {MeanAbsoluteDifference(first, prompted):F1}");
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(10, 0)]
    [InlineData(5000, 10)]
    public void Generate_BadSize_ThrowsArgumentOutOfRange(int width, int height)
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        var generator = new ImageGenerator(model);

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(new ImageGenerationOptions { Width = width, Height = height }));
    }

    [Fact]
    public void Render_WrongLatentLength_ThrowsArgument()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);

        Assert.Throws<ArgumentException>(() => new ImageGenerator(model).Render(new float[3], 8, 8));
    }

    [Fact]
    public void Constructor_TextModel_ThrowsInvalidModel()
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.TextModel);

        Assert.Throws<InvalidModelException>(() => new ImageGenerator(model));
    }

    private static double LumaStandardDeviation(RgbImage image)
    {
        var luma = ImageCodec.ToLuma(image);
        var mean = luma.Average();
        return Math.Sqrt(luma.Average(l => (l - mean) * (l - mean)));
    }

    private static double MeanNeighbourDifference(RgbImage image)
    {
        var luma = ImageCodec.ToLuma(image);
        var sum = 0.0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 1; x < image.Width; x++)
            {
                sum += Math.Abs(luma[(y * image.Width) + x] - luma[(y * image.Width) + x - 1]);
            }
        }

        return sum / (image.Height * (image.Width - 1));
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) =>
        a.Pixels.Zip(b.Pixels, (p, q) => Math.Abs(p - q)).Average();
}
