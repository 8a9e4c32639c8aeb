using System.Net;
using System.Net.Sockets;
using System.Text;
using MobileAigc.Provenance.Core.Endpoints;

namespace MobileAigc.Provenance.Core.Tests.Endpoints;

/// <summary>The connect-time check, against a real listener on loopback.</summary>
public sealed class EndpointHttpTests
{
    [Theory]
    [InlineData("localhost")]     // a DNS name that resolves to 127.0.0.1: passes no parse-time address check
    [InlineData("127.0.0.1")]
    public async Task GetAsync_PublicScope_NameResolvingToLoopback_NeverConnects(string host)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = EndpointHttp.CreateClient(EndpointScope.Public, TimeSpan.FromSeconds(30));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://{host}:{port}/health/live")));

        Assert.Contains("no address a node endpoint may use", refused.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task GetAsync_LocalDevelopmentScope_Connects_AndDoesNotFollowARedirect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var answer = AnswerOnceAsync(listener, "HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var client = EndpointHttp.CreateClient(EndpointScope.LocalDevelopment, TimeSpan.FromSeconds(30));

        using var response = await client.GetAsync(new Uri($"http://localhost:{port}/health/live"));
        await answer;

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    [Fact]
    public async Task GetStringAsync_OversizedBody_IsRefused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var body = new string('a', EndpointHttp.MaxResponseBytes + 1);
        var answer = AnswerOnceAsync(listener, $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
        using var client = EndpointHttp.CreateClient(EndpointScope.LocalDevelopment, TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/")));
        await answer;
    }

    private static async Task AnswerOnceAsync(TcpListener listener, string response)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[4096];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                return;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(response));
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The client may close early once it has refused the body.
        }
    }
}
