namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>
/// The kinds of heavy work, each with its own pool of <c>Ledger:Host:MaxConcurrentHeavyRequests</c>
/// slots (verification by hash: its own size), so that a flood of one (verification uploads) never starves another (the nodes' ingest).
/// </summary>
public enum HeavyWork
{
    /// <summary>Not heavy: no pool, no limit beyond the per-address window.</summary>
    None,

    /// <summary>Decoding, hashing and watermark-reading an upload (<c>POST api/verify</c>, <c>POST c2pa/v1/matches/byContent</c>).</summary>
    Verification,

    /// <summary>Recovering the signatures of up to 1,000 records and storing them (<c>POST api/records</c>).</summary>
    Ingest,

    /// <summary>Streaming or rebuilding the whole ledger (exports, reconciliation, settlement checks).</summary>
    Audit,

    /// <summary>
    /// Verification by hash (<c>GET api/verify/{sha256}</c>): light, but the most frequent request, so its pool is sized apart
    /// (<c>Ledger:Host:MaxConcurrentHashVerifications</c>, <c>HashVerificationQueueLimit</c>).
    /// </summary>
    HashVerification,
}

/// <summary>Marks an endpoint as heavy work of one kind (<see cref="HeavyWorkEndpoints.LimitConcurrency{TBuilder}"/>).</summary>
/// <param name="Kind">Which pool of slots it takes.</param>
public sealed record HeavyWorkMetadata(HeavyWork Kind);

/// <summary>
/// Marks endpoints as heavy work; the host's request limits (<c>RequestLimits</c>) give each kind its pool
/// and answer 503 <c>service-busy</c> beyond it.
/// </summary>
public static class HeavyWorkEndpoints
{
    /// <summary>Marks the endpoint(s) as heavy work of <paramref name="kind"/>: at most <c>Ledger:Host:MaxConcurrentHeavyRequests</c> at once.</summary>
    public static TBuilder LimitConcurrency<TBuilder>(this TBuilder builder, HeavyWork kind)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new HeavyWorkMetadata(kind));
    }
}
