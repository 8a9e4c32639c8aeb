using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Util;

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

    [Fact]
    public void Parse_RandomAddressesInEveryCase_MatchesNethereumChecksum()
    {
        var random = new Random(55);
        for (var i = 0; i < 500; i++)
        {
            var lower = "0x" + Convert.ToHexStringLower(RandomBytes(random));
            var expected = AddressUtil.Current.ConvertToChecksumAddress(lower);

            Assert.Equal(expected, EvmAddress.Parse(lower).ToString());
            Assert.Equal(expected, EvmAddress.Parse("0x" + lower[2..].ToUpperInvariant()).ToString());
            Assert.Equal(expected, EvmAddress.Parse(expected).ToString());
        }
    }

    [Fact]
    public void TryParse_MixedCaseWithOneLetterFlipped_IsRefusedAsNethereumRefusesIt()
    {
        var random = new Random(56);
        for (var i = 0; i < 200; i++)
        {
            var checksummed = AddressUtil.Current.ConvertToChecksumAddress("0x" + Convert.ToHexStringLower(RandomBytes(random)));
            var letter = checksummed.AsSpan(2).IndexOfAnyInRange('a', 'f') is var lowerAt and >= 0
                ? lowerAt + 2
                : checksummed.AsSpan(2).IndexOfAnyInRange('A', 'F') + 2;
            var chars = checksummed.ToCharArray();
            chars[letter] = char.IsUpper(chars[letter]) ? char.ToLowerInvariant(chars[letter]) : char.ToUpperInvariant(chars[letter]);
            var flipped = new string(chars);
            var digits = flipped.AsSpan(2);
            if (!(digits.ContainsAnyInRange('a', 'f') && digits.ContainsAnyInRange('A', 'F')))
            {
                continue; // flipping made it single-case, which carries no checksum
            }

            Assert.False(AddressUtil.Current.IsChecksumAddress(flipped));
            Assert.False(EvmAddress.TryParse(flipped, out _));
        }
    }

    [Fact]
    public void FromBytes_RandomBytes_MatchesNethereumChecksumAndRoundTrips()
    {
        var random = new Random(57);
        for (var i = 0; i < 500; i++)
        {
            var bytes = RandomBytes(random);

            var address = EvmAddress.FromBytes(bytes);

            Assert.Equal(AddressUtil.Current.ConvertToChecksumAddress("0x" + Convert.ToHexStringLower(bytes)), address.ToString());
            Assert.Equal(bytes, address.ToBytes());
            Assert.Equal(EvmAddress.Parse(address.ToString().ToLowerInvariant()), address);
        }
    }

    [Fact]
    public void FromBytes_ZeroBytes_IsZero() => Assert.Equal(EvmAddress.Zero, EvmAddress.FromBytes(new byte[20]));

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return bytes;
    }
}
