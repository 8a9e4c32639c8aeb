using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// The read after what phones and platforms do to a picture's geometry (issue 17): any rotation, filled by reflection
/// or cut to the largest upright rectangle; mirror flips; a change of aspect ratio; thumbnails. On a generated picture
/// and on a real photograph (the PDQ reference's bridge, not square), and never a payload where there is none.
/// </summary>
public sealed class GeometricWatermarkTests(GeneratedImages generated) : IClassFixture<GeneratedImages>
{
    private static readonly ImageWatermarker Watermarker = new(WatermarkKey.Parse("0x" + new string('d', 64)));
    private static readonly Lazy<RgbImage> Photograph = new(() =>
    {
        var decoded = ImageCodec.Decode(File.ReadAllBytes(RepositoryPaths.Combine("tests", "fixtures", "pdq", "bridge-1-original.jpg")));
        return ImageAttacks.Resize(decoded, decoded.Width * 512 / decoded.Height, 512);
    });

    /// <summary>The attacks by name, so the test names say which one failed.</summary>
    private static readonly Dictionary<string, Func<RgbImage, RgbImage>> Attacks = new()
    {
        ["rotate 30, reflection fill"] = image => GeometricAttacks.RotateReflected(image, 30),
        ["rotate 90 (sides swapped)"] = image => GeometricAttacks.RotateQuarterTurns(image, 1),
        ["rotate 222, reflection fill"] = image => GeometricAttacks.RotateReflected(image, 222),
        ["rotate 45, cropped"] = image => GeometricAttacks.RotateCropped(image, 45),
        ["rotate 160, cropped"] = image => GeometricAttacks.RotateCropped(image, 160),
        ["flip horizontal"] = GeometricAttacks.FlipHorizontal,
        ["flip vertical"] = GeometricAttacks.FlipVertical,
        ["width to 75%"] = image => GeometricAttacks.Stretch(image, 0.75, 1),
        ["height to 75%"] = image => GeometricAttacks.Stretch(image, 1, 0.75),
        ["thumbnail 30%"] = image => GeometricAttacks.Thumbnail(image, 0.3),
    };

    public static TheoryData<string> AttackNames => [.. Attacks.Keys];

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Extract_GeneratedPictureAfterGeometricAttack_RecoversPayload(string attack)
    {
        var payload = 0x6E0_0000_0000_0000UL + (ulong)attack.Length;
        var marked = Watermarker.Embed(generated.Create(7), payload);

        var reading = Watermarker.Extract(Attacks[attack](marked));

        Assert.True(reading.Found, $"not found after {attack}");
        Assert.Equal(payload, reading.Payload);
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public void Extract_PhotographAfterGeometricAttack_RecoversPayload(string attack)
    {
        const ulong payload = 0xB41D_6E00_0000_0001UL;
        var marked = Watermarker.Embed(Photograph.Value, payload);

        var reading = Watermarker.Extract(Attacks[attack](marked));

        Assert.True(reading.Found, $"not found after {attack}");
        Assert.Equal(payload, reading.Payload);
    }

    [Theory]
    [InlineData(0.55)]
    [InlineData(0.45)]
    public void Extract_LargePictureCroppedBelowSixtyPercentOfItsSide_RecoversPayload(double side)
    {
        // Marked at 1,024 pixels the tile is 128 pixels; a crop to half the side is read unshrunk (its short side is about
        // 512), so the tile shows at scale 1 / side, beyond the 1.7 the search once stopped at.
        const ulong Payload = 0x00C0_FFEE_0000_0055UL;
        var marked = Watermarker.Embed(SyntheticImages.Create(11, 1024, 1024), Payload);

        var reading = Watermarker.Extract(ImageAttacks.CropFraction(marked, side, 0.4, 0.6));

        Assert.True(reading.Found, $"cropped to {side:P0} of each side: nothing found");
        Assert.Equal(Payload, reading.Payload);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.75)]
    public void Extract_LargePictureShrunk_RecoversPayload(double factor)
    {
        // Rendered and marked at 1,024 pixels, the tile is 128 pixels. Shrunk to 30 % (307 pixels) the picture is read at its own
        // size, where the tile is 38 pixels; shrunk to 75 % (768) it is read at half that, a 384-pixel plane with a 48-pixel tile.
        // Below scale 1 the reader's fixed-size filters lose the finest carriers, so each plane is read again enlarged to 512
        // pixels. Before that second read, this picture at 75 % read as nothing (one of 72 pictures and sizes tried).
        const ulong Payload = 0x77;
        var marked = Watermarker.Embed(generated.Create(12, 1024), Payload);

        var reading = Watermarker.Extract(GeometricAttacks.Thumbnail(marked, factor));

        Assert.True(reading.Found, $"shrunk to {factor:P0}: nothing found");
        Assert.Equal(Payload, reading.Payload);
    }

    [Fact]
    public void Extract_UnmarkedPicturesUnderTheFullSearch_FindNothing()
    {
        // Every hypothesis the read tries (all turns, mirrors, stretches and the thumbnail enlargement) gets its chance here.
        var unmarked = new[]
        {
            GeometricAttacks.RotateReflected(generated.Create(8), 37),
            GeometricAttacks.FlipHorizontal(SyntheticImages.Create(2)),
            GeometricAttacks.Stretch(Photograph.Value, 0.75, 1),
            GeometricAttacks.Thumbnail(generated.Create(9), 0.3),
        };

        Assert.All(unmarked, image => Assert.False(Watermarker.Extract(image).Found));
    }

    [Fact]
    public void Extract_RotatedAndFlippedWithAnotherKey_FindsNothing()
    {
        var marked = Watermarker.Embed(generated.Create(10), 0x1234);
        var attacked = GeometricAttacks.FlipVertical(GeometricAttacks.RotateReflected(marked, 45));
        var stranger = new ImageWatermarker(WatermarkKey.Parse("0x" + new string('e', 64)));

        Assert.False(stranger.Extract(attacked).Found);
        Assert.Equal(0x1234UL, Watermarker.Extract(attacked).Payload);
    }

    [Fact]
    public void Transform_FourQuarterTurns_GiveTheTileBack()
    {
        var tile = Enumerable.Range(0, WatermarkLayout.TilePeriod * WatermarkLayout.TilePeriod).Select(i => (double)(i * 7919 % 1013)).ToArray();

        var turned = tile;
        for (var i = 0; i < 4; i++)
        {
            turned = TileDihedral.Transform(turned, 1);
        }

        Assert.Equal(tile, turned);
        Assert.NotEqual(tile, TileDihedral.Transform(tile, 1));
    }

    [Theory]
    [InlineData(512, 512, 0, 510, 510)]
    [InlineData(512, 512, 45, 360, 360)]
    [InlineData(800, 512, 90, 510, 798)]
    public void LargestUprightRectangle_KnownCases_MatchGeometry(int width, int height, double degrees, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), GeometricAttacks.LargestUprightRectangle(width, height, degrees * Math.PI / 180));
    }

    [Theory]
    [InlineData(154, 154, 512, 512)]
    [InlineData(200, 100, 1024, 512)]
    [InlineData(512, 300, 873, 512)]
    [InlineData(384, 384, 512, 512)]
    [InlineData(512, 512, 512, 512)]
    [InlineData(2000, 600, 2000, 600)]
    [InlineData(64, 40_000, 64, 40_000)]
    [InlineData(100, 4_000, 161, 6_476)]
    public void EnlargedSize_PlanesUnderTheNormalisedSide_GrowToItWithinOneMegapixel(int width, int height, int expectedWidth, int expectedHeight)
    {
        // A thin strip must not make the reader allocate hundreds of megapixels (64 × 40,000 enlarged 8 times would be 164 MP).
        var (enlargedWidth, enlargedHeight) = CodewordSearch.EnlargedSize(width, height);

        Assert.Equal((expectedWidth, expectedHeight), (enlargedWidth, enlargedHeight));
        Assert.True((long)enlargedWidth * enlargedHeight <= Math.Max(1 << 20, (long)width * height));
    }
}
