using System.Net;
using System.Net.Sockets;

namespace MobileAigc.Provenance.Core.Endpoints;

/// <summary>
/// The one rule for a node's public endpoint, applied where an endpoint is written (on chain, in a
/// node's configuration) and where it is used (a creator's probes): an absolute <c>http</c> or
/// <c>https</c> URL with a host, without user-info, query or fragment, whose host is not an address
/// <see cref="IsAllowed(IPAddress, EndpointScope)"/> refuses. A host name is checked here only when it
/// names loopback (<c>localhost</c>); what a name resolves to is checked when connecting
/// (<see cref="EndpointHttp"/>), since the name's owner can point it anywhere at any time.
/// </summary>
public static class NodeEndpoint
{
    /// <summary>Parses and checks <paramref name="text"/>.</summary>
    /// <returns>The endpoint as an absolute URI.</returns>
    /// <exception cref="InvalidEndpointException">When the text breaks the rule; the message says which part.</exception>
    public static Uri Parse(string? text, EndpointScope scope) =>
        TryParse(text, scope, out var endpoint, out var reason) ? endpoint : throw new InvalidEndpointException(reason);

    /// <summary>Checks <paramref name="endpoint"/> (see <see cref="Parse"/>).</summary>
    /// <exception cref="InvalidEndpointException">When the endpoint breaks the rule.</exception>
    public static Uri Validate(Uri endpoint, EndpointScope scope)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Parse(endpoint.IsAbsoluteUri ? endpoint.OriginalString : endpoint.ToString(), scope);
    }

    /// <summary>Parses and checks <paramref name="text"/>; on failure <paramref name="reason"/> says why.</summary>
    public static bool TryParse(string? text, EndpointScope scope, out Uri endpoint, out string reason)
    {
        endpoint = null!;
        reason = Check(text, scope, out var parsed) ?? "";
        if (reason.Length > 0)
        {
            return false;
        }

        endpoint = parsed!;
        return true;
    }

    /// <summary>
    /// Whether a node endpoint may connect to <paramref name="address"/> in <paramref name="scope"/>.
    /// An IPv4 address inside IPv6 (mapped, compatible, NAT64, 6to4) is judged as that IPv4 address.
    /// </summary>
    public static bool IsAllowed(IPAddress address, EndpointScope scope)
    {
        ArgumentNullException.ThrowIfNull(address);
        var kind = Classify(address);
        return kind == AddressKind.Public || (scope == EndpointScope.LocalDevelopment && kind == AddressKind.Local);
    }

    private static string? Check(string? text, EndpointScope scope, out Uri? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri))
        {
            return $"'{text}' is not an absolute URL.";
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"'{text}' is not an http or https URL.";
        }

        if (uri.UserInfo.Length > 0)
        {
            return $"'{text}' carries user information; an endpoint holds no credentials.";
        }

        // Uri drops an empty '?' or '#', so the text is searched as well.
        if (uri.Query.Length > 0 || text.Contains('?', StringComparison.Ordinal))
        {
            return $"'{text}' has a query string; an endpoint is a base address without one.";
        }

        if (uri.Fragment.Length > 0 || text.Contains('#', StringComparison.Ordinal))
        {
            return $"'{text}' has a fragment; an endpoint is a base address without one.";
        }

        if (uri.Host.Length == 0)
        {
            return $"'{text}' has no host.";
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.IdnHost, out var address) && !IsAllowed(address, scope))
        {
            return $"'{text}' points at {Describe(address)}, which a {Name(scope)} endpoint may not.";
        }

        if (uri.HostNameType == UriHostNameType.Dns && IsLoopbackName(uri.IdnHost) && scope != EndpointScope.LocalDevelopment)
        {
            return $"'{text}' points at loopback, which a {Name(scope)} endpoint may not.";
        }

        endpoint = uri;
        return null;
    }

    private static string Name(EndpointScope scope) => scope == EndpointScope.Public ? "public" : "local development";

    private static string Describe(IPAddress address) => Classify(address) switch
    {
        AddressKind.Local => $"a loopback, private or link-local address ({address})",
        _ => $"a multicast, reserved or unspecified address ({address})",
    };

    // RFC 6761: every name under "localhost." is loopback, whatever a resolver says.
    private static bool IsLoopbackName(string host)
    {
        var name = host.TrimEnd('.');
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    private enum AddressKind
    {
        Public,
        Local,
        Never,
    }

    private static AddressKind Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return ClassifyV6(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return AddressKind.Never;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return ClassifyV4(b);
    }

    private static AddressKind ClassifyV4(ReadOnlySpan<byte> b) => b switch
    {
        [0, ..] => AddressKind.Never,                                  // 0.0.0.0/8: "this network", unspecified
        [127, ..] => AddressKind.Local,                                // loopback
        [10, ..] => AddressKind.Local,                                 // private
        [172, >= 16 and <= 31, ..] => AddressKind.Local,               // private
        [192, 168, ..] => AddressKind.Local,                           // private
        [169, 254, ..] => AddressKind.Local,                           // link-local (cloud metadata services live here)
        [100, >= 64 and <= 127, ..] => AddressKind.Local,              // shared address space (carrier-grade NAT)
        [192, 0, 0, _] => AddressKind.Never,                           // IETF protocol assignments
        [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => AddressKind.Never, // documentation
        [198, 18 or 19, ..] => AddressKind.Never,                      // benchmarking
        [>= 224, ..] => AddressKind.Never,                             // multicast, reserved, broadcast
        _ => AddressKind.Public,
    };

    private static AddressKind ClassifyV6(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.IsIPv4MappedToIPv6)
        {
            return ClassifyV4(b[12..]);
        }

        if (b[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d.
            return b[12..15].IndexOfAnyExcept((byte)0) < 0 && b[15] <= 1
                ? (b[15] == 1 ? AddressKind.Local : AddressKind.Never)
                : ClassifyV4(b[12..]);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return ClassifyV4(b[12..]);                                // 64:ff9b::/96 NAT64
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return ClassifyV4(b[2..6]);                                // 2002::/16 6to4
        }

        return b switch
        {
            [0xff, ..] => AddressKind.Never,                           // multicast
            [0xfe, >= 0x80 and <= 0xbf, ..] => AddressKind.Local,      // link-local
            [0xfe, >= 0xc0, ..] => AddressKind.Local,                  // site-local (deprecated)
            [0xfc or 0xfd, ..] => AddressKind.Local,                   // unique local
            [0x20, 0x01, 0x0d, 0xb8, ..] => AddressKind.Never,         // documentation
            [0x20, 0x01, 0x00, 0x00, ..] => AddressKind.Never,         // Teredo: hides an IPv4 address
            _ => AddressKind.Public,
        };
    }
}

/// <summary>A node endpoint that breaks <see cref="NodeEndpoint"/>'s rule.</summary>
/// <param name="message">Which part breaks the rule.</param>
public sealed class InvalidEndpointException(string message) : ArgumentException(message);
