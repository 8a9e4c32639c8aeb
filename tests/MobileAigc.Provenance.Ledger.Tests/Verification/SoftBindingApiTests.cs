using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The C2PA soft binding resolution routes answer in the specification's shapes.</summary>
public sealed class SoftBindingApiTests(VerificationHostFactory host) : IClassFixture<VerificationHostFactory>
{
    private const string Watermark = "org.mobileaigc.watermark.image.1";
    private const string PerceptualHash = "org.mobileaigc.phash.1";

    [Fact]
    public async Task SupportedAlgorithms_Always_ListsOurWatermarkAndFingerprint()
    {
        using var json = await GetJsonAsync("c2pa/v1/services/supportedAlgorithms");

        Assert.Equal(Watermark, json.RootElement.GetProperty("watermarks").EnumerateArray().Single().GetProperty("alg").GetString());
        Assert.Equal(PerceptualHash, json.RootElement.GetProperty("fingerprints").EnumerateArray().Single().GetProperty("alg").GetString());
    }

    [Fact]
    public async Task ByBinding_WatermarkPayload_ReturnsTheRecordAsManifestId()
    {
        const ulong payload = 0xfeed_f00d_0000_0001;
        var stored = await host.StoreAsync(Bytes32.Sha256("wm"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload));
        var value = Uri.EscapeDataString(Convert.ToBase64String(BitConverterBigEndian(payload)));

        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={value}");

        var match = json.RootElement.GetProperty("matches").EnumerateArray().Single();
        Assert.Equal(stored.Digest.ToString(), match.GetProperty("manifestId").GetString());
        Assert.Equal(100, match.GetProperty("similarityScore").GetInt32());
        Assert.False(match.TryGetProperty("endpoint", out _));
    }

    [Fact]
    public async Task ByBindingPost_NearPerceptualHash_ReturnsTheRecordWithScore()
    {
        var hash = PerceptualHashIndexTests.RandomHash(new Random(30));
        var stored = await host.StoreAsync(Bytes32.Sha256("ph"u8), hash, Bytes32.Zero);
        var near = PerceptualHashIndexTests.FlipBits(hash, 4);

        using var response = await host.CreateClient().PostAsJsonAsync(
            new Uri("c2pa/v1/matches/byBinding?maxResults=5", UriKind.Relative), new { alg = PerceptualHash, value = Convert.ToBase64String(near.ToArray()) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var match = json.RootElement.GetProperty("matches").EnumerateArray().Single(m => m.GetProperty("manifestId").GetString() == stored.Digest.ToString());
        Assert.InRange(match.GetProperty("similarityScore").GetInt32(), 80, 99);
    }

    [Fact]
    public async Task ByBinding_NothingMatches_ReturnsEmptyMatches()
    {
        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={Convert.ToBase64String(new byte[8])}");

        Assert.Empty(json.RootElement.GetProperty("matches").EnumerateArray());
    }

    [Theory]
    [InlineData("c2pa/v1/matches/byBinding?alg=com.example.other.1&value=AAAAAAAAAAA%3D")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=not%20base64!")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=AAAA")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.phash.1&value=AAAAAAAAAAA%3D")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.phash.1")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=AAAAAAAAAAA%3D&maxResults=0")]
    public async Task ByBinding_BadQuery_Returns400Problem(string url)
    {
        using var response = await host.CreateClient().GetAsync(new Uri(url, UriKind.Relative));

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
    }

    [Fact]
    public async Task ByContent_WatermarkedJpeg_ReturnsTheRecord()
    {
        const ulong payload = 0x1122_3344_5566_7788;
        var marked = new ImageWatermarker(host.Key).Embed(TestPictures.Create(31), payload);
        var stored = await host.StoreAsync(Bytes32.Sha256("original png"u8), PerceptualHasher.Compute(marked).Bits, WatermarkIds.FromImagePayload(payload));
        using var body = new ByteArrayContent(ImageCodec.Encode(marked, ImageFileFormat.Jpeg, 80));
        body.Headers.ContentType = new("image/jpeg");

        using var response = await host.CreateClient().PostAsync(new Uri("c2pa/v1/matches/byContent", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var first = json.RootElement.GetProperty("matches").EnumerateArray().First();
        Assert.Equal(stored.Digest.ToString(), first.GetProperty("manifestId").GetString());
        Assert.Equal(100, first.GetProperty("similarityScore").GetInt32());
    }

    [Fact]
    public async Task ByContent_NotAnImage_Returns415Problem()
    {
        var noise = new byte[2048];
        new Random(32).NextBytes(noise);
        using var body = new ByteArrayContent(noise);
        body.Headers.ContentType = new("image/png");

        using var response = await host.CreateClient().PostAsync(new Uri("c2pa/v1/matches/byContent", UriKind.Relative), body);

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task OpenApi_Always_DescribesVerificationAndSoftBindingRoutes()
    {
        var document = await host.CreateClient().GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative));

        Assert.Contains("/api/verify/{sha256}", document, StringComparison.Ordinal);
        Assert.Contains("/c2pa/v1/matches/byBinding", document, StringComparison.Ordinal);
        Assert.Contains("/c2pa/v1/services/supportedAlgorithms", document, StringComparison.Ordinal);
    }

    private static byte[] BitConverterBigEndian(ulong value)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var response = await host.CreateClient().GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
