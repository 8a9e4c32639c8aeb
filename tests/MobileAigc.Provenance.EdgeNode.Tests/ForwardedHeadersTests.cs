using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>
/// The node believes <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> only from the proxies its operator names
/// (<c>EdgeNode:Host:TrustedProxies</c>): tried on two real host processes, one trusting no proxy and one trusting
/// the loopback address the test connects from. What the node believes shows in its OpenAPI document's server URL,
/// which it builds from the request's scheme. The framework's middleware believes every sender when it knows no
/// proxy, so a node without a configured proxy must not run it at all.
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _direct = new();
    private readonly TempDirectory _proxied = new();
    private HostProcess _directHost = null!;
    private HostProcess _proxiedHost = null!;

    public async Task InitializeAsync()
    {
        var direct = EdgeNodeHost.StartAsync(_direct.Path, ledger: null);
        var proxied = EdgeNodeHost.StartAsync(_proxied.Path, ledger: null, new Dictionary<string, string>
        {
            ["EdgeNode__Host__TrustedProxies__0"] = "127.0.0.1",
        });
        _directHost = await direct;
        _proxiedHost = await proxied;
    }

    public async Task DisposeAsync()
    {
        await _directHost.DisposeAsync();
        await _proxiedHost.DisposeAsync();
    }

    public void Dispose()
    {
        _direct.Dispose();
        _proxied.Dispose();
    }

    [Fact]
    public async Task ForwardedProto_FromAPeerThatIsNoConfiguredProxy_IsIgnored()
    {
        var server = await ServerUrlAsync(_directHost, forwardedProto: "https");

        Assert.Equal(_directHost.BaseAddress.ToString(), server);
    }

    [Fact]
    public async Task ForwardedHost_IsNeverBelieved_NotEvenFromAConfiguredProxy()
    {
        var server = await ServerUrlAsync(_proxiedHost, forwardedProto: null, forwardedHost: "attacker.example");

        Assert.DoesNotContain("attacker.example", server, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardedProto_FromAConfiguredProxy_IsBelieved()
    {
        var server = await ServerUrlAsync(_proxiedHost, forwardedProto: "https");

        Assert.StartsWith("https://", server, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoForwardedHeader_ServerUrlIsTheRequestsOwn()
    {
        Assert.StartsWith("http://", await ServerUrlAsync(_proxiedHost, forwardedProto: null), StringComparison.Ordinal);
    }

    private static async Task<string> ServerUrlAsync(HostProcess host, string? forwardedProto, string? forwardedHost = "attacker.example")
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "openapi/v1.json");
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        }

        if (forwardedHost is not null)
        {
            request.Headers.Add("X-Forwarded-Host", forwardedHost);
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return document["servers"]![0]!["url"]!.GetValue<string>();
    }
}
