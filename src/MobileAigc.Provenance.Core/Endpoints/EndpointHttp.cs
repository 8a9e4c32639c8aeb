using System.Net;
using System.Net.Sockets;

namespace MobileAigc.Provenance.Core.Endpoints;

/// <summary>
/// HTTP clients for talking to node endpoints someone else advertised. They connect only to
/// addresses <see cref="NodeEndpoint.IsAllowed(IPAddress, EndpointScope)"/> accepts, checked on the
/// address each connection actually uses (a host name resolving to a private address, or changing
/// between a check and the connection, is caught), never use a proxy (which would connect for them
/// unchecked), never follow redirects, and bound the time, the headers and the body of an answer.
/// </summary>
public static class EndpointHttp
{
    /// <summary>Largest response body read into memory: 64 KiB.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>Largest response headers: 16 KiB.</summary>
    public const int MaxResponseHeadersKilobytes = 16;

    /// <summary>A client bound as the class says, whose every request (connection included) times out after <paramref name="timeout"/>.</summary>
    public static HttpClient CreateClient(EndpointScope scope, TimeSpan timeout) =>
        new(CreateHandler(scope, timeout), disposeHandler: true)
        {
            Timeout = timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };

    /// <summary>The handler of <see cref="CreateClient"/>, for callers that build their own client.</summary>
    public static SocketsHttpHandler CreateHandler(EndpointScope scope, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        MaxResponseHeadersLength = MaxResponseHeadersKilobytes,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, scope, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint target, EndpointScope scope, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(target.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(target.Host, cancellationToken);
        var allowed = addresses.Where(a => NodeEndpoint.IsAllowed(a, scope)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                $"'{target.Host}' resolves to no address a node endpoint may use ({string.Join(", ", addresses.Select(a => a.ToString()))}).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Only the checked addresses: the socket never resolves the name again.
            await socket.ConnectAsync(allowed, target.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
