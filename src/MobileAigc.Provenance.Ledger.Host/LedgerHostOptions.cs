using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>The web host's own settings. Section <c>Ledger:Host</c>.</summary>
public sealed class LedgerHostOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Host";

    /// <summary>The largest request body accepted, in bytes (uploads for verification included). Default: 16 MiB.</summary>
    [Range(1_024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Requests one client address may make per <see cref="RateLimitWindow"/> to public endpoints. Default: 1,200.</summary>
    [Range(1, int.MaxValue)]
    public int RateLimitPermits { get; set; } = 1_200;

    /// <summary>The window of <see cref="RateLimitPermits"/>. Default: 1 minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A file holding the admin API key (a mounted secret). Default: <c>null</c>: admin endpoints
    /// refuse every request.
    /// </summary>
    public string? AdminApiKeyFile { get; set; }

    /// <summary>
    /// A file holding the read-only auditor API key (a mounted secret): it opens the auditor dashboard's
    /// data (<c>api/dashboard</c>), as the admin key does, and no admin route. Default: <c>null</c>: only the
    /// admin key opens the dashboard.
    /// </summary>
    public string? AuditorApiKeyFile { get; set; }

    /// <summary>
    /// Addresses of the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> headers
    /// are believed (one IP address each). Default: none: forwarded headers are ignored, so a client
    /// cannot pick the address the rate limit counts. Set it when the ledger sits behind a proxy, or
    /// every client behind it shares the proxy's one rate-limit window.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>As <see cref="KnownProxies"/>, for whole networks in CIDR notation (<c>10.0.0.0/8</c>). Default: none.</summary>
    public IList<string> KnownNetworks { get; } = [];

    /// <summary>
    /// How many requests of one kind of heavy work (verification uploads, record ingest, exports,
    /// reconciliation: each kind its own pool) run at once. Default: the processor count, at least 2;
    /// from 1 to 1,024.
    /// </summary>
    [Range(1, 1_024)]
    public int MaxConcurrentHeavyRequests { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// How many requests of one kind of heavy work wait for a slot; beyond them the ledger answers 503
    /// <c>service-busy</c> with <c>Retry-After</c> at once instead of queueing without bound. Default: 8;
    /// from 0 to 10,000.
    /// </summary>
    [Range(0, 10_000)]
    public int HeavyRequestQueueLimit { get; set; } = 8;

    /// <summary>
    /// How many verifications by hash (<c>GET api/verify/{sha256}</c>) run at once. They are light (two indexed reads), so
    /// their pool is larger than a heavy one's, but bounded: offered more than the ledger can serve, an unbounded route
    /// queues every request behind all the others and every answer comes seconds late. Default: 8 per processor, at least
    /// 16; from 1 to 4,096.
    /// </summary>
    [Range(1, 4_096)]
    public int MaxConcurrentHashVerifications { get; set; } = Math.Max(16, 8 * Environment.ProcessorCount);

    /// <summary>
    /// How many verifications by hash wait for one of the <see cref="MaxConcurrentHashVerifications"/> slots; beyond them the
    /// ledger answers 503 <c>service-busy</c> with <c>Retry-After</c> at once, so the requests it answers stay fast.
    /// Default: 16; from 0 to 10,000.
    /// </summary>
    [Range(0, 10_000)]
    public int HashVerificationQueueLimit { get; set; } = 16;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:{nameof(KnownProxies)}: '{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{Section}:{nameof(KnownNetworks)}: '{network}' is not a network in CIDR notation.", [nameof(KnownNetworks)]);
        }

        foreach (var (setting, path) in new[] { (nameof(AdminApiKeyFile), AdminApiKeyFile), (nameof(AuditorApiKeyFile), AuditorApiKeyFile) })
        {
            // Read at start, so that a missing or empty key stops the ledger instead of answering its first request 500.
            if (path is not null && KeyFileProblem(path) is { } problem)
            {
                yield return new ValidationResult($"{Section}:{setting} '{path}' {problem}.", [setting]);
            }
        }

        if (RateLimitWindow <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}:{nameof(RateLimitWindow)} must be positive (was {RateLimitWindow}).", [nameof(RateLimitWindow)]);
        }
    }

    private static string? KeyFileProblem(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim().Length == 0 ? "is empty" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {e.Message}";
        }
    }
}
