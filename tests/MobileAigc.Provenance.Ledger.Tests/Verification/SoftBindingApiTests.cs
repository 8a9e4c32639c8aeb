using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The C2PA soft binding resolution routes answer in the specification's shapes (Soft Binding Resolution API, OpenAPI 1.1.0).</summary>
public sealed class SoftBindingApiTests(VerificationHostFactory host) : IClassFixture<VerificationHostFactory>
{
    private const string Watermark = SoftBindingAlgorithms.ImageWatermark;
    private const string PerceptualHash = SoftBindingAlgorithms.PerceptualHash;
    private const string Pdq = SoftBindingAlgorithms.Pdq;

    [Fact]
    public void AlgorithmNames_Always_FollowTheAlgorithmListsNamingRule()
    {
        Assert.Matches(SoftBindingAlgorithms.NamePattern, Watermark);
        Assert.Matches(SoftBindingAlgorithms.NamePattern, PerceptualHash);
        Assert.Matches(SoftBindingAlgorithms.NamePattern, Pdq);
        Assert.Equal("org.mobileaigc.pdq.1", Pdq);
        Assert.Equal("org.mobileaigc.watermark.image.1", Watermark);
        Assert.Equal("org.mobileaigc.phash.1", PerceptualHash);
    }

    [Fact]
    public async Task SupportedAlgorithms_Always_ListsOurWatermarkAndFingerprints()
    {
        using var json = await GetJsonAsync("c2pa/v1/services/supportedAlgorithms");

        Assert.Equal(Watermark, json.RootElement.GetProperty("watermarks").EnumerateArray().Single().GetProperty("alg").GetString());
        Assert.Equal([PerceptualHash, Pdq], json.RootElement.GetProperty("fingerprints").EnumerateArray().Select(a => a.GetProperty("alg").GetString()));
    }

    [Fact]
    public async Task ByBinding_NearPdqHash_ReturnsTheRecordScoredByDistance()
    {
        var hash = PerceptualHashIndexTests.RandomHash(new Random(31));
        var stored = await host.StoreAsync(Bytes32.Sha256("pdq"u8), Bytes32.Zero, Bytes32.Zero, withManifestStore: true, pdq: (hash, 90));
        var near = PerceptualHashIndexTests.FlipBits(hash, 8);

        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Pdq}&value={Uri.EscapeDataString(Convert.ToBase64String(near.ToArray()))}");

        var match = json.RootElement.GetProperty("matches").EnumerateArray().Single();
        Assert.Equal(RecordManifestLabel.For(stored.Digest), match.GetProperty("manifestId").GetString());
        Assert.Equal(75, match.GetProperty("similarityScore").GetInt32()); // 100 × (1 − 8 / 32)
    }

    [Fact]
    public async Task ByContent_AlgIsPdq_FindsTheRecordOfAMirroredCopy()
    {
        var picture = TestPictures.Create(34);
        var pdq = PdqHasher.Compute(picture);
        var stored = await host.StoreAsync(Bytes32.Sha256("pdq record"u8), Bytes32.Zero, Bytes32.Zero, withManifestStore: true, pdq: (pdq.Hash.Bits, pdq.Quality));
        var mirrored = ImageCodec.Encode(DihedralTransform.Apply(picture, PdqDihedral.FlipY), ImageFileFormat.Png);

        using var byPdq = await PostContentAsync($"c2pa/v1/matches/byContent?alg={Pdq}", mirrored, "image/png");
        using var byPerceptualHash = await PostContentAsync($"c2pa/v1/matches/byContent?alg={PerceptualHash}", mirrored, "image/png");

        Assert.Equal([RecordManifestLabel.For(stored.Digest)], ManifestIds(byPdq));
        Assert.Empty(ManifestIds(byPerceptualHash));
    }

    [Fact]
    public async Task ByBinding_WatermarkPayload_ReturnsTheRecordsManifestLabelWithoutEndpoint()
    {
        const ulong payload = 0xfeed_f00d_0000_0001;
        var stored = await host.StoreAsync(Bytes32.Sha256("wm"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: true);

        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={Base64(payload)}");

        var match = json.RootElement.GetProperty("matches").EnumerateArray().Single();
        Assert.Equal(RecordManifestLabel.For(stored.Digest), match.GetProperty("manifestId").GetString());
        Assert.StartsWith("urn:c2pa:", match.GetProperty("manifestId").GetString(), StringComparison.Ordinal);
        Assert.Equal(100, match.GetProperty("similarityScore").GetInt32());
        Assert.False(match.TryGetProperty("endpoint", out _));
        Assert.Equal(["manifestId", "similarityScore"], match.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ByBinding_RecordWithoutManifestStore_IsNotListedAsItCouldNotBeFetched()
    {
        const ulong payload = 0xfeed_f00d_0000_0002;
        await host.StoreAsync(Bytes32.Sha256("no store"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: false);

        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={Base64(payload)}");

        Assert.Empty(json.RootElement.GetProperty("matches").EnumerateArray());
    }

    [Fact]
    public async Task ByBindingPost_NearPerceptualHash_ReturnsTheRecordWithScore()
    {
        var hash = PerceptualHashIndexTests.RandomHash(new Random(30));
        var stored = await host.StoreAsync(Bytes32.Sha256("ph"u8), hash, Bytes32.Zero, withManifestStore: true);
        var near = PerceptualHashIndexTests.FlipBits(hash, 4);

        using var response = await host.CreateClient().PostAsJsonAsync(
            new Uri("c2pa/v1/matches/byBinding?maxResults=5", UriKind.Relative), new { alg = PerceptualHash, value = Convert.ToBase64String(near.ToArray()) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var match = json.RootElement.GetProperty("matches").EnumerateArray()
            .Single(m => m.GetProperty("manifestId").GetString() == RecordManifestLabel.For(stored.Digest));
        Assert.InRange(match.GetProperty("similarityScore").GetInt32(), 80, 99);
    }

    [Fact]
    public async Task ByBinding_NothingMatches_ReturnsEmptyMatches()
    {
        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={Convert.ToBase64String(new byte[8])}");

        Assert.Empty(json.RootElement.GetProperty("matches").EnumerateArray());
    }

    [Fact]
    public async Task ByBinding_MaxResults1000_IsAcceptedAndClampedNotRefused()
    {
        const ulong payload = 0xfeed_f00d_0000_0003;
        var stored = await host.StoreAsync(Bytes32.Sha256("max"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: true);

        using var json = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={Base64(payload)}&maxResults=1000");

        Assert.Equal(RecordManifestLabel.For(stored.Digest), json.RootElement.GetProperty("matches").EnumerateArray().Single().GetProperty("manifestId").GetString());
    }

    [Theory]
    [InlineData("c2pa/v1/matches/byBinding?alg=com.example.other.1&value=AAAAAAAAAAA%3D")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=not%20base64!")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=AAAA")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.phash.1&value=AAAAAAAAAAA%3D")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.phash.1")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.pdq.1&value=AAAAAAAAAAA%3D")]
    [InlineData("c2pa/v1/matches/byBinding?value=AAAAAAAAAAA%3D")]
    [InlineData("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=AAAAAAAAAAA%3D&maxResults=0")]
    public async Task ByBinding_BadQuery_Returns400Problem(string url)
    {
        using var response = await host.CreateClient().GetAsync(new Uri(url, UriKind.Relative));

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
    }

    [Fact]
    public async Task ByContent_WatermarkedJpeg_ReturnsTheRecordScoredByTheWatermarksConfidence()
    {
        const ulong payload = 0x1122_3344_5566_7788;
        var marked = new ImageWatermarker(host.Key).Embed(TestPictures.Create(31), payload);
        var stored = await host.StoreAsync(Bytes32.Sha256("original png"u8), PerceptualHasher.Compute(marked).Bits, WatermarkIds.FromImagePayload(payload), withManifestStore: true);
        var jpeg = ImageCodec.Encode(marked, ImageFileFormat.Jpeg, 80);
        var confidence = new ImageWatermarker(host.Key).Extract(ImageCodec.Decode(jpeg)).Confidence;

        using var json = await PostContentAsync("c2pa/v1/matches/byContent", jpeg, "image/jpeg");

        var first = json.RootElement.GetProperty("matches").EnumerateArray().First();
        Assert.Equal(RecordManifestLabel.For(stored.Digest), first.GetProperty("manifestId").GetString());
        Assert.Equal((int)Math.Round(100 * confidence), first.GetProperty("similarityScore").GetInt32());
    }

    [Fact]
    public async Task ByContent_WatermarkedWebp_ReturnsTheRecord()
    {
        const ulong payload = 0x1122_3344_5566_7799;
        var marked = new ImageWatermarker(host.Key).Embed(TestPictures.Create(35), payload);
        var stored = await host.StoreAsync(Bytes32.Sha256("original webp"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: true);

        using var json = await PostContentAsync($"c2pa/v1/matches/byContent?alg={Watermark}", ImageCodec.Encode(marked, ImageFileFormat.Webp, 80), "image/webp");

        Assert.Equal([RecordManifestLabel.For(stored.Digest)], ManifestIds(json));
    }

    [Fact]
    public async Task ByContent_AlgIsThePerceptualHash_RunsThePerceptualHashNotTheWatermark()
    {
        // A watermarked picture: its watermark names one record, its perceptual hash another's (a near copy
        // registered elsewhere). Asked for the perceptual hash, the service must run it, not the watermark.
        const ulong payload = 0x0bad_cafe_0000_0001;
        var marked = new ImageWatermarker(host.Key).Embed(TestPictures.Create(33), payload);
        var png = ImageCodec.Encode(marked, ImageFileFormat.Png);
        var byWatermark = await host.StoreAsync(Bytes32.Sha256("wm record"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: true);
        var byHash = await host.StoreAsync(Bytes32.Sha256("hash record"u8), PerceptualHasher.Compute(marked).Bits, Bytes32.Zero, withManifestStore: true);

        using var hashOnly = await PostContentAsync($"c2pa/v1/matches/byContent?alg={PerceptualHash}", png, "image/png");
        using var watermarkOnly = await PostContentAsync($"c2pa/v1/matches/byContent?alg={Watermark}", png, "image/png");
        using var every = await PostContentAsync("c2pa/v1/matches/byContent", png, "image/png");

        Assert.Equal([RecordManifestLabel.For(byHash.Digest)], ManifestIds(hashOnly));
        Assert.Equal(100, hashOnly.RootElement.GetProperty("matches")[0].GetProperty("similarityScore").GetInt32());
        Assert.Equal([RecordManifestLabel.For(byWatermark.Digest)], ManifestIds(watermarkOnly));
        Assert.Equal([RecordManifestLabel.For(byWatermark.Digest), RecordManifestLabel.For(byHash.Digest)], ManifestIds(every));
    }

    [Fact]
    public async Task ByContent_HintAlgAndValue_AddTheHintedRecord()
    {
        const ulong payload = 0x0bad_cafe_0000_0002;
        var hinted = await host.StoreAsync(Bytes32.Sha256("hinted"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: true);
        var png = ImageCodec.Encode(TestPictures.Create(34), ImageFileFormat.Png);

        using var json = await PostContentAsync($"c2pa/v1/matches/byContent?hintAlg={Watermark}&hintValue={Base64(payload)}", png, "image/png");

        Assert.Contains(RecordManifestLabel.For(hinted.Digest), ManifestIds(json));
    }

    [Fact]
    public async Task ByContent_UnknownAlg_Returns400Problem()
    {
        using var body = new ByteArrayContent(ImageCodec.Encode(TestPictures.Create(35), ImageFileFormat.Png));
        body.Headers.ContentType = new("image/png");

        using var response = await host.CreateClient().PostAsync(new Uri("c2pa/v1/matches/byContent?alg=com.adobe.trustmark.Q", UriKind.Relative), body);

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
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
    public async Task Manifests_MatchedId_ReturnsTheStoreAsApplicationC2pa()
    {
        const ulong payload = 0xfeed_f00d_0000_0004;
        var stored = await host.StoreAsync(Bytes32.Sha256("fetch"u8), Bytes32.Zero, WatermarkIds.FromImagePayload(payload), withManifestStore: true);
        using var matches = await GetJsonAsync($"c2pa/v1/matches/byBinding?alg={Watermark}&value={Base64(payload)}");
        var manifestId = ManifestIds(matches).Single()!;

        using var response = await host.CreateClient().GetAsync(new Uri($"c2pa/v1/manifests/{Uri.EscapeDataString(manifestId)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/c2pa", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Manifests.TestManifestStores.For(stored.Digest), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Manifests_ReturnActiveManifest_ReturnsAStoreOfTheActiveManifestAlone()
    {
        var stored = await host.StoreAsync(Bytes32.Sha256("two manifests"u8), Bytes32.Zero, Bytes32.Zero);
        await using (var db = await host.CreateDbContextAsync())
        {
            await Manifests.TestManifestStores.KeepAsync(db, stored.Digest, withIngredient: true);
        }

        var url = $"c2pa/v1/manifests/{Uri.EscapeDataString(RecordManifestLabel.For(stored.Digest))}";
        var whole = await host.CreateClient().GetByteArrayAsync(new Uri(url, UriKind.Relative));
        var active = await host.CreateClient().GetByteArrayAsync(new Uri(url + "?returnActiveManifest=true", UriKind.Relative));

        Assert.Equal(Manifests.TestManifestStores.For(stored.Digest, withIngredient: true), whole);
        Assert.Equal(Manifests.TestManifestStores.For(stored.Digest), active);
    }

    [Fact]
    public async Task Manifests_UnknownId_Returns404Problem()
    {
        var unknown = RecordManifestLabel.For(Bytes32.Sha256("never stored"u8));

        using var response = await host.CreateClient().GetAsync(new Uri($"c2pa/v1/manifests/{Uri.EscapeDataString(unknown)}", UriKind.Relative));

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound, LedgerProblemTypes.NotFound);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("urn:c2pa:not-a-uuid")]
    [InlineData("urn:uuid:6f1c3a2e-8a5b-4c1d-9e2f-0a1b2c3d4e5f")]
    public async Task Manifests_NotAManifestLabel_Returns400Problem(string id)
    {
        using var response = await host.CreateClient().GetAsync(new Uri($"c2pa/v1/manifests/{Uri.EscapeDataString(id)}", UriKind.Relative));

        await VerifyApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest, LedgerProblemTypes.InvalidRequest);
    }

    [Theory]
    [InlineData("c2pa/v1/matches/byBinding", "POST")]
    [InlineData("c2pa/v1/matches/byContent", "POST")]
    [InlineData("c2pa/v1/services/supportedAlgorithms", "GET")]
    public async Task Cors_PreflightFromAnyOrigin_AllowsTheMethodWithoutCredentials(string url, string method)
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, new Uri(url, UriKind.Relative));
        preflight.Headers.Add("Origin", "https://resolver.example");
        preflight.Headers.Add("Access-Control-Request-Method", method);
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await host.CreateClient().SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(method, response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Cors_GetFromAnotherOrigin_AnswersWithAllowOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("c2pa/v1/services/supportedAlgorithms", UriKind.Relative));
        request.Headers.Add("Origin", "https://resolver.example");

        using var response = await host.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Cors_OtherRoutes_AnswerNoAllowOrigin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"api/verify/{Bytes32.Sha256("x"u8)}", UriKind.Relative));
        request.Headers.Add("Origin", "https://resolver.example");

        using var response = await host.CreateClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OpenApi_Always_DescribesTheRoutesWithTheSpecificationsRequiredParametersAndSchemas()
    {
        using var document = JsonDocument.Parse(await host.CreateClient().GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");

        var byBinding = paths.GetProperty("/c2pa/v1/matches/byBinding").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.TryGetProperty("required", out var r) && r.GetBoolean());
        Assert.True(byBinding["alg"]);
        Assert.True(byBinding["value"]);
        Assert.False(byBinding["maxResults"]);
        var byContent = paths.GetProperty("/c2pa/v1/matches/byContent").GetProperty("post").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["alg", "maxResults", "hintAlg", "hintValue"], byContent);
        var manifest = paths.GetProperty("/c2pa/v1/manifests/{manifestId}").GetProperty("get");
        Assert.True(manifest.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/c2pa", out _));
        Assert.Contains("returnActiveManifest", manifest.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(paths.TryGetProperty("/c2pa/v1/services/supportedAlgorithms", out _));
        var query = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("c2pa.softBindingQuery");
        Assert.Equal(["alg", "value"], query.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.True(document.RootElement.GetProperty("components").GetProperty("schemas").TryGetProperty("c2pa.softBindingQueryResult", out _));
    }

    private static string Base64(ulong payload)
    {
        var bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, payload);
        return Uri.EscapeDataString(Convert.ToBase64String(bytes));
    }

    private static List<string?> ManifestIds(JsonDocument json) =>
        [.. json.RootElement.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("manifestId").GetString())];

    private async Task<JsonDocument> PostContentAsync(string url, byte[] content, string mediaType)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new(mediaType);
        using var response = await host.CreateClient().PostAsync(new Uri(url, UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var response = await host.CreateClient().GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
