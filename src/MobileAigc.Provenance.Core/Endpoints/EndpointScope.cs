namespace MobileAigc.Provenance.Core.Endpoints;

/// <summary>Which addresses a node endpoint may point at.</summary>
public enum EndpointScope
{
    /// <summary>
    /// Public addresses only: no loopback, private, shared (carrier-grade NAT), link-local,
    /// multicast, documentation, reserved or unspecified address, in IPv4 or IPv6 (IPv4-mapped,
    /// NAT64 and 6to4 forms included). The default everywhere.
    /// </summary>
    Public,

    /// <summary>
    /// Also loopback, private and link-local addresses: a local development network (the demo on
    /// localhost) that names this explicitly. Multicast, broadcast and unspecified addresses stay refused.
    /// </summary>
    LocalDevelopment,
}
