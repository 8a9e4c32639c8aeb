using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

/// <summary>The text watermark's keyed hash against the reference vectors of SipHash-2-4 (key 00 … 0f, message 00 … n − 1).</summary>
public sealed class SipHash24Tests
{
    private static readonly SipHash24 Reference = new([.. Enumerable.Range(0, 16).Select(i => (byte)i)]);

    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(1, 0x74f839c593dc67fdUL)]
    [InlineData(2, 0x0d6c8009d9a94f5aUL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    public void Hash_ReferenceVector_MatchesThePaper(int length, ulong expected)
    {
        byte[] message = [.. Enumerable.Range(0, length).Select(i => (byte)i)];

        Assert.Equal(expected, Reference.Hash(message));
    }

    [Fact]
    public void Constructor_ShortKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SipHash24(new byte[15]));
    }
}
