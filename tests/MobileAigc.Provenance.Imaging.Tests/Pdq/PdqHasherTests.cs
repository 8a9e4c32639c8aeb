using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

public sealed class PdqHasherTests
{
    public static TheoryData<PdqDihedral> Forms() => [.. Enum.GetValues<PdqDihedral>()];

    [Theory]
    [MemberData(nameof(Forms))]
    public void ComputeDihedral_EachForm_MatchesTheHashOfThePixelsTurnedThatWay(PdqDihedral form)
    {
        // Sides of 64 k pixels with k = 5 and 9 give odd windows (3 and 5, centred) and decimation points that every
        // turn and mirror maps onto each other, so both ways see the same 64×64 values up to rounding and the bits
        // agree; a wrong sign or transpose costs about 128. (An even window, as for 200 pixels, is a pixel off-centre:
        // mirrors then move several bits on a textured picture.)
        var image = TestImages.Synthetic(seed: 21, width: 320, height: 576);

        var derived = PdqHasher.ComputeDihedral(image)[form];
        var hashed = PdqHasher.Compute(DihedralTransform.Apply(image, form)).Hash;

        Assert.InRange(derived.DistanceTo(hashed), 0, 2);
    }

    [Fact]
    public void ComputeDihedral_MinimumDistanceTo_FindsTheFormAQueryWasTurnedBy()
    {
        var image = TestImages.Synthetic(seed: 22, width: 300, height: 300);
        var turned = PdqHasher.Compute(DihedralTransform.Apply(image, PdqDihedral.Rotate270)).Hash;

        var (form, distance) = PdqHasher.ComputeDihedral(image).MinimumDistanceTo(turned);

        Assert.Equal(PdqDihedral.Rotate270, form);
        Assert.InRange(distance, 0, 10);
    }

    [Fact]
    public void ComputeDihedral_UndefinedForm_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PdqHasher.ComputeDihedral(TestImages.Synthetic(seed: 1, 64, 64))[(PdqDihedral)8]);

    [Fact]
    public void Compute_FlatPicture_ReportsQualityZero()
    {
        var result = PdqHasher.Compute(TestImages.Solid(200, 150, 90, 120, 200));

        Assert.Equal(0, result.Quality);
        Assert.False(result.IsTrusted);
    }

    [Fact]
    public void Compute_GentleGradient_ReportsLowQuality()
    {
        var image = RgbImage.Create(256, 256);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            image.Pixels[i] = (byte)(i / 3 % 256 / 2);
        }

        Assert.InRange(PdqHasher.Compute(image).Quality, 0, PdqHashAndQuality.MinimumTrustedQuality - 1);
    }

    [Fact]
    public void Compute_Photograph_IsTrusted() =>
        Assert.True(PdqHasher.Compute(PdqReferenceVectors.ReadCommitted("bridge-mods/square-128x128.jpg")).IsTrusted);

    [Fact]
    public void Compute_SamePixelsTwice_SameHash()
    {
        var image = TestImages.Synthetic(seed: 4, width: 1100, height: 1000);

        Assert.Equal(PdqHasher.Compute(image), PdqHasher.Compute(image.Clone()));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 100)]
    [InlineData(100, 4)]
    public void Compute_PictureUnderFivePixelsASide_ThrowsArgumentExceptionSayingSo(int width, int height)
    {
        var error = Assert.Throws<ArgumentException>(() => PdqHasher.Compute(TestImages.Synthetic(seed: 2, width, height)));

        Assert.Contains("at least 5×5", error.Message);
        Assert.Throws<ArgumentException>(() => PdqHasher.ComputeDihedral(ImageFiles.Png(TestImages.Synthetic(seed: 2, width, height))));
    }

    [Fact]
    public void Compute_FivePixelsSquare_Hashes() => Assert.Equal(PdqHash.BitCount, PdqHasher.Compute(TestImages.Noise(seed: 5, 5, 5)).Hash.ToString().Length * 4);

    [Fact]
    public void Compute_Null_Throws() => Assert.Throws<ArgumentNullException>(() => PdqHasher.Compute((RgbImage)null!));

    [Fact]
    public void Compute_EmptyFile_ThrowsUnreadableEmpty() =>
        Assert.Equal(UnreadableImageReason.Empty, Assert.Throws<UnreadableImageException>(() => PdqHasher.Compute([])).Reason);

    [Fact]
    public void Compute_NotAnImage_ThrowsUnreadableUnsupportedFormat() =>
        Assert.Equal(
            UnreadableImageReason.UnsupportedFormat,
            Assert.Throws<UnreadableImageException>(() => PdqHasher.Compute("just some text, not a picture"u8)).Reason);

    [Fact]
    public void Compute_TruncatedJpeg_ThrowsUnreadableTruncated()
    {
        var jpeg = PdqReferenceVectors.ReadCommitted("bridge-mods/square-256x256.jpg");

        var error = Assert.Throws<UnreadableImageException>(() => PdqHasher.Compute(jpeg.AsSpan(0, jpeg.Length / 2)));

        Assert.Equal(UnreadableImageReason.Truncated, error.Reason);
    }
}
