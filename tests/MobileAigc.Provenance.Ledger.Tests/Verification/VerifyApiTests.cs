using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The verification endpoints through HTTP: every bad input is a 4xx ProblemDetails with a stable type.</summary>
public sealed class VerifyApiTests(VerificationHostFactory host) : IClassFixture<VerificationHostFactory>
{
    [Theory]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("abc123")]
    [InlineData("0x")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")]
    public async Task GetVerify_MalformedHash_Returns400Problem(string hash)
    {
        using var response = await host.CreateClient().GetAsync(new Uri($"api/verify/{hash}", UriKind.Relative));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
    }

    [Fact]
    public async Task GetVerify_UnknownHash_ReturnsUnknownVerdict()
    {
        var hash = Bytes32.Sha256("never generated"u8);

        using var response = await host.CreateClient().GetAsync(new Uri($"api/verify/{hash}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unknown", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(hash.ToString(), json.RootElement.GetProperty("contentHash").GetString());
    }

    [Fact]
    public async Task PostVerify_StoredText_ReturnsRecordWithKebabCaseVerdict()
    {
        var text = "An exact text the node delivered.\n"u8.ToArray();
        var stored = await host.StoreAsync(Bytes32.Sha256(text), Bytes32.Zero, Bytes32.Zero);

        using var response = await host.CreateClient().PostAsync(new Uri("api/verify", UriKind.Relative), Upload(text, "poem.txt", "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // The row's zero signature cannot verify: the ledger says so rather than trusting it.
        Assert.Equal("signature-invalid", json.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(stored.Digest.ToString(), json.RootElement.GetProperty("record").GetProperty("digest").GetString());
        Assert.Equal("content-hash", json.RootElement.GetProperty("match").GetProperty("method").GetString());
    }

    [Fact]
    public async Task PostVerify_ZeroByteFile_Returns400Problem()
    {
        using var response = await Post(Upload([], "empty.png", "image/png"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_RandomBytes_Returns415Problem()
    {
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        using var response = await Post(Upload(bytes, "noise.bin", "application/octet-stream"));
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, LedgerProblemTypes.UnsupportedContent);
    }

    [Theory]
    [InlineData(ImageFileFormat.Png, "cut.png", "image/png")]
    [InlineData(ImageFileFormat.Jpeg, "cut.jpg", "image/jpeg")]
    [InlineData(ImageFileFormat.Webp, "cut.webp", "image/webp")]
    public async Task PostVerify_TruncatedImage_Returns400Problem(ImageFileFormat format, string name, string mediaType)
    {
        var file = ImageCodec.Encode(TestPictures.Create(20, 256, 256), format);
        using var response = await Post(Upload(file[..(file.Length / 2)], name, mediaType));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_WebpChunkRunningPastTheEnd_Returns400Problem()
    {
        var webp = ImageCodec.Encode(TestPictures.Create(23, 64, 64), ImageFileFormat.Webp);
        BinaryPrimitives.WriteUInt32LittleEndian(webp.AsSpan(16), uint.MaxValue - 1); // the VP8 chunk's size
        using var response = await Post(Upload(webp, "lying.webp", "image/webp"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_WebpCanvasOf16MegapixelsSquared_Returns413Problem()
    {
        var webp = WebpWithVp8x(ImageCodec.Encode(TestPictures.Create(24, 64, 64), ImageFileFormat.Webp), flags: 0, canvasSide: 1 << 24);
        using var response = await Post(Upload(webp, "bomb.webp", "image/webp"));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_AnimatedWebp_Returns415Problem()
    {
        var webp = WebpWithVp8x(ImageCodec.Encode(TestPictures.Create(25, 64, 64), ImageFileFormat.Webp), flags: 0x02, canvasSide: 64);
        using var response = await Post(Upload(webp, "moving.webp", "image/webp"));
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_HugeDimensionHeader_Returns413Problem()
    {
        using var response = await Post(Upload(PngHeaderOnly(100_000, 100_000), "bomb.png", "image/png"));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_OversizeUpload_Returns413Problem()
    {
        var big = new byte[VerificationHostFactory.MaxUploadBytes + 1];
        using var response = await Post(Upload(big, "big.png", "image/png"));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, LedgerProblemTypes.UnsupportedContent);
    }

    [Fact]
    public async Task PostVerify_MissingFileField_Returns400Problem()
    {
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "note" } };
        using var response = await Post(form);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
    }

    [Fact]
    public async Task PostVerify_NotMultipart_Returns415Problem()
    {
        using var body = new ByteArrayContent([1, 2, 3]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await Post(body);
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, LedgerProblemTypes.InvalidRequest);
    }

    [Fact]
    public async Task GetRoot_Always_ServesTheVerificationPageWithoutThirdPartyScripts()
    {
        var client = host.CreateClient();

        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var script = await client.GetStringAsync(new Uri("/verify.js", UriKind.Relative));

        Assert.Contains("<form id=\"file-form\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
        Assert.Contains("api/verify", script, StringComparison.Ordinal);
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, json.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("detail").GetString()));
    }

    /// <summary>A PNG signature and a valid IHDR declaring the given size, and nothing else.</summary>
    internal static byte[] PngHeaderOnly(int width, int height)
    {
        var file = new byte[8 + 25];
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];
        signature.CopyTo(file, 0);
        var chunk = file.AsSpan(8);
        BinaryPrimitives.WriteInt32BigEndian(chunk, 13);
        "IHDR"u8.CopyTo(chunk[4..]);
        BinaryPrimitives.WriteInt32BigEndian(chunk[8..], width);
        BinaryPrimitives.WriteInt32BigEndian(chunk[12..], height);
        chunk[16] = 8; // bit depth
        chunk[17] = 2; // colour type: RGB
        BinaryPrimitives.WriteUInt32BigEndian(chunk[21..], Crc32(chunk[4..21]));
        return file;
    }

    /// <summary>A simple-format WebP turned extended: a VP8X chunk with <paramref name="flags"/> and a square canvas, then its chunks.</summary>
    private static byte[] WebpWithVp8x(byte[] simple, byte flags, int canvasSide)
    {
        var vp8x = new byte[18];
        "VP8X"u8.CopyTo(vp8x);
        vp8x[4] = 10;
        vp8x[8] = flags;
        for (var i = 0; i < 3; i++)
        {
            vp8x[12 + i] = vp8x[15 + i] = (byte)((canvasSide - 1) >> (8 * i));
        }

        byte[] file = [.. simple.AsSpan(0, 12), .. vp8x, .. simple.AsSpan(12)];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        return file;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static MultipartFormDataContent Upload(byte[] bytes, string name, string mediaType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new MultipartFormDataContent { { file, "file", name } };
    }

    private async Task<HttpResponseMessage> Post(HttpContent content)
    {
        using (content)
        {
            return await host.CreateClient().PostAsync(new Uri("api/verify", UriKind.Relative), content);
        }
    }
}
