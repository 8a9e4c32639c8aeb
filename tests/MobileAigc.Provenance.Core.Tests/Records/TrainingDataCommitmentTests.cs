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
}
