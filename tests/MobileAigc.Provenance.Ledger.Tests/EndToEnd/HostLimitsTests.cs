using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// The real ledger process under the ways a client can exhaust it or read what it should not: its
/// chain node answers every call with an RPC error full of internal detail (which must never reach an
/// answer), one client pretends to be many through <c>X-Forwarded-For</c>, and heavy uploads arrive
/// faster than they can be served.
/// </summary>
public sealed class HostLimitsTests : IAsyncLifetime
{
    private const string UpstreamSecret = "UPSTREAM-SECRET postgres://admin:hunter2@10.0.0.5/chain";
    private const string AdminKey = "the admin key";

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-limits-").FullName;
    private WebApplication _rpc = null!;
    private HostProcess _direct = null!;
    private HostProcess _proxied = null!;

    public async Task InitializeAsync()
    {
        _rpc = await StartFailingRpcAsync();
        var rpcUrl = _rpc.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        await File.WriteAllTextAsync(Path.Combine(_directory, "admin.key"), AdminKey);
        Dictionary<string, string> Settings(string name) => new()
        {
            ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, name),
            ["Ledger:Chain:RpcUrl"] = rpcUrl,
            ["Ledger:Chain:ChainId"] = "31337",
            ["Ledger:Chain:ModelRegistry"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            ["Ledger:Chain:ProvenanceLedger"] = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            ["Ledger:Chain:PollInterval"] = "00:00:01",
            ["Ledger:Host:AdminApiKeyFile"] = Path.Combine(_directory, "admin.key"),
            ["Ledger:Host:RateLimitPermits"] = "3",
            ["Ledger:Host:RateLimitWindow"] = "01:00:00",
        };

        var proxied = Settings("proxied");
        proxied["Ledger:Host:KnownProxies:0"] = "127.0.0.1";
        proxied["Ledger:Host:MaxConcurrentHeavyRequests"] = "1";
        proxied["Ledger:Host:HeavyRequestQueueLimit"] = "0";
        proxied["Ledger:Host:MaxConcurrentHashVerifications"] = "1";
        proxied["Ledger:Host:HashVerificationQueueLimit"] = "0";
        var hosts = await Task.WhenAll(LedgerHostProcess.StartAsync(Settings("direct")), LedgerHostProcess.StartAsync(proxied));
        (_direct, _proxied) = (hosts[0], hosts[1]);
    }

    public async Task DisposeAsync()
    {
        await _direct.DisposeAsync();
        await _proxied.DisposeAsync();
        await _rpc.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Liveness_ChainFailing_AnswersHealthyWithoutCheckingWhileReadinessIsDegraded()
    {
        using var http = new HttpClient { BaseAddress = _direct.BaseAddress };

        using var live = await http.GetAsync("health/live");
        using var ready = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        var readiness = await ready.Content.ReadAsStringAsync();
        Assert.Equal("Degraded", readiness);
        Assert.DoesNotContain("UPSTREAM", readiness, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChainRpcFailing_AnswersAFixedProblem_WithoutTheUpstreamText()
    {
        using var http = new HttpClient { BaseAddress = _direct.BaseAddress };
        using var reconcile = new HttpRequestMessage(HttpMethod.Post, "api/admin/reconcile");
        reconcile.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);

        using var response = await http.SendAsync(reconcile);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(LedgerProblemTypes.ChainUnavailable, JsonNode.Parse(body)?["type"]?.GetValue<string>());
        Assert.DoesNotContain("UPSTREAM", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        // The operator still learns what happened: the text is in the log.
        Assert.Contains("UPSTREAM-SECRET", _direct.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUnconfiguredProxy_IsIgnored_SoOneClientCannotPoseAsMany()
    {
        using var http = new HttpClient { BaseAddress = _direct.BaseAddress };
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/verify/{Bytes32.Sha256([(byte)i])}");
            request.Headers.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            statuses.Add(await http.SendAsync(request));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses.Select(s => s.StatusCode));
        var refused = statuses[3];
        Assert.Equal(LedgerProblemTypes.RateLimited, JsonNode.Parse(await refused.Content.ReadAsStringAsync())?["type"]?.GetValue<string>());
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 429 says when to come back");
        statuses.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxy_GivesEachClientItsOwnWindow()
    {
        using var http = new HttpClient { BaseAddress = _proxied.BaseAddress };
        async Task<HttpStatusCode> GetAsync(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/verify/{Bytes32.Sha256([1])}");
            // What a client wrote first is ignored; the proxy's own entry (the last) counts.
            request.Headers.Add("X-Forwarded-For", $"203.0.113.99, {client}");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await GetAsync("192.0.2.10"));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.OK, await GetAsync("192.0.2.11"));
    }

    [Fact]
    public async Task HeavyUploads_BeyondTheirSlots_AnswerServiceBusyWithRetryAfter_NeverQueueingWithoutBound()
    {
        using var http = new HttpClient { BaseAddress = _proxied.BaseAddress };
        var png = ImageCodec.Encode(TestPictures.Create(3, 1024, 1024), ImageFileFormat.Png);
        var client = 0;
        var answers = new List<(HttpStatusCode Status, string? Type, TimeSpan? RetryAfter)>();
        // One slot, no queue: of uploads sent together, those arriving while one runs are refused at once.
        for (var round = 0; round < 10 && !answers.Any(a => a.Status == HttpStatusCode.ServiceUnavailable); round++)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => UploadAsync(Interlocked.Increment(ref client)))));
        }

        AssertServedAndRefusedOnlyAsBusy(answers);

        async Task<(HttpStatusCode, string?, TimeSpan?)> UploadAsync(int from)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, LedgerVerification.VerifyPath)
            {
                Content = new MultipartFormDataContent { { new ByteArrayContent(png), LedgerVerification.FileField, "picture.png" } },
            };
            // Each upload from its own client, so the per-address window is not what refuses them.
            request.Headers.Add("X-Forwarded-For", $"10.1.{from / 250}.{(from % 250) + 1}");
            return await SendAsync(http, request);
        }
    }

    [Fact]
    public async Task HashVerifications_BeyondTheirSlots_AnswerServiceBusyWithRetryAfter_ThenServeAgain()
    {
        using var http = new HttpClient { BaseAddress = _proxied.BaseAddress };
        var client = 0;
        var answers = new List<(HttpStatusCode Status, string? Type, TimeSpan? RetryAfter)>();
        // One slot, no queue: of verifications sent together, those arriving while one runs are refused at once.
        for (var round = 0; round < 50 && !answers.Any(a => a.Status == HttpStatusCode.ServiceUnavailable); round++)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => VerifyAsync(Interlocked.Increment(ref client)))));
        }

        AssertServedAndRefusedOnlyAsBusy(answers);

        // The flood over, the slot is free again: a request is answered (the last lease may still be released as it is asked).
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        var after = await VerifyAsync(Interlocked.Increment(ref client));
        while (after.Status != HttpStatusCode.OK && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            after = await VerifyAsync(Interlocked.Increment(ref client));
        }

        Assert.Equal(HttpStatusCode.OK, after.Status);

        async Task<(HttpStatusCode Status, string? Type, TimeSpan? RetryAfter)> VerifyAsync(int from)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{LedgerVerification.VerifyPath}/{Bytes32.Sha256(BitConverter.GetBytes(from))}");
            // Each request from its own client, so the per-address window is not what refuses them.
            request.Headers.Add("X-Forwarded-For", $"10.2.{from / 250}.{(from % 250) + 1}");
            return await SendAsync(http, request);
        }
    }

    // Some answered, and every other answer a 503 service-busy problem with a Retry-After.
    private static void AssertServedAndRefusedOnlyAsBusy(List<(HttpStatusCode Status, string? Type, TimeSpan? RetryAfter)> answers)
    {
        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK);
        Assert.Contains(answers, a => a.Status == HttpStatusCode.ServiceUnavailable);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status);
            Assert.Equal(LedgerProblemTypes.ServiceBusy, a.Type);
            Assert.True(a.RetryAfter > TimeSpan.Zero);
        });
    }

    private static async Task<(HttpStatusCode Status, string? Type, TimeSpan? RetryAfter)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var type = response.IsSuccessStatusCode ? null : JsonNode.Parse(body)?["type"]?.GetValue<string>();
        return (response.StatusCode, type, response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ApiDocument_ForwardedProtoAndHostFromAnUnconfiguredPeer_AreIgnored()
    {
        Assert.Equal(_direct.BaseAddress.ToString(), await ApiDocumentServerAsync(_direct, "https", "attacker.example"));
    }

    [Fact]
    public async Task ApiDocument_ForwardedProtoFromAConfiguredProxy_IsBelieved_ButNeverAForwardedHost()
    {
        var server = await ApiDocumentServerAsync(_proxied, "https", "attacker.example");

        Assert.StartsWith("https://", server, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", server, StringComparison.Ordinal);
    }

    // The server URL of the OpenAPI document (and so of the API reference), asked for with forwarded headers.
    private static async Task<string> ApiDocumentServerAsync(HostProcess host, string forwardedProto, string forwardedHost)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "openapi/v1.json");
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        request.Headers.Add("X-Forwarded-Host", forwardedHost);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["servers"]![0]!["url"]!.GetValue<string>();
    }

    // A chain node that answers every JSON-RPC call with an error carrying internal detail.
    private static async Task<WebApplication> StartFailingRpcAsync()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapPost("/", async (HttpContext context) =>
        {
            var request = await JsonNode.ParseAsync(context.Request.Body);
            var error = new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = request?["id"]?.DeepClone(),
                ["error"] = new JsonObject { ["code"] = -32603, ["message"] = UpstreamSecret },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(error.ToJsonString());
        });
        await app.StartAsync();
        return app;
    }
}
