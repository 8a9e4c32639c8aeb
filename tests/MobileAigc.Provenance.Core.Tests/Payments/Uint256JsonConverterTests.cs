using System.Numerics;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Core.Tests.Payments;

public class Uint256JsonConverterTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Serialize_LargestAmount_RoundTripsAsADecimalString()
    {
        var payment = new AcceptedPayment(TestRecords.RandomBytes32(), 7, BigInteger.Pow(2, 256) - 1, 1_000);

        var json = JsonSerializer.Serialize(payment, Json);

        Assert.Contains($"\"cumulativeAmount\":\"{BigInteger.Pow(2, 256) - 1}\"", json, StringComparison.Ordinal);
        Assert.Equal(payment, JsonSerializer.Deserialize<AcceptedPayment>(json, Json));
    }

    [Fact]
    public void Serialize_NullableAmount_WritesNullOrTheAmount()
    {
        var free = new ServedModelInfo("m", "text", TestRecords.RandomBytes32(), 1, null);
        var priced = free with { PricePerGeneration = 1_000 };

        Assert.Null(JsonSerializer.Deserialize<ServedModelInfo>(JsonSerializer.Serialize(free, Json), Json)!.PricePerGeneration);
        Assert.Equal(1_000, JsonSerializer.Deserialize<ServedModelInfo>(JsonSerializer.Serialize(priced, Json), Json)!.PricePerGeneration);
    }

    [Theory]
    [InlineData("\"-1\"")]
    [InlineData("\"1e3\"")]
    [InlineData("\"\"")]
    [InlineData("\"115792089237316195423570985008687907853269984665640564039457584007913129639936\"")]
    public void Deserialize_NotAUint256_Throws(string amount)
    {
        var json = $"{{\"channelId\":\"0x{new string('1', 64)}\",\"nonce\":1,\"cumulativeAmount\":{amount},\"price\":\"1\"}}";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AcceptedPayment>(json, Json));
    }
}
