using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Tests.Primitives;

public class EvmAddressTests
{
    private const string Checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    [Fact]
    public void Parse_AnyCase_NormalisesToChecksum()
    {
        Assert.Equal(Checksummed, EvmAddress.Parse(Checksummed.ToLowerInvariant()).ToString());
        Assert.Equal(EvmAddress.Parse(Checksummed), EvmAddress.Parse("0x" + Checksummed[2..].ToUpperInvariant()));
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")] // one letter's case flipped: bad checksum
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")]
    [InlineData("0xgaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void Parse_Malformed_Throws(string text) =>
        Assert.Throws<FormatException>(() => EvmAddress.Parse(text));

    [Fact]
    public void Zero_EqualsDefaultAndParsedZeroAddress()
    {
        var parsed = EvmAddress.Parse("0x0000000000000000000000000000000000000000");

        Assert.True(parsed.IsZero);
        Assert.Equal(default, parsed);
    }
}
