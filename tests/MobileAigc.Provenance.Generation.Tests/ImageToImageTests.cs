using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Generation.Tests;

public sealed class ImageToImageTests : IDisposable
{
    private const int Side = 64;
    private readonly OnnxModel _model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);

    [Fact]
    public void Generate_DarkLeftVersusDarkRight_OutputHalvesFollowTheInput()
    {
        var generator = new ImageGenerator(_model);

        var fromDarkLeft = generator.Generate(new ImageGenerationOptions { Seed = 4, Input = HalfDark(left: true), Strength = 0.6 });
        var fromDarkRight = generator.Generate(new ImageGenerationOptions { Seed = 4, Input = HalfDark(left: false), Strength = 0.6 });

        var (leftA, rightA) = HalfLumas(fromDarkLeft);
        var (leftB, rightB) = HalfLumas(fromDarkRight);
        Assert.True(rightA - leftA > 40, $"dark-left input: left {leftA:F1}, right {rightA:F1}");
        Assert.True(leftB - rightB > 40, $"dark-right input: left {leftB:F1}, right {rightB:F1}");
    }

    [Fact]
    public void Generate_SameSeedAndInput_GivesSamePixelsAndOtherSeedsDiffer()
    {
        var generator = new ImageGenerator(_model);
        var input = HalfDark(left: true);

        var first = generator.Generate(new ImageGenerationOptions { Seed = 5, Input = input });
        var again = generator.Generate(new ImageGenerationOptions { Seed = 5, Input = input });
        var other = generator.Generate(new ImageGenerationOptions { Seed = 6, Input = input });

        Assert.Equal(first.Pixels, again.Pixels);
        Assert.True(MeanAbsoluteDifference(first, other) > 5, $"seed difference {MeanAbsoluteDifference(first, other):F1}");
    }

    [Fact]
    public void Generate_StrengthZero_GivesTheInputBack()
    {
        var generator = new ImageGenerator(_model);
        var input = generator.Generate(new ImageGenerationOptions { Seed = 11, Width = Side, Height = Side });

        var output = generator.Generate(new ImageGenerationOptions { Seed = 3, Input = input, Strength = 0 });

        Assert.True(MeanAbsoluteDifference(input, output) < 1.0, $"difference {MeanAbsoluteDifference(input, output):F2}");
    }

    [Fact]
    public void Generate_StrengthOne_IgnoresTheInputAndEqualsTextToImage()
    {
        var generator = new ImageGenerator(_model);

        var transformed = generator.Generate(new ImageGenerationOptions { Seed = 8, Input = HalfDark(left: true), Strength = 1 });
        var plain = generator.Generate(new ImageGenerationOptions { Seed = 8, Width = Side, Height = Side });

        Assert.Equal(plain.Pixels, transformed.Pixels);
    }

    [Fact]
    public void Generate_Strength_MovesTheOutputAwayFromTheInputInOrder()
    {
        var generator = new ImageGenerator(_model);
        var input = HalfDark(left: false);

        var distances = new[] { 0.2, 0.5, 0.8 }
            .Select(s => MeanAbsoluteDifference(input, generator.Generate(new ImageGenerationOptions { Seed = 2, Input = input, Strength = s })))
            .ToArray();

        Assert.True(distances[0] < distances[1] && distances[1] < distances[2], string.Join(", ", distances));
    }

    [Fact]
    public void Generate_InputOfOtherSize_IsResizedToTheRequestedSize()
    {
        var generator = new ImageGenerator(_model);

        var output = generator.Generate(new ImageGenerationOptions { Seed = 1, Input = HalfDark(left: true), Width = 40, Height = 24 });

        Assert.Equal((40, 24), (output.Width, output.Height));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Generate_StrengthOutOfRange_ThrowsArgumentOutOfRange(double strength)
    {
        var generator = new ImageGenerator(_model);

        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate(new ImageGenerationOptions { Input = HalfDark(left: true), Strength = strength }));
    }

    public void Dispose() => _model.Dispose();

    /// <summary>A mid-toned picture with one half near black and the other near white, and a soft gradient so it is not flat.</summary>
    internal static RgbImage HalfDark(bool left)
    {
        var image = RgbImage.Create(Side, Side);
        for (var y = 0; y < Side; y++)
        {
            for (var x = 0; x < Side; x++)
            {
                var dark = (x < Side / 2) == left;
                var value = (byte)((dark ? 25 : 225) + ((y * 20) / Side));
                image.Pixels.AsSpan(((y * Side) + x) * 3, 3).Fill(value);
            }
        }

        return image;
    }

    private static (double Left, double Right) HalfLumas(RgbImage image)
    {
        var luma = ImageCodec.ToLuma(image);
        double left = 0, right = 0;
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                if (x < image.Width / 2)
                {
                    left += luma[(y * image.Width) + x];
                }
                else
                {
                    right += luma[(y * image.Width) + x];
                }
            }
        }

        var half = image.Height * (image.Width / 2.0);
        return (left / half, right / half);
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) =>
        a.Pixels.Zip(b.Pixels, (p, q) => Math.Abs(p - q)).Average();
}
