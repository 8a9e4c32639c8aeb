using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Tests.Primitives;

// The converter keeps recently read addresses by their text: these hold it to exactly what EvmAddress.TryParse accepts.
public class EvmAddressJsonTests
{
    private const string Checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    [Fact]
    public void Read_SameAddressTwice_GivesTheParsedAddressBothTimes()
    {
        var json = $"[\"{Checksummed}\",\"{Checksummed}\",\"{Checksummed.ToLowerInvariant()}\",\"{Checksummed.ToLowerInvariant()}\"]";

        var read = JsonSerializer.Deserialize<EvmAddress[]>(json)!;

        Assert.All(read, address => Assert.Equal(Checksummed, address.ToString()));
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")] // one letter's case flipped: bad checksum
    [InlineData("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xgaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")]
    public void Read_AfterTheValidAddressWasRead_MalformedOrWrongChecksumStillFails(string text)
    {
        JsonSerializer.Deserialize<EvmAddress>($"\"{Checksummed}\"");

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<EvmAddress>($"\"{text}\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<EvmAddress>($"\"{text}\""));
    }

    [Fact]
    public void Read_EscapedText_ReadsAsTheUnescapedAddress()
    {
        // \u0061 is 'a': the escaped form takes the string path and must give the same address.
        var escaped = "\"0x5\\u0061Aeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"";

        Assert.Equal(Checksummed, JsonSerializer.Deserialize<EvmAddress>(escaped).ToString());
    }

    [Fact]
    public void Read_MoreDistinctAddressesThanKept_EachReadsAsParsed()
    {
        var addresses = Enumerable.Range(0, 10_000).Select(_ => EvmAddress.FromBytes(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).Take(20).ToArray())).ToArray();
        var json = JsonSerializer.Serialize(addresses.Concat(addresses).Select(a => a.ToString().ToLowerInvariant()));

        var read = JsonSerializer.Deserialize<EvmAddress[]>(json)!;

        Assert.Equal(addresses.Concat(addresses), read);
    }

    [Fact]
    public void Read_NotAString_Fails() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<EvmAddress>("42"));
}
