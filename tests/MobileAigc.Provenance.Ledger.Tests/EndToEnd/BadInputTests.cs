using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// Every public route of the real ledger process fed bad input: each answer is a 4xx
/// ProblemDetails (never a 5xx, never a bare status), and the stored data is untouched.
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class BadInputTests(LedgerChainFixture chain) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-bad-input-").FullName;
    private LedgerHostSetup _setup = null!;
    private HostProcess _host = null!;
    private HttpClient _http = null!;
    private SignedProvenanceRecord _stored = null!;

    public async Task InitializeAsync()
    {
        _setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var settings = await _setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        await File.WriteAllTextAsync(Path.Combine(_directory, "admin.key"), "the right admin key");
        settings["Ledger:Host:AdminApiKeyFile"] = Path.Combine(_directory, "admin.key");
        settings["Ledger:Host:MaxRequestBodyBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _host = await LedgerHostProcess.StartAsync(settings);
        _http = new HttpClient { BaseAddress = _host.BaseAddress };
        var records = _setup.NewRecords(3);
        _stored = records[0];
        await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, records);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EveryBadRequest_AnswersAClientProblem_AndStoresNothing()
    {
        var before = await CountsAsync();
        var cases = Cases().ToList();
        Assert.True(cases.Count >= 50, $"only {cases.Count} bad requests");
        var failures = new List<string>();
        foreach (var (name, request) in cases)
        {
            using var message = request();
            using var response = await _http.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var problemType = TryProblemType(body);
            if (status is < 400 or >= 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || string.IsNullOrEmpty(problemType))
            {
                failures.Add($"{name}: {status} {response.Content.Headers.ContentType?.MediaType} {body[..Math.Min(body.Length, 200)]}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} bad requests were not a 4xx ProblemDetails:\n{string.Join('\n', failures)}\n{_host.Output}");
        // Nothing stored; the one conflicting record is kept for audit, as a conflict must be.
        Assert.Equal((before.Records, before.Refused + 1), await CountsAsync());

        // And the ledger still works: a good record is accepted after all that.
        var response2 = await LedgerHostSetup.SubmitWhenNodeKnownAsync(_http, _setup.NewRecords(1));
        Assert.True(response2.Records.Single().Accepted);
    }

    private IEnumerable<(string Name, Func<HttpRequestMessage> Request)> Cases()
    {
        var good = JsonSerializer.SerializeToNode(new SubmitRecordsRequest([_setup.NewRecords(1)[0]]), JsonSerializerOptions.Web)!.AsObject();
        string WithRecordField(string field, JsonNode? value)
        {
            var copy = good.DeepClone().AsObject();
            copy["records"]![0]!["record"]![field] = value;
            return copy.ToJsonString();
        }

        string WithSignature(string signature)
        {
            var copy = good.DeepClone().AsObject();
            copy["records"]![0]!["signature"] = signature;
            return copy.ToJsonString();
        }

        var sig = good["records"]![0]!["signature"]!.GetValue<string>();
        const string records = "api/records";
        yield return ("ingest: empty body", () => Json(records, ""));
        yield return ("ingest: not JSON", () => Json(records, "not json"));
        yield return ("ingest: truncated JSON", () => Json(records, "{\"records\": [{"));
        yield return ("ingest: array instead of object", () => Json(records, "[]"));
        yield return ("ingest: records null", () => Json(records, "{\"records\": null}"));
        yield return ("ingest: no records", () => Json(records, "{\"records\": []}"));
        yield return ("ingest: records a string", () => Json(records, "{\"records\": \"x\"}"));
        yield return ("ingest: empty record", () => Json(records, "{\"records\": [{}]}"));
        yield return ("ingest: record without signature", () => Json(records, "{\"records\": [{\"record\": {}}]}"));
        yield return ("ingest: content hash not hex", () => Json(records, WithRecordField("contentHash", "0xzz")));
        yield return ("ingest: content hash too short", () => Json(records, WithRecordField("contentHash", "0x1234")));
        yield return ("ingest: content hash a number", () => Json(records, WithRecordField("contentHash", 12)));
        yield return ("ingest: node not an address", () => Json(records, WithRecordField("node", "0x1234")));
        yield return ("ingest: node with a bad checksum", () => Json(records, WithRecordField("node", "0x52908400098527886E0F7030069857D2E4169EE7")));
        yield return ("ingest: timestamp a string", () => Json(records, WithRecordField("timestamp", "yesterday")));
        yield return ("ingest: timestamp negative", () => Json(records, WithRecordField("timestamp", -1)));
        yield return ("ingest: sequence fractional", () => Json(records, WithRecordField("sequence", 1.5)));
        yield return ("ingest: sequence beyond uint64", () => Json(records, WithRecordField("sequence", JsonNode.Parse("184467440737095516160"))));
        yield return ("ingest: timestamp far in the future", () => Json(records, Resigned(r => r with { Timestamp = (ulong)DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeSeconds() })));
        yield return ("ingest: signature not hex", () => Json(records, WithSignature("0xnothex")));
        yield return ("ingest: signature too short", () => Json(records, WithSignature(sig[..100])));
        yield return ("ingest: signature v = 29", () => Json(records, WithSignature(sig[..^2] + "1d")));
        yield return ("ingest: malleable signature (high s)", () => Json(records, WithSignature(HighS(sig))));
        yield return ("ingest: signed by another key", () => Json(records, Resigned(r => r, EthECKey.GenerateKey())));
        yield return ("ingest: timestamp far in the past", () => Json(records, Resigned(r => r with { Timestamp = (ulong)DateTimeOffset.UtcNow.AddDays(-30).ToUnixTimeSeconds() })));
        yield return ("ingest: unknown record version", () => Json(records, Resigned(r => r with { Version = 9 })));
        yield return ("ingest: version 1 with extensions", () => Json(records, Resigned(r => r with { Extensions = Bytes32.Sha256([9]) })));
        yield return ("ingest: creator without proof", () => Json(records, Resigned(r => r with { Creator = EvmAddress.Parse(StrangerKey.GetPublicAddress()) })));
        yield return ("ingest: tampered after signing", () => Json(records, WithRecordField("promptCommitment", Bytes32.Sha256([9]).ToString())));
        yield return ("ingest: unknown model", () => Json(records, Resigned(r => r with { ModelHash = Bytes32.Sha256([1, 2, 3]) })));
        yield return ("ingest: node not registered", () => Json(records, Resigned(r => r with { Node = EvmAddress.Parse(StrangerKey.GetPublicAddress()) }, StrangerKey)));
        yield return ("ingest: 1,001 records", () => Json(records, JsonSerializer.Serialize(new SubmitRecordsRequest(Enumerable.Repeat(_stored, 1_001).ToList()), JsonSerializerOptions.Web)));
        yield return ("ingest: body over the size limit", () => ExpectContinue(Json(records, "{\"records\": [\"" + new string('a', 2 * 1024 * 1024) + "\"]}")));
        yield return ("ingest: text/plain body", () => new HttpRequestMessage(HttpMethod.Post, records) { Content = new StringContent(good.ToJsonString(), Encoding.UTF8, "text/plain") });
        yield return ("ingest: JSON nested 200 deep", () => Json(records, new string('[', 200) + new string(']', 200)));
        yield return ("ingest: conflicting sequence", () => Json(records, Resigned(r => r with { Sequence = _stored.Record.Sequence })));
        yield return ("record: digest not hex", () => Get("api/records/0xnothex"));
        yield return ("record: digest too short", () => Get("api/records/0x1234"));
        yield return ("record: unknown digest", () => Get($"api/records/{Bytes32.Sha256([42])}"));
        const string evidence = "api/records/evidence";
        yield return ("evidence: empty body", () => Json(evidence, ""));
        yield return ("evidence: not JSON", () => Json(evidence, "not json"));
        yield return ("evidence: array instead of object", () => Json(evidence, "[]"));
        yield return ("evidence: digests null", () => Json(evidence, "{\"digests\": null}"));
        yield return ("evidence: no digests", () => Json(evidence, "{\"digests\": []}"));
        yield return ("evidence: digest not hex", () => Json(evidence, "{\"digests\": [\"0xnothex\"]}"));
        yield return ("evidence: digest a number", () => Json(evidence, "{\"digests\": [12]}"));
        yield return ("evidence: 1,001 digests", () => Json(evidence, JsonSerializer.Serialize(
            new RecordEvidenceRequest([.. Enumerable.Range(0, 1_001).Select(i => Bytes32.Sha256(BitConverter.GetBytes(i)))]), JsonSerializerOptions.Web)));
        yield return ("evidence: text/plain body", () => new HttpRequestMessage(HttpMethod.Post, evidence) { Content = new StringContent("{\"digests\": []}", Encoding.UTF8, "text/plain") });
        yield return ("verify: hash not hex", () => Get("api/verify/xyz"));
        yield return ("verify: hash with a non-hex digit", () => Get("api/verify/" + new string('g', 64)));
        yield return ("verify: hash too long", () => Get("api/verify/" + new string('a', 66)));
        yield return ("verify: no body", () => new HttpRequestMessage(HttpMethod.Post, "api/verify"));
        yield return ("verify: JSON instead of a form", () => Json("api/verify", "{}"));
        yield return ("verify: form without the file field", () => Form("other", [1, 2, 3], "x.png"));
        yield return ("verify: zero-byte file", () => Form("file", [], "empty.png"));
        yield return ("verify: random bytes", () => Form("file", RandomBytes(5_000), "random.png"));
        yield return ("verify: truncated PNG", () => Form("file", Png()[..300], "cut.png"));
        yield return ("verify: truncated JPEG", () => Form("file", Jpeg()[..300], "cut.jpg"));
        yield return ("verify: PNG header claiming 100,000 x 100,000 pixels", () => Form("file", HugePngHeader(), "huge.png"));
        yield return ("verify: upload over the size limit", () => ExpectContinue(Form("file", RandomBytes(2 * 1024 * 1024), "big.png")));
        yield return ("audit: garbage cursor", () => Get("api/audit/records?cursor=garbage!"));
        yield return ("audit: limit 0", () => Get("api/audit/records?limit=0"));
        yield return ("audit: limit 100,000", () => Get("api/audit/records?limit=100000"));
        yield return ("audit: model not a hash", () => Get("api/audit/records?model=nothex"));
        yield return ("audit: node not an address", () => Get("api/audit/records?node=0x123"));
        yield return ("audit: creator not an address", () => Get("api/audit/records?creator=alice"));
        yield return ("audit: from not a time", () => Get("api/audit/records?from=notatime"));
        yield return ("audit: unknown state", () => Get("api/audit/records?state=bogus"));
        yield return ("audit: batch id not a number", () => Get("api/audit/batches/abc"));
        yield return ("audit: unknown batch", () => Get("api/audit/batches/999999"));
        yield return ("audit: proof of a bad digest", () => Get("api/audit/records/0x12/proof"));
        yield return ("audit: proof of an unknown record", () => Get($"api/audit/records/{Bytes32.Sha256([43])}/proof"));
        yield return ("audit: export as xml", () => Get("api/audit/export?format=xml"));
        yield return ("audit: batches with a garbage cursor", () => Get("api/audit/batches?cursor=%%%"));
        yield return ("admin: reconcile without a key", () => new HttpRequestMessage(HttpMethod.Post, "api/admin/reconcile"));
        yield return ("admin: reconcile with a wrong key", () => WithBearer(new HttpRequestMessage(HttpMethod.Post, "api/admin/reconcile"), "wrong"));
        yield return ("c2pa: byBinding without parameters", () => Get("c2pa/v1/matches/byBinding"));
        yield return ("c2pa: byBinding with an unknown algorithm", () => Get("c2pa/v1/matches/byBinding?alg=com.example.other.1&value=AAAAAAAAAAA%3D"));
        yield return ("c2pa: byBinding with a value not base64", () => Get("c2pa/v1/matches/byBinding?alg=org.mobileaigc.watermark.image.1&value=not%20base64!"));
        yield return ("c2pa: byContent with no body", () => new HttpRequestMessage(HttpMethod.Post, "c2pa/v1/matches/byContent"));
        yield return ("c2pa: byContent with random bytes", () => new HttpRequestMessage(HttpMethod.Post, "c2pa/v1/matches/byContent") { Content = Bytes(RandomBytes(1_000), "image/png") });
        yield return ("c2pa: byContent with a truncated PNG", () => new HttpRequestMessage(HttpMethod.Post, "c2pa/v1/matches/byContent") { Content = Bytes(Png()[..300], "image/png") });
        yield return ("c2pa: byContent with a PNG over the pixel budget", () => new HttpRequestMessage(HttpMethod.Post, "c2pa/v1/matches/byContent") { Content = Bytes(OverBudgetPng(), "image/png") });
        yield return ("verify: PNG over the pixel budget", () => Form("file", OverBudgetPng(), "wide.png"));
        foreach (var malformed in MalformedBodies())
        {
            foreach (var route in new[] { records, "api/verify", "c2pa/v1/matches/byBinding" })
            {
                yield return ($"{route}: {malformed.Name}", () => new HttpRequestMessage(HttpMethod.Post, route) { Content = malformed.Body() });
            }
        }
    }

    /// <summary>Malformed bodies of every content type a route of the ledger accepts (JSON, multipart, form, raw).</summary>
    private static IEnumerable<(string Name, Func<HttpContent> Body)> MalformedBodies()
    {
        const string boundary = "b0undary";
        const string section = "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n";
        yield return ("JSON, truncated", () => Raw("{\"records\": [", "application/json"));
        yield return ("JSON, empty", () => Raw("", "application/json"));
        yield return ("JSON, unknown charset", () => Raw("{}", "application/json; charset=klingon-8"));
        yield return ("JSON, invalid UTF-8", () => Bytes([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], "application/json"));
        yield return ("multipart without a boundary", () => Raw("--x\r\n" + section + "abc\r\n--x--\r\n", "multipart/form-data"));
        yield return ("multipart with a boundary over 70 characters", () => Raw("--" + new string('b', 200) + "\r\n", "multipart/form-data; boundary=" + new string('b', 200)));
        yield return ("multipart, garbage after the boundary", () => Raw("not a multipart body at all", $"multipart/form-data; boundary={boundary}"));
        yield return ("multipart, truncated inside a section", () => Raw($"--{boundary}\r\n" + section + "\u0089PNG", $"multipart/form-data; boundary={boundary}"));
        yield return ("multipart, section without Content-Disposition", () => Raw($"--{boundary}\r\nContent-Type: image/png\r\n\r\nabc\r\n--{boundary}--\r\n", $"multipart/form-data; boundary={boundary}"));
        yield return ("multipart, section headers never end", () => Raw($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"\r\n" + new string('x', 20_000), $"multipart/form-data; boundary={boundary}"));
        yield return ("multipart, 100 sections", () => Raw(string.Concat(Enumerable.Range(0, 100).Select(i => $"--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n")) + $"--{boundary}--\r\n", $"multipart/form-data; boundary={boundary}"));
        yield return ("form, broken escapes", () => Raw("file=%zz%&&==&%", "application/x-www-form-urlencoded"));
        yield return ("form, 1,000 fields", () => Raw(string.Join('&', Enumerable.Range(0, 1_000).Select(i => $"f{i}=v")), "application/x-www-form-urlencoded"));
        yield return ("raw bytes", () => Bytes(RandomBytes(3_000), "application/octet-stream"));
        yield return ("no content type", () => new ByteArrayContent(RandomBytes(100)));
        yield return ("XML", () => Raw("<records/>", "application/xml"));
    }

    private static StringContent Raw(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    // 2,100 × 2,100 pixels of one colour: a small file, over the default budget of 2,048 × 2,048.
    private static byte[] OverBudgetPng() => ImageCodec.Encode(RgbImage.Create(2_100, 2_100), ImageFileFormat.Png);

    private static readonly EthECKey StrangerKey = EthECKey.GenerateKey();

    private string Resigned(Func<ProvenanceRecord, ProvenanceRecord> change, EthECKey? key = null)
    {
        var record = change(_setup.NewRecords(1)[0].Record);
        var signature = ProvenanceRecordTypedData.Sign(record, _setup.Deployment.Chain.Domain, key ?? _setup.Deployment.NodeKey);
        return JsonSerializer.Serialize(new SubmitRecordsRequest([new SignedProvenanceRecord(record, signature)]), JsonSerializerOptions.Web);
    }

    private static string HighS(string signature)
    {
        var bytes = Convert.FromHexString(signature[2..]);
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);
        var s = new System.Numerics.BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        (n - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(bytes.AsSpan(32, 32));
        bytes[64] = (byte)(bytes[64] == 27 ? 28 : 27);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    private static HttpRequestMessage Json(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    // The server answers 413 before reading an oversize body; with 100-continue the client waits
    // for that answer instead of failing on a connection closed under its upload.
    private static HttpRequestMessage ExpectContinue(HttpRequestMessage request)
    {
        request.Headers.ExpectContinue = true;
        return request;
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Form(string field, byte[] file, string name)
    {
        var form = new MultipartFormDataContent { { Bytes(file, "application/octet-stream"), field, name } };
        return new HttpRequestMessage(HttpMethod.Post, "api/verify") { Content = form };
    }

    private static ByteArrayContent Bytes(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static HttpRequestMessage WithBearer(HttpRequestMessage request, string key)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Png() => ImageCodec.Encode(TestPictures.Create(1, 256, 256), ImageFileFormat.Png);

    private static byte[] Jpeg() => ImageCodec.Encode(TestPictures.Create(2, 256, 256), ImageFileFormat.Jpeg, 90);

    private static byte[] HugePngHeader()
    {
        var png = Png();
        // IHDR width and height sit at bytes 16..23; the CRC no longer matches either, as in a crafted file.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 100_000);
        return png;
    }

    private static string? TryProblemType(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["type"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<(int Records, int Refused)> CountsAsync()
    {
        await using var db = LedgerDatabase.Open(new LedgerDatabaseOptions { DataDirectory = Path.Combine(_directory, "db") });
        return (await db.Records.CountAsync(), await db.RefusedRecords.CountAsync());
    }
}
