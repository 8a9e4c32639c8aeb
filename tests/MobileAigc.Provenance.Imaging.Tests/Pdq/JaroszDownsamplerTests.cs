using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

/// <summary>
/// <see cref="JaroszDownsampler"/> (the two box passes of each axis folded into weights, only sampled pixels
/// computed) against <see cref="LiteralJarosz"/> (the reference's passes over the whole picture, as written).
/// </summary>
/// <remarks>
/// Sizes chosen for their windows: 5 and 64 give one-pixel boxes (identity), 100 and 257 boxes of 1 and 3, 700 of 6
/// (even: reaching one pixel further right), 1004 of 8 and 1600 of 13, as the reference's bridge photograph.
/// </remarks>
public sealed class JaroszDownsamplerTests
{
    public static TheoryData<int, int> Sizes() => new() { { 5, 5 }, { 64, 64 }, { 100, 257 }, { 700, 130 }, { 1600, 1004 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Downsample_RandomPixels_EqualsTheLiteralPassesUpToRounding(int width, int height)
    {
        var image = TestImages.Noise(seed: width + height, width, height);

        var ours = JaroszDownsampler.Downsample(image);
        var literal = LiteralJarosz.Downsample(image);

        // Both sum hundreds of single-precision values of up to 255: a few thousandths apart, no more.
        Assert.All(ours.Zip(literal), pair => Assert.InRange(pair.First - pair.Second, -0.01f, 0.01f));
    }

    [Fact]
    public void Downsample_Photograph_GivesTheSameBitsAsTheLiteralPasses()
    {
        var image = ImageCodec.Decode(PdqReferenceVectors.ReadCommitted("dih/bridge-1-original.jpg"));

        var ours = PdqCoefficients.ToBits(PdqCoefficients.Dct(JaroszDownsampler.Downsample(image)));
        var literal = PdqCoefficients.ToBits(PdqCoefficients.Dct(LiteralJarosz.Downsample(image)));

        Assert.Equal(literal, ours);
    }

    [Theory]
    [InlineData(64, 1)]
    [InlineData(128, 1)]
    [InlineData(129, 2)]
    [InlineData(1004, 8)]
    [InlineData(1600, 13)]
    public void WindowSize_IsTheSideOver128RoundedUp(int side, int window) => Assert.Equal(window, JaroszDownsampler.WindowSize(side));

    [Fact]
    public void Downsample_SixtyFourSquare_IsThePictureItself()
    {
        var image = TestImages.Noise(seed: 3, 64, 64);

        var ours = JaroszDownsampler.Downsample(image);

        Assert.Equal(ImageCodec.ToLuma(image), ours);
    }
}
