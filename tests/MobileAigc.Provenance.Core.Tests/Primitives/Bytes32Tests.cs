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

    [Theory]
    [InlineData("0x", false)]
    [InlineData("0X", false)]
    [InlineData("", false)]
    [InlineData("0x", true)]
    [InlineData("", true)]
    public void Json_PlainAndEscapedText_ReadAsParseReadsIt(string prefix, bool upperCase)
    {
        var value = TestRecords.RandomBytes32();
        var digits = Convert.ToHexStringLower(value.AsSpan());
        var text = prefix + (upperCase ? digits.ToUpperInvariant() : digits);
        // The same text with its first digit escaped takes the reader's string path.
        var escaped = @"\u" + ((int)text[0]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + text[1..];

        Assert.Equal(Bytes32.Parse(text), JsonSerializer.Deserialize<Bytes32>($"\"{text}\""));
        Assert.Equal(value, JsonSerializer.Deserialize<Bytes32>($"\"{escaped}\""));
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0x1234")]
    [InlineData("0xzz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0y0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x 000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("x00000000000000000000000000000000000000000000000000000000000000000")]
    public void Json_NotThirtyTwoBytesOfHex_ThrowsJsonExceptionLikeParse(string text)
    {
        Assert.Throws<FormatException>(() => Bytes32.Parse(text));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Bytes32>($"\"{text}\""));
    }

    [Fact]
    public void Json_NotAString_ThrowsJsonException() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Bytes32>("12"));
}
