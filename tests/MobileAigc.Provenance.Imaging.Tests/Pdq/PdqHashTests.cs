using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

public sealed class PdqHashTests
{
    private const string Bridge = "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22";

    [Fact]
    public void Parse_ReferenceHex_RoundTripsThroughToString()
    {
        Assert.Equal(Bridge, PdqHash.Parse(Bridge).ToString());
        Assert.Equal(Bridge, PdqHash.Parse(Bridge.ToUpperInvariant()).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("f8f8")]
    [InlineData("0x" + "f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22")]
    [InlineData("g8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22")]
    [InlineData(" 8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22")]
    public void Parse_NotSixtyFourHexDigits_ThrowsFormatExceptionAndTryParseFails(string text)
    {
        var error = Assert.Throws<FormatException>(() => PdqHash.Parse(text));
        Assert.Contains("64 hex digits", error.Message);
        Assert.False(PdqHash.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PdqHash.Parse(null!));
        Assert.False(PdqHash.TryParse(null, out _));
    }

    [Fact]
    public void GetBit_FollowsTheReferenceLayout_BitZeroIsTheLowestBitOfTheLastDigit()
    {
        var hash = PdqHash.Parse(new string('0', 63) + "1");
        var top = PdqHash.Parse("8" + new string('0', 63));

        Assert.True(hash.GetBit(0));
        Assert.Equal(1, Enumerable.Range(0, PdqHash.BitCount).Count(hash.GetBit));
        Assert.True(top.GetBit(255));
        Assert.Equal(1, Enumerable.Range(0, PdqHash.BitCount).Count(top.GetBit));
    }

    [Fact]
    public void DistanceTo_CountsDifferingBits()
    {
        var a = PdqHash.Parse(Bridge);
        var b = PdqHash.Parse("f8f8f0cce0f4e84d0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b23");
        var all = PdqHash.Parse(new string('f', 64));

        Assert.Equal(0, a.DistanceTo(a));
        Assert.Equal(1, a.DistanceTo(b));
        Assert.Equal(256, new PdqHash(Bytes32.Zero).DistanceTo(all));
        Assert.True(a.Matches(b));
        Assert.False(a.Matches(b, threshold: 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(257)]
    public void Matches_ThresholdOutOfRange_Throws(int threshold) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PdqHash.Parse(Bridge).Matches(PdqHash.Parse(Bridge), threshold));

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void GetBit_IndexOutOfRange_Throws(int index) => Assert.Throws<ArgumentOutOfRangeException>(() => PdqHash.Parse(Bridge).GetBit(index));
}
