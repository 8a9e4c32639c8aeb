using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging.PerceptualHashing;

namespace MobileAigc.Provenance.Imaging.Tests.PerceptualHashing;

public class PerceptualHashTests
{
    private static PerceptualHash Hash(string hex, int quality = 100) => new(Bytes32.Parse(hex), quality);

    [Fact]
    public void DistanceTo_CountsDifferingBits()
    {
        var zero = Hash(new string('0', 64));
        var ones = Hash(new string('f', 64));
        var some = Hash("0x8000000000000000000000000000000000000000000000000000000000000103");

        Assert.Equal(0, zero.DistanceTo(zero));
        Assert.Equal(256, zero.DistanceTo(ones));
        Assert.Equal(4, zero.DistanceTo(some));
        Assert.Equal(252, some.DistanceTo(ones));
    }

    [Fact]
    public void DistanceTo_DefaultHash_TreatedAsAllZero() =>
        Assert.Equal(1, default(PerceptualHash).DistanceTo(Hash("0x" + new string('0', 63) + "1")));

    [Fact]
    public void GetBit_BitZeroIsLowestBitOfLastByte()
    {
        var hash = Hash("0x8000000000000000000000000000000000000000000000000000000000000001");

        Assert.True(hash.GetBit(0));
        Assert.True(hash.GetBit(255));
        Assert.False(hash.GetBit(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => hash.GetBit(256));
        Assert.Throws<ArgumentOutOfRangeException>(() => hash.GetBit(-1));
    }

    [Theory]
    [InlineData(31, true)]
    [InlineData(32, false)]
    public void Matches_AtDefaultThreshold_IncludesThirtyOne(int differingBits, bool expected)
    {
        var bytes = new byte[32];
        for (var k = 0; k < differingBits; k++)
        {
            bytes[31 - (k / 8)] |= (byte)(1 << (k % 8));
        }

        Assert.Equal(expected, default(PerceptualHash).Matches(new PerceptualHash(Bytes32.FromBytes(bytes), 100)));
    }

    [Fact]
    public void Matches_ThresholdOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => default(PerceptualHash).Matches(default, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => default(PerceptualHash).Matches(default, 257));
    }

    [Theory]
    [InlineData(49, false)]
    [InlineData(50, true)]
    public void IsTrusted_FromFiftyUp(int quality, bool expected) =>
        Assert.Equal(expected, new PerceptualHash(Bytes32.Zero, quality).IsTrusted);
}
