using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Tests.Primitives;

public class Bytes32Tests
{
    [Fact]
    public void Parse_HexWithOrWithoutPrefix_RoundTrips()
    {
        var hex = "0x" + new string('a', 62) + "01";

        Assert.Equal(hex, Bytes32.Parse(hex).ToString());
        Assert.Equal(hex, Bytes32.Parse(hex[2..].ToUpperInvariant()).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x1234")]
    [InlineData("0xzz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000000000")]
    public void Parse_NotThirtyTwoBytesOfHex_Throws(string text) =>
        Assert.Throws<FormatException>(() => Bytes32.Parse(text));

    [Fact]
    public void Default_IsZeroAndEqualsParsedZero()
    {
        Assert.True(default(Bytes32).IsZero);
        Assert.Equal(default, Bytes32.Parse(new string('0', 64)));
    }

    [Fact]
    public void Json_WritesHexAndReadsItBack()
    {
        var value = TestRecords.RandomBytes32();

        var json = JsonSerializer.Serialize(value);

        Assert.Equal($"\"{value}\"", json);
        Assert.Equal(value, JsonSerializer.Deserialize<Bytes32>(json));
    }

    [Fact]
    public void Json_MalformedValue_ThrowsJsonException() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Bytes32>("\"0x12\""));
}
