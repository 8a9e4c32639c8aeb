using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Tests.Records;

public sealed class TrainingDataCommitmentTests
{
    private static readonly Bytes32 Salt = Bytes32.Sha256([1, 2, 3]);

    [Fact]
    public void TrainingData_TwoExamples_IsSha256OfTheDocumentedEncoding()
    {
        // Written out by hand from the documented layout: tag, salt, count, then length-prefixed UTF-8 texts.
        var expected = SHA256.HashData([
            .. Encoding.UTF8.GetBytes("mobileaigc.training-data.v1"),
            .. Salt.AsSpan(),
            0, 0, 0, 2,
            0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c',
            0, 0, 0, 2, 0xC3, 0xA9, // "é" is two bytes of UTF-8
        ]);

        Assert.Equal(Bytes32.FromBytes(expected), Commitments.TrainingData(Salt, ["abc", "é"]));
    }

    [Fact]
    public void TrainingData_SameTextSplitDifferently_CommitsDifferently()
    {
        Assert.NotEqual(Commitments.TrainingData(Salt, ["ab", "c"]), Commitments.TrainingData(Salt, ["a", "bc"]));
        Assert.NotEqual(Commitments.TrainingData(Salt, ["abc"]), Commitments.TrainingData(Salt, ["abc", ""]));
    }

    [Fact]
    public void TrainingData_AnotherSalt_CommitsDifferently()
    {
        Assert.NotEqual(Commitments.TrainingData(Salt, ["abc"]), Commitments.TrainingData(Commitments.NewSalt(), ["abc"]));
    }

    [Fact]
    public void TrainingData_NullExample_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Commitments.TrainingData(Salt, ["a", null!]));
    }

    [Fact]
    public void TrainingPictures_TwoPictures_IsSha256OfTheDocumentedEncoding()
    {
        // Written out by hand from the documented layout: tag, salt, count, then length-prefixed files.
        var expected = SHA256.HashData([
            .. Encoding.UTF8.GetBytes("mobileaigc.training-pictures.v1"),
            .. Salt.AsSpan(),
            0, 0, 0, 2,
            0, 0, 0, 3, 0xFF, 0xD8, 0xFF,
            0, 0, 0, 0,
        ]);

        Assert.Equal(Bytes32.FromBytes(expected), Commitments.TrainingPictures(Salt, [[0xFF, 0xD8, 0xFF], []]));
    }

    [Fact]
    public void TrainingPictures_SameBytesAsTexts_CommitsDifferently()
    {
        // Domain separation: pictures whose bytes are the texts' UTF-8 never commit like the texts.
        Assert.NotEqual(Commitments.TrainingData(Salt, ["abc"]), Commitments.TrainingPictures(Salt, [Encoding.UTF8.GetBytes("abc")]));
        Assert.NotEqual(Commitments.TrainingData(Salt, []), Commitments.TrainingPictures(Salt, []));
    }

    [Fact]
    public void TrainingPictures_SameBytesSplitDifferently_CommitsDifferently()
    {
        Assert.NotEqual(Commitments.TrainingPictures(Salt, [[1, 2], [3]]), Commitments.TrainingPictures(Salt, [[1], [2, 3]]));
        Assert.NotEqual(Commitments.TrainingPictures(Salt, [[1]]), Commitments.TrainingPictures(Commitments.NewSalt(), [[1]]));
    }

    [Fact]
    public void TrainingPictures_NullPicture_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Commitments.TrainingPictures(Salt, [[1], null!]));
    }
}
