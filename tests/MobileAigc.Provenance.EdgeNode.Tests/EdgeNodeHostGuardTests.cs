using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>What the node's host guards, tried on the real host process: provider-only reads, secrets, health, bodies.</summary>
public sealed class EdgeNodeHostGuardTests(EdgeNodeHostFixture fixture) : IClassFixture<EdgeNodeHostFixture>
{
    private static readonly string SomeChannel = EdgeRoutes.Channel(Bytes32.Parse("0x" + new string('c', 64)));

    public static TheoryData<string, string?> ProviderReadsWithoutTheKey()
    {
        var data = new TheoryData<string, string?>();
        foreach (var route in new[] { EdgeRoutes.Earnings, SomeChannel, EdgeRoutes.HeldRecords, EdgeRoutes.NotKeptRecords })
        {
            data.Add(route, null);
            data.Add(route, "Bearer ");
            data.Add(route, "Bearer not-the-provider-key-but-long-enough-0123456789");
            data.Add(route, "Basic cHJvdmlkZXI6a2V5");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProviderReadsWithoutTheKey))]
    public async Task ProviderRead_WithoutTheProviderKey_Is401Problem(string route, string? authorization)
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(EdgeNodeProblemTypes.ProviderKeyRequired, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Type);
    }

    [Fact]
    public async Task ProviderRead_KeyWithAnExtraCharacter_Is401()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EdgeNodeHost.ProviderKey(fixture.Directory.Path) + "0");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(EdgeRoutes.Earnings)).StatusCode);
    }

    [Fact]
    public async Task ProviderRead_WithTheProviderKey_Answers()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync(EdgeRoutes.Earnings)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync(EdgeRoutes.HeldRecords)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync(EdgeRoutes.NotKeptRecords)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync(SomeChannel)).StatusCode);
    }

    [Fact]
    public void FirstStart_WritesEverySecretOwnerOnly_InAnOwnerOnlyFolder()
    {
        var secretFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var name in new[] { "provider.key", "node-keystore.json", "watermark.key" })
        {
            Assert.Equal(secretFile, File.GetUnixFileMode(fixture.Directory.File(name)));
        }

        Assert.Equal(64, EdgeNodeHost.ProviderKey(fixture.Directory.Path).Length);
    }

    [Fact]
    public async Task Health_LiveAnswersWithoutChecks_ReadyRunsThem()
    {
        using var http = new HttpClient { BaseAddress = fixture.Host.BaseAddress };

        Assert.Equal("Healthy", await http.GetStringAsync("health/live"));
        var ready = await http.GetAsync("health/ready");
        Assert.True(ready.StatusCode == HttpStatusCode.OK, await ready.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string, string>();
        var bodies = new (string Body, string ContentType)[]
        {
            ("", "application/json"),
            ("null", "application/json"),
            ("[]", "application/json"),
            ("\"a prompt\"", "application/json"),
            ("{\"prompt\": \"x\"", "application/json"),
            ("{\"prompt\": \"x\",}", "application/json"),
            (new string('[', 5_000) + new string(']', 5_000), "application/json"),
            ("{\"prompt\": \"x\", \"seed\": 1e400}", "application/json"),
            ("{\"prompt\": \"x\", \"seed\": -1}", "application/json"),
            ("{\"prompt\": \"x\", \"seed\": 18446744073709551616}", "application/json"),
            ("{\"prompt\": \"x\", \"creator\": \"0x1234\"}", "application/json"),
            ("{\"prompt\": \"x\", \"creator\": {\"private\": \"yes\"}}", "application/json"),
            ("{\"prompt\": \"x\", \"payment\": {\"channelId\": \"0x12\"}}", "application/json"),
            ("{\"prompt\": \"x\", \"payment\": {\"cumulativeAmount\": \"-1\"}}", "application/json"),
            ("{\"prompt\": \"x\", \"payment\": {\"nonce\": -1}}", "application/json"),
            ("{\"prompt\": \"x\", \"payment\": 7}", "application/json"),
            ("{\"prompt\": \"\\ud800\"}", "application/json"),
            ("prompt=x", "application/x-www-form-urlencoded"),
            ("--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx\r\n--b--\r\n", "multipart/form-data; boundary=b"),
            ("--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nx", "multipart/form-data; boundary=b"),
            ("a prompt", "text/plain"),
            ("{\"prompt\": \"x\"}", "application/xml"),
        };
        data.Add(EdgeRoutes.GenerateImage, "{\"prompt\": \"x\", \"width\": \"wide\"}", "application/json");
        data.Add(EdgeRoutes.GenerateImage, "{\"prompt\": \"x\", \"height\": 1.5}", "application/json");
        data.Add(EdgeRoutes.GenerateText, "{\"prompt\": \"x\", \"temperature\": \"warm\"}", "application/json");
        data.Add(EdgeRoutes.GenerateText, "{\"prompt\": \"x\", \"maxNewTokens\": 99999999999}", "application/json");
        data.Add(EdgeRoutes.GenerateText, "{\"prompt\": \"x\", \"topP\": 2}", "application/json");
        foreach (var route in new[] { EdgeRoutes.GenerateImage, EdgeRoutes.GenerateText })
        {
            foreach (var (body, contentType) in bodies)
            {
                data.Add(route, body, contentType);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Generate_MalformedBody_Is4xxProblem_NeverA5xx(string route, string body, string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await fixture.Http.PostAsync(route, content);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Generate_InvalidUtf8_Is4xxProblem()
    {
        using var content = new ByteArrayContent([(byte)'{', (byte)'"', (byte)'p', (byte)'"', (byte)':', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)'}']);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await fixture.Http.PostAsync(EdgeRoutes.GenerateText, content);

        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task Generate_NoContentType_Is4xxProblem()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"prompt\": \"x\"}"));

        using var response = await fixture.Http.PostAsync(EdgeRoutes.GenerateText, content);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("not-a-channel")]
    [InlineData("0x12")]
    [InlineData("0x" + "zz" + "00000000000000000000000000000000000000000000000000000000000000")]
    public async Task Channel_MalformedId_Is400Problem(string id)
    {
        using var response = await fixture.Http.GetAsync("v1/channels/" + id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
