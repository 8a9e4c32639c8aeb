using System.Net;
using MobileAigc.Provenance.Core.Endpoints;

namespace MobileAigc.Provenance.Core.Tests.Endpoints;

public sealed class NodeEndpointTests
{
    [Theory]
    [InlineData("https://node.example/")]
    [InlineData("http://node.example:8080/v1")]
    [InlineData("https://8.8.8.8/")]
    [InlineData("https://[2606:4700:4700::1111]:8443/")]
    public void Parse_PublicHttpEndpoint_IsAccepted(string text) =>
        Assert.Equal(new Uri(text), NodeEndpoint.Parse(text, EndpointScope.Public));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/relative/path")]
    [InlineData("node.example:8080")]
    [InlineData("ftp://node.example/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://node.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://user:secret@node.example/")]
    [InlineData("https://user@node.example/")]
    [InlineData("https://node.example/?next=http://10.0.0.1/")]
    [InlineData("https://node.example/?")]
    [InlineData("https://node.example/#fragment")]
    [InlineData("https://node.example/#")]
    public void Parse_MalformedEndpoint_IsRefusedInEveryScope(string? text)
    {
        Assert.Throws<InvalidEndpointException>(() => NodeEndpoint.Parse(text, EndpointScope.Public));
        Assert.Throws<InvalidEndpointException>(() => NodeEndpoint.Parse(text, EndpointScope.LocalDevelopment));
    }

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.1.2.3:8080/")]
    [InlineData("http://2130706433/")]            // 127.0.0.1 as one number
    [InlineData("http://0x7f.0.0.1/")]            // 127.0.0.1 in hex
    [InlineData("http://localhost:5080/")]
    [InlineData("http://LOCALHOST./")]
    [InlineData("http://api.localhost/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://172.31.255.254/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[fc00::1]/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::ffff:10.0.0.1]/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[64:ff9b::a00:1]/")]      // NAT64 of 10.0.0.1
    [InlineData("http://[2002:7f00:1::]/")]       // 6to4 of 127.0.0.1
    [InlineData("http://[::127.0.0.1]/")]         // IPv4-compatible
    public void Parse_LoopbackPrivateOrLinkLocal_IsRefusedUnlessLocalDevelopment(string text)
    {
        var refused = Assert.Throws<InvalidEndpointException>(() => NodeEndpoint.Parse(text, EndpointScope.Public));
        Assert.Contains("public endpoint may not", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(NodeEndpoint.Parse(text, EndpointScope.LocalDevelopment));
    }

    [Theory]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://0/")]
    [InlineData("http://[::]/")]
    [InlineData("http://224.0.0.1/")]
    [InlineData("http://239.255.255.250/")]
    [InlineData("http://255.255.255.255/")]
    [InlineData("http://240.0.0.1/")]
    [InlineData("http://[ff02::1]/")]
    [InlineData("http://[::ffff:0.0.0.0]/")]
    [InlineData("http://192.0.2.1/")]
    [InlineData("http://[2001:db8::1]/")]
    public void Parse_MulticastReservedOrUnspecified_IsRefusedInEveryScope(string text)
    {
        Assert.Throws<InvalidEndpointException>(() => NodeEndpoint.Parse(text, EndpointScope.Public));
        Assert.Throws<InvalidEndpointException>(() => NodeEndpoint.Parse(text, EndpointScope.LocalDevelopment));
    }

    [Theory]
    [InlineData("1.1.1.1", true)]
    [InlineData("172.15.255.255", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("::ffff:1.1.1.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::ffff:192.168.0.1", false)]
    [InlineData("fe80::abcd", false)]
    public void IsAllowed_Public_JudgesTheAddress(string address, bool allowed) =>
        Assert.Equal(allowed, NodeEndpoint.IsAllowed(IPAddress.Parse(address), EndpointScope.Public));

    [Fact]
    public void Validate_UriWithEmptyQuery_IsRefused() =>
        Assert.Throws<InvalidEndpointException>(() => NodeEndpoint.Validate(new Uri("https://node.example/?"), EndpointScope.Public));
}
